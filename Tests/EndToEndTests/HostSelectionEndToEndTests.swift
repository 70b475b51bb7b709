import Foundation
import Testing

/// Which host `apply` acts for, through the binary: `$OVERLAY_HOSTNAME` stands for this
/// machine's name, and a bundle is never combined with `--host`.
@Suite struct HostSelectionEndToEndTests {
    /// A repo with two local hosts whose homes are under the sandbox.
    private func twoHostRepo(_ sandbox: ApplySandbox) throws -> URL {
        let repo = sandbox.root.appendingPathComponent("repo")
        try FileManager.default.copyItem(
            at: PackagePaths.root.appendingPathComponent("Tests/Fixtures/valid/minimal"), to: repo)
        try """
        all:
          vars: {golden_state_providers: [custom], hermes_home: ~/.hermes}
          hosts:
            alpha: {ansible_connection: local, timmy_home: ~/alpha, wizard_name: alpha}
            bravo: {ansible_connection: local, timmy_home: ~/bravo, wizard_name: bravo}
        """.write(to: repo.appendingPathComponent("inventory/hosts.yml"), atomically: true, encoding: .utf8)
        return repo
    }

    @Test func theMachinesNameFromOverlayHostnamePicksTheHost() throws {
        let sandbox = try ApplySandbox()
        defer { sandbox.cleanup() }
        let repo = try twoHostRepo(sandbox)
        var env = sandbox.env
        env["OVERLAY_HOSTNAME"] = "bravo.example.org"
        let picked = try runOverlay(["apply", "--dry-run", "--format", "json", "--root", repo.path], env: env)
        #expect(picked.status == 0, "\(picked.stderr)")
        #expect(picked.json["host"] as? String == "bravo")

        env["OVERLAY_HOSTNAME"] = "charlie"
        let unknown = try runOverlay(["apply", "--dry-run", "--root", repo.path], env: env)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("cannot tell which host this machine (charlie) is; pass --host NAME (hosts: alpha, bravo)"))
    }

    @Test func aBundleWithHostIsAUsageErrorThatNamesTheFix() throws {
        let sandbox = try ApplySandbox()
        defer { sandbox.cleanup() }
        let bundle = sandbox.root.path + "/bundle.json"
        let data = try JSONSerialization.data(withJSONObject: sandbox.bundle([("a.txt", "a\n")]))
        try data.write(to: URL(fileURLWithPath: bundle))
        let r = try runOverlay(["apply", "--bundle", bundle, "--host", "alpha", "--format", "json"], env: sandbox.env)
        #expect(r.status == 2)
        #expect((r.json["error"] as? String)?.contains("--host alpha cannot be used with --bundle") == true)
        #expect(r.json["ok"] as? Bool == false)
        #expect(!FileManager.default.fileExists(atPath: sandbox.hermes + "/a.txt"))
    }

    @Test func applyTakesTheLongInventoryOption() throws {
        let sandbox = try ApplySandbox()
        defer { sandbox.cleanup() }
        let repo = try twoHostRepo(sandbox)
        let r = try runOverlay(
            ["apply", "--dry-run", "--root", repo.path, "--inventory", repo.path + "/inventory/hosts.yml", "--host", "alpha"],
            env: sandbox.env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("dry run for alpha"))
    }
}
