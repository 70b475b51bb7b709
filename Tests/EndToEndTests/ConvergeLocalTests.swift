import Foundation
import Testing

/// `overlay converge` of local hosts (in process), each into its own sandboxed home.
@Suite struct ConvergeLocalTests {
    func twoWizards(_ fleet: ConvergeFleet, ezraExtra: [String: String] = [:]) throws {
        try fleet.writeInventory([("timmy", fleet.sandboxVars("timmy")), ("ezra", fleet.sandboxVars("ezra", ezraExtra))])
    }

    @Test func convergesEveryHostAndASecondRunChangesNothing() throws {
        let fleet = try ConvergeFleet()
        defer { fleet.cleanup() }
        try twoWizards(fleet)
        let first = try fleet.converge(["--format", "json"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let hosts = first.json["hosts"] as? [String: [String: Any]] ?? [:]
        #expect(hosts["timmy"]?["status"] as? String == "changed" && hosts["ezra"]?["status"] as? String == "changed")
        #expect(hosts["ezra"]?["generation"] as? Int == 1)
        for host in ["timmy", "ezra"] {
            let soul = try String(contentsOfFile: fleet.home(host) + "/.hermes/SOUL.md", encoding: .utf8)
            #expect(!soul.isEmpty)
            let cron = try String(contentsOfFile: fleet.crontab(host), encoding: .utf8)
            #expect(cron.contains("host=\(host)") && cron.contains("cd '\(fleet.state(host))' && mkdir -p -m 700 logs"), "\(cron)")
        }
        let providers = try String(contentsOfFile: fleet.home("ezra") + "/.hermes/providers.yaml", encoding: .utf8)
        #expect(providers.contains("local-test-key"), "secrets are resolved for each host")
        #expect(!first.stdout.contains("local-test-key"))

        let again = try fleet.converge(["--format", "json"])
        #expect(again.status == 0)
        let after = again.json["hosts"] as? [String: [String: Any]] ?? [:]
        #expect(after.values.allSatisfy { $0["status"] as? String == "ok" && $0["generation"] as? Int == 1 }, "\(again.stdout)")
        #expect((again.json["summary"] as? [String: Int])?["ok"] == 2)
        #expect(fleet.liveGeneration("timmy") == "generations/1")
        let last = try fleet.lastConverge("timmy")
        #expect(last?["status"] as? String == "ok" && last?["generation"] as? Int == 1, "\(String(describing: last))")
    }

    @Test func checkReportsChangesAndChangesNothing() throws {
        let fleet = try ConvergeFleet()
        defer { fleet.cleanup() }
        try twoWizards(fleet)
        let r = try fleet.converge(["--check"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("timmy  would change") && r.stdout.contains("check: nothing was changed"), "\(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: fleet.home("timmy") + "/.hermes"))
        #expect(!FileManager.default.fileExists(atPath: fleet.crontab("ezra")))
        #expect(fleet.liveGeneration("ezra") == nil)
    }

    @Test func aHostScopedErrorFailsOnlyThatHost() throws {
        let fleet = try ConvergeFleet()
        defer { fleet.cleanup() }
        // ezra's own vars name a banned provider: ezra fails, timmy is converged.
        try twoWizards(fleet)
        try fleet.banProvider(for: "ezra")
        let r = try fleet.converge(["--format", "json"])
        #expect(r.status == 1)
        let hosts = r.json["hosts"] as? [String: [String: Any]] ?? [:]
        #expect(hosts["timmy"]?["status"] as? String == "changed")
        #expect(hosts["ezra"]?["status"] as? String == "failed")
        #expect((hosts["ezra"]?["error"] as? String)?.contains("policy.banned-provider") == true, "\(r.stdout)")
        #expect(fleet.liveGeneration("timmy") == "generations/1")
        #expect(!FileManager.default.fileExists(atPath: fleet.home("ezra")))
    }

    @Test func aRepoWideErrorTouchesNoHost() throws {
        let fleet = try ConvergeFleet()
        defer { fleet.cleanup() }
        try twoWizards(fleet)
        // A group's vars file that is not a mapping is an inventory error (Ansible refuses it too), not a host's.
        try "- x\n".write(toFile: fleet.root.path + "/fleet/group_vars/wizards.yml", atomically: true, encoding: .utf8)
        let r = try fleet.converge(["--format", "json"])
        #expect(r.status == 1)
        #expect((r.json["error"] as? String)?.contains("no host was touched") == true)
        let diags = r.json["diagnostics"] as? [[String: Any]] ?? []
        #expect(diags.first?["rule"] as? String == "inventory.syntax" && diags.first?["line"] as? Int == 1, "\(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: fleet.home("timmy")))
        #expect(!FileManager.default.fileExists(atPath: fleet.home("ezra")))
    }

    @Test func limitSelectsHostsByPattern() throws {
        let fleet = try ConvergeFleet()
        defer { fleet.cleanup() }
        try twoWizards(fleet)
        let r = try fleet.converge(["--limit", "wizards:!timmy", "--format", "json"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect((r.json["hosts"] as? [String: Any])?.keys.sorted() == ["ezra"])
        #expect(!FileManager.default.fileExists(atPath: fleet.home("timmy")))
        let none = try fleet.converge(["--limit", "nosuchhost"])
        #expect(none.status == 1 && none.stderr.contains("matches no host"), "\(none.stderr)")
    }

    @Test func localHostsSharingAStateDirAreRefused() throws {
        let fleet = try ConvergeFleet()
        defer { fleet.cleanup() }
        try twoWizards(fleet, ezraExtra: ["overlay_state_dir": fleet.quoted(fleet.state("timmy"))])
        let r = try fleet.converge()
        #expect(r.status == 1)
        #expect(r.stdout.contains("share the state dir") && r.stdout.contains("overlay_state_dir"), "\(r.stdout)")
        #expect(fleet.liveGeneration("timmy") == nil, "neither host was applied")
    }

    @Test func aRollingUpdateStopsAfterABatchOverTheFailureLimit() throws {
        let fleet = try ConvergeFleet()
        defer { fleet.cleanup() }
        // ezra comes first and fails (banned provider); with --serial 1 timmy is never reached.
        try fleet.writeInventory([("ezra", fleet.sandboxVars("ezra")), ("timmy", fleet.sandboxVars("timmy"))])
        try fleet.banProvider(for: "ezra")
        let r = try fleet.converge(["--serial", "1", "--max-fail-percentage", "0", "--format", "json"])
        #expect(r.status == 1)
        let hosts = r.json["hosts"] as? [String: [String: Any]] ?? [:]
        #expect(hosts["ezra"]?["status"] as? String == "failed")
        #expect(hosts["timmy"]?["status"] as? String == "skipped")
        #expect((hosts["timmy"]?["error"] as? String)?.contains("--max-fail-percentage") == true)
        #expect(fleet.liveGeneration("timmy") == nil)
    }

    /// A transport overlay lacks is inventory data (Ansible's winrm, network_cli …): converge fails that host alone.
    @Test func unsupportedTransportFailsThatHostAlone() throws {
        let fleet = try ConvergeFleet()
        defer { fleet.cleanup() }
        try twoWizards(fleet, ezraExtra: ["ansible_connection": "winrm"])
        let r = try fleet.converge(["--format", "json"])
        let hosts = r.json["hosts"] as? [String: [String: Any]] ?? [:]
        #expect(r.status == 1)
        #expect(hosts["ezra"]?["status"] as? String == "failed", "\(r.stdout)")
        #expect((hosts["ezra"]?["error"] as? String)?.contains("'winrm' is not supported") == true, "\(r.stdout)")
        #expect(hosts["timmy"]?["status"] as? String == "changed")
    }

    @Test func badConnectionVarsAreReportedWithTheFix() throws {
        let fleet = try ConvergeFleet()
        defer { fleet.cleanup() }
        // The inventory check catches a bad port where it is written: nothing runs.
        for vars in [["ansible_host": "\"127.0.0.1\"", "ansible_port": "99999"]] {
            try fleet.writeInventory([("timmy", fleet.sandboxVars("timmy")), ("ezra", fleet.sandboxVars("ezra", vars))])
            let r = try fleet.converge(["--format", "json"])
            #expect(r.status == 1)
            let diagnostic = (r.json["diagnostics"] as? [[String: Any]])?.first
            #expect(diagnostic?["rule"] as? String == "inventory.connection-type", "\(r.stdout)")
            #expect((diagnostic?["file"] as? String)?.hasSuffix("fleet/hosts.yml") == true)
            #expect(fleet.liveGeneration("timmy") == nil && fleet.liveGeneration("ezra") == nil)
        }
        // ssh options with an open quote fail that host alone.
        let quote = ["ansible_host": "\"127.0.0.1\"", "ansible_ssh_common_args": "'-o \"User=x'"]
        try fleet.writeInventory([("timmy", fleet.sandboxVars("timmy")), ("ezra", fleet.sandboxVars("ezra", quote))])
        let r = try fleet.converge(["--format", "json"])
        let hosts = r.json["hosts"] as? [String: [String: Any]] ?? [:]
        #expect(r.status == 1)
        #expect(hosts["ezra"]?["status"] as? String == "failed", "\(r.stdout)")
        #expect((hosts["ezra"]?["error"] as? String)?.contains("ansible_ssh_common_args has an unclosed quote") == true)
        #expect(hosts["timmy"]?["status"] as? String == "changed")
    }
}
