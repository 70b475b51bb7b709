import Foundation
import Testing

/// `overlay inventory` against the real `ansible-inventory` (ansible-core from PyPI) on
/// the same inventories: the whole `--list` JSON (`_meta.profile` included), host vars,
/// group memberships and the graph must be identical.
@Suite struct InventoryAnsibleParityTests {
    /// Inventories that exercise every rule: precedence, vars files, ranges, ungrouped, shorthands.
    static let inventories: [String] = [
        "Tests/Fixtures/inventories/precedence/hosts.yml",
        "Tests/Fixtures/inventories/ranges/hosts.yml",
        "inventory/hosts.yml",  // the example repo's own inventory
    ]

    @Test(arguments: inventories)
    func listMatchesAnsible(_ relative: String) throws {
        let file = PackagePaths.root.appendingPathComponent(relative).path
        let ansible = try AnsibleInventory.run(["-i", file, "--list"])
        let ours = try runOverlay(["inventory", "-i", file, "--list"])
        #expect(ours.status == 0, "overlay failed: \(ours.stderr)")
        let expected = try AnsibleInventory.facts(ansible)
        let actual = try AnsibleInventory.facts(ours.stdout)
        #expect(expected.contains { $0.hasPrefix("hostvars ") }, "ansible-inventory printed no host vars: \(ansible)")
        let missing = expected.filter { !actual.contains($0) }
        let extra = actual.filter { !expected.contains($0) }
        #expect(missing.isEmpty && extra.isEmpty, "only in ansible: \(missing)\nonly in overlay: \(extra)")
        #expect(actual == expected, "same facts, different order")
        #expect(ours.stdout == ansible, "same facts, different text")
    }

    @Test(arguments: inventories)
    func graphMatchesAnsible(_ relative: String) throws {
        let file = PackagePaths.root.appendingPathComponent(relative).path
        let ansible = try AnsibleInventory.run(["-i", file, "--graph"])
        let ours = try runOverlay(["inventory", "-i", file, "--graph"])
        #expect(ours.status == 0, "overlay failed: \(ours.stderr)")
        #expect(ours.stdout == ansible)
    }

    @Test func hostMatchesAnsible() throws {
        let file = PackagePaths.root.appendingPathComponent(Self.inventories[0]).path
        for host in ["s1", "shared1", "lone"] {
            let ansible = try AnsibleInventory.run(["-i", file, "--host", host])
            let ours = try runOverlay(["inventory", "-i", file, "--host", host])
            #expect(ours.status == 0)
            #expect(try AnsibleInventory.canonical(ours.stdout) == AnsibleInventory.canonical(ansible), "host \(host)")
        }
    }
}

/// Runs ansible-inventory in a scratch environment and turns its JSON into comparable facts.
enum AnsibleInventory {
    /// The `ansible-inventory` on PATH; fails the test loudly when it is missing.
    static func executable() throws -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/ansible-inventory"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw Missing()
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String { "ansible-inventory is not on PATH; run `pip install ansible-core` (or scripts/install-deps.sh)" }
    }

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs ansible-inventory with a throwaway HOME and cwd so no user config or play vars leak in.
    static func run(_ args: [String]) throws -> String {
        let r = try runRaw(args)
        guard r.status == 0 else { throw Failed(description: "ansible-inventory \(args) exited \(r.status): \(r.stderr)") }
        return r.stdout
    }

    /// Runs ansible-inventory the same way and returns its exit status and output, refusal included.
    static func runRaw(_ args: [String]) throws -> OverlayResult {
        let scratch = try makeTempDir("ansible-home")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let env = [
            "HOME": scratch.path, "ANSIBLE_LOCAL_TEMP": scratch.path + "/tmp", "ANSIBLE_INVENTORY_ENABLED": "yaml",
            "ANSIBLE_INVENTORY_UNPARSED_FAILED": "true", "ANSIBLE_CONFIG": scratch.path + "/none.cfg",
        ]
        return try runProcess(try executable(), args, env: env, cwd: scratch)
    }

    /// Python's view of the JSON (types kept: 1 vs 1.0 vs true), one line per fact,
    /// `_meta.profile` included.
    static func facts(_ json: String) throws -> [String] {
        let script = """
            import json, sys
            d = json.load(sys.stdin)
            print("profile", d.get("_meta", {}).get("profile"))
            for host, hv in sorted(d.get("_meta", {}).get("hostvars", {}).items()):
                for k, v in sorted(hv.items()):
                    print("hostvars", host, k, "=", json.dumps(v, sort_keys=True))
            for group, body in sorted(d.items()):
                if group == "_meta":
                    continue
                for k, v in sorted(body.items()):
                    print("group", group, k, "=", json.dumps(v))
            """
        return try python(script, json).split(separator: "\n").map(String.init)
    }

    /// One JSON value re-serialised by Python with sorted keys.
    static func canonical(_ json: String) throws -> String {
        try python("import json, sys\nprint(json.dumps(json.load(sys.stdin), sort_keys=True))", json)
    }

    private static func python(_ script: String, _ input: String) throws -> String {
        let r = try runProcess("/usr/bin/env", ["python3", "-c", script], stdin: Data(input.utf8))
        guard r.status == 0 else { throw Failed(description: "python3 could not read the JSON: \(r.stderr)\n\(input)") }
        return r.stdout
    }
}
