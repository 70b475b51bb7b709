import Foundation
import Testing

/// `status`, `generations` and `rollback` find the state dir apply used, including a host's
/// `overlay_state_dir` (with `~` its `overlay_home`), through `--root`'s inventory or `-i`.
@Suite struct StateDirEndToEndTests {
    /// A repo whose local host `timmy` keeps its state under its own home, and a second host
    /// `ezra` with a state dir of its own; returns the repo and timmy's state dir.
    func makeRepo(_ box: ApplySandbox) throws -> (repo: String, state: String) {
        let repo = try ApplyRepoEndToEndTests().makeRepo(box, template: "v1\n")
        let wizard = box.root.path + "/wizard"
        try """
        all:
          vars:
            hermes_home: "~/.hermes"
          hosts:
            timmy:
              ansible_connection: local
              overlay_home: \(wizard)
              overlay_state_dir: "~/state-of-timmy"
            ezra:
              overlay_home: \(box.root.path)/ezra
              overlay_state_dir: \(box.root.path)/ezra-state
        """.write(toFile: repo + "/inventory/hosts.yml", atomically: true, encoding: .utf8)
        return (repo, wizard + "/state-of-timmy")
    }

    func setTemplate(_ repo: String, _ text: String) throws {
        try text.write(toFile: repo + "/playbooks/templates/env.txt", atomically: true, encoding: .utf8)
    }

    @Test func statusGenerationsAndRollbackUseTheHostsStateDir() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let (repo, state) = try makeRepo(box)
        let envTxt = box.root.path + "/wizard/.hermes/env.txt"
        #expect(try runOverlay(["apply", "--root", repo], env: box.env).status == 0)
        try setTemplate(repo, "v2\n")
        let second = try runOverlay(["apply", "--root", repo], env: box.env)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(FileManager.default.fileExists(atPath: state + "/current"), "apply used overlay_state_dir")
        #expect(!FileManager.default.fileExists(atPath: box.state + "/current"), "not $OVERLAY_STATE_DIR")

        let status = try runOverlay(["status", "--root", repo, "--format", "json"], env: box.env)
        #expect(status.status == 0 && status.json["generation"] as? Int == 2, "\(status.stdout)\(status.stderr)")
        #expect(status.json["state_dir"] as? String == state)
        let text = try runOverlay(["status", "--root", repo], env: box.env)
        #expect(text.stdout.hasPrefix("generation 2 "), "\(text.stdout)")

        let gens = try runOverlay(["generations", "--root", repo, "--format", "json"], env: box.env)
        #expect((gens.json["generations"] as? [[String: Any]])?.compactMap { $0["number"] as? Int } == [1, 2])
        #expect(gens.json["current"] as? Int == 2)

        let back = try runOverlay(["rollback", "--root", repo], env: box.env)
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try String(contentsOfFile: envTxt, encoding: .utf8) == "v1\n")
        let after = try runOverlay(["status", "--root", repo, "--format", "json"], env: box.env)
        #expect(after.json["generation"] as? Int == 1 && after.json["ok"] as? Bool == true)
    }

    @Test func hostAndInventoryOptionsPickAnotherHostsStateDir() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let (repo, _) = try makeRepo(box)
        let ezra = try runOverlay(["status", "--root", repo, "--host", "ezra", "--format", "json"], env: box.env)
        #expect(ezra.status == 0 && ezra.json["state_dir"] as? String == box.root.path + "/ezra-state", "\(ezra.stdout)")

        // -i: an inventory outside the repo names the state dir.
        let other = box.root.path + "/fleet.yml"
        try "all:\n  hosts:\n    forge:\n      ansible_connection: local\n      overlay_state_dir: \(box.root.path)/forge-state\n"
            .write(toFile: other, atomically: true, encoding: .utf8)
        for command in [["status"], ["generations"]] {
            let r = try runOverlay(command + ["--root", repo, "-i", other, "--format", "json"], env: box.env)
            #expect(r.status == 0, "\(command): \(r.stderr)")
        }
        let forge = try runOverlay(["status", "--root", repo, "--inventory", other, "--format", "json"], env: box.env)
        #expect(forge.json["state_dir"] as? String == box.root.path + "/forge-state")

        let unknown = try runOverlay(["generations", "--root", repo, "--host", "nobody"], env: box.env)
        #expect(unknown.status == 1 && unknown.stderr.contains("host 'nobody' is not in the inventory"), "\(unknown.stderr)")
    }

    @Test func withoutAnInventoryTheEnvironmentStillDecides() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let empty = box.root.path + "/not-a-repo"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let r = try runOverlay(["status", "--root", empty, "--format", "json"], env: box.env)
        #expect(r.status == 0 && r.json["state_dir"] as? String == box.state, "\(r.stdout)\(r.stderr)")
    }
}

/// Reading state never fails just because the inventory cannot tell which host this is.
@Suite struct StateDirFallbackTests {
    @Test func anInventoryThatCannotTellTheHostFallsBackToTheEnvironmentAndSaysSo() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let repo = try ApplyRepoEndToEndTests().makeRepo(box, template: "v1\n")
        try "all:\n  vars:\n    hermes_home: \"~/.hermes\"\n  hosts:\n    ezra: {}\n    forge: {}\n"
            .write(toFile: repo + "/inventory/hosts.yml", atomically: true, encoding: .utf8)
        #expect(try runOverlay(["apply", "--root", repo, "--host", "ezra"], env: box.env).status == 0)
        let status = try runOverlay(["status", "--root", repo, "--format", "json"], env: box.env)
        #expect(status.status == 0 && status.json["generation"] as? Int == 1, "\(status.stdout)\(status.stderr)")
        #expect(status.stderr.contains("pass --host NAME"))
        let named = try runOverlay(["status", "--root", repo, "--host", "nobody"], env: box.env)
        #expect(named.status == 1 && named.stderr.contains("not in the inventory"))
    }

    @Test func hostWithoutAnInventoryAndABrokenInventoryAreErrorsNotAnotherStateDir() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let bare = box.root.path + "/not-a-repo"
        try FileManager.default.createDirectory(atPath: bare, withIntermediateDirectories: true)
        let noInventory = try runOverlay(["generations", "--root", bare, "--host", "timmy"], env: box.env)
        #expect(noInventory.status == 1 && noInventory.stderr.contains("pass -i FILE"), "\(noInventory.stderr)")
        #expect(
            try runOverlay(["status", "--root", bare, "--format", "json"], env: box.env).status == 0,
            "no inventory, no --host: the environment decides")

        let repo = try ApplyRepoEndToEndTests().makeRepo(box, template: "v1\n")
        try "all:\n  hosts:\n    timmy:\n      ansible_port: many\n".write(
            toFile: repo + "/inventory/hosts.yml", atomically: true, encoding: .utf8)
        let broken = try runOverlay(["status", "--root", repo, "--format", "json"], env: box.env)
        #expect(broken.status == 1 && broken.json["ok"] as? Bool == false)
        #expect((broken.json["error"] as? String)?.contains("inventory/hosts.yml:4:") == true, "\(broken.stdout)")
    }
}
