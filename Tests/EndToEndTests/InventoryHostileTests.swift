import Foundation
import Testing

/// Inventories written to hurt: host-range bombs must be refused in bounded time and
/// memory by every command that reads the inventory (run under `ulimit -v` and a time
/// limit), and host names that would break a crontab marker fail `validate`.
@Suite struct InventoryHostileTests {
    /// Address space for the binary: enough for a normal run, far too little for a bomb
    /// (before the limit, `bulk[0:99999999]` died here with exit 134).
    static let memoryCapKiB = 600_000
    static let timeLimit: TimeInterval = 20

    static let bombs = [
        "all:\n  hosts:\n    bulk[0:99999999]:\n",
        "all:\n  hosts:\n    n[0:99][0:99][0:99][0:99][0:99]:\n",
        "all:\n  children:\n    g:\n      hosts:\n        a[0:9999999999999999999]:\n",
    ]

    /// Runs the built binary under the memory cap; returns its result and the seconds it took.
    func capped(_ args: [String], env: [String: String] = [:]) throws -> (OverlayResult, TimeInterval) {
        let start = Date()
        let r = try runProcess(
            "/bin/sh", ["-c", "ulimit -v \(Self.memoryCapKiB); exec \"$0\" \"$@\"", PackagePaths.binary.path] + args,
            env: env, timeout: Self.timeLimit)
        return (r, Date().timeIntervalSince(start))
    }

    /// A copy of the minimal valid repo with `inventory` as its inventory.
    func repo(inventory: String) throws -> URL {
        let root = try makeTempDir("inventory-hostile")
        let repo = root.appendingPathComponent("repo")
        try FileManager.default.copyItem(at: PackagePaths.root.appendingPathComponent("Tests/Fixtures/valid/minimal"), to: repo)
        try Data(inventory.utf8).write(to: repo.appendingPathComponent("inventory/hosts.yml"))
        return repo
    }

    @Test(arguments: bombs)
    func rangeBombIsRefusedInBoundedTimeAndMemory(_ bomb: String) throws {
        let repo = try repo(inventory: bomb)
        defer { try? FileManager.default.removeItem(at: repo.deletingLastPathComponent()) }
        // Nothing may be written, but if it were, it would land in the scratch folder.
        let scratch = repo.deletingLastPathComponent().path
        let env = ["OVERLAY_STATE_DIR": scratch + "/state", "HOME": scratch, "OVERLAY_CRONTAB": "file:\(scratch)/crontab"]
        let commands: [[String]] = [
            ["inventory", "-i", repo.appendingPathComponent("inventory/hosts.yml").path, "--list"],
            ["validate", "--root", repo.path],
            ["apply", "--root", repo.path, "--dry-run"],
            ["converge", "--root", repo.path, "--check"],
        ]
        for args in commands {
            let (r, seconds) = try capped(args, env: env)
            #expect(r.status == 1, "\(args[0]) exited \(r.status): \(r.stderr.suffix(400))")
            #expect(seconds < 10, "\(args[0]) took \(seconds) s")
            #expect((r.stdout + r.stderr).contains("inventory.host-limit"), "\(args[0]): \(r.stdout.prefix(400)) \(r.stderr.prefix(400))")
        }
    }

    @Test func normalInventoryRunsUnderTheSameCap() throws {
        let (r, _) = try capped(["inventory", "-i", PackagePaths.root.appendingPathComponent("inventory/hosts.yml").path, "--list"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func hostNameThatBreaksACrontabMarkerFailsValidate() throws {
        let repo = try repo(inventory: "all:\n  hosts:\n    \"timmy\\nevil\":\n      ansible_connection: local\n")
        defer { try? FileManager.default.removeItem(at: repo.deletingLastPathComponent()) }
        let r = try runOverlay(["validate", "--root", repo.path, "--format", "json"])
        #expect(r.status == 1)
        let diagnostics = r.json["diagnostics"] as? [[String: Any]] ?? []
        let found = diagnostics.first { $0["rule"] as? String == "inventory.host-name" }
        #expect(found?["file"] as? String == "inventory/hosts.yml")
        #expect(found?["line"] as? Int == 3)
        #expect(found?["severity"] as? String == "error")
        // ansible-inventory accepts the name, so `overlay inventory` only warns.
        let listed = try runOverlay(["inventory", "--root", repo.path, "--list"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stderr.contains("warning:") && listed.stderr.contains("inventory.host-name"))
    }
}
