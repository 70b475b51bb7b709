import Foundation
import Testing

/// `overlay inventory` as a user runs it: defaults, errors and exit codes.
@Suite struct InventoryCommandTests {
    @Test func defaultsToTheRepoInventory() throws {
        let r = try runOverlay(["inventory", "--root", PackagePaths.root.path, "--host", "timmy"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.json["ansible_connection"] as? String == "local")
    }

    @Test func listHasMetaAndAll() throws {
        let r = try runOverlay(["inventory", "--root", PackagePaths.root.path, "--list"])
        #expect(r.status == 0)
        let meta = r.json["_meta"] as? [String: Any]
        #expect(meta?["hostvars"] is [String: Any])
        #expect(r.json["all"] is [String: Any])
    }

    @Test func missingFileExitsOne() throws {
        let r = try runOverlay(["inventory", "-i", "/nonexistent/hosts.yml", "--list"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("/nonexistent/hosts.yml"))
        #expect(r.stdout.isEmpty)
    }

    @Test func brokenInventoryPrintsLocatedDiagnostics() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("hosts.yml")
        try "all:\n  children:\n    web:\n      hosts: [a, b]\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try runOverlay(["inventory", "-i", file.path, "--list"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(file.path):4:14: error:"))
        #expect(r.stderr.contains("[inventory.syntax]"))
    }

    @Test func unknownHostExitsOneWithSuggestion() throws {
        let r = try runOverlay(["inventory", "--root", PackagePaths.root.path, "--host", "timy"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("did you mean 'timmy'"))
    }

    @Test func noModeIsAUsageError() throws {
        let r = try runOverlay(["inventory", "--root", PackagePaths.root.path])
        #expect(r.status == 2)
    }

    @Test func graphAsJSONHasOk() throws {
        let r = try runOverlay(["inventory", "--root", PackagePaths.root.path, "--graph", "fleet", "--format", "json"])
        #expect(r.status == 0)
        #expect(r.json["ok"] as? Bool == true)
        let graph = r.json["graph"] as? [String: Any]
        #expect(graph?["name"] as? String == "fleet")
        #expect((graph?["children"] as? [[String: Any]])?.map { $0["name"] as? String } == ["wizards", "trainers", "inference"])
    }
}
