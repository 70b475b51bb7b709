import Foundation
import Testing

@testable import OverlayCore

@Suite struct InventoryPatternTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/inventories/patterns/hosts.yml")

    func inventory() throws -> Inventory {
        let (inv, diagnostics) = Inventory.load(file: Self.fixture)
        #expect(diagnostics.isEmpty)
        return try #require(inv)
    }

    @Test func hostName() throws {
        #expect(try inventory().hosts(matching: "web2") == ["web2"])
    }

    @Test func groupIncludesChildGroupsAfterOwnHosts() throws {
        #expect(try inventory().hosts(matching: "prod") == ["db1", "web1", "web2", "web3"])
    }

    @Test func unionWithColonOrComma() throws {
        let inv = try inventory()
        #expect(inv.hosts(matching: "web:db") == ["web1", "web2", "web3", "db1"])
        #expect(inv.hosts(matching: "web,db") == ["web1", "web2", "web3", "db1"])
    }

    @Test func intersection() throws {
        #expect(try inventory().hosts(matching: "web:&db") == ["web3"])
    }

    @Test func exclusionAppliesAfterUnionsWhateverTheOrder() throws {
        #expect(try inventory().hosts(matching: "!web3:web") == ["web1", "web2"])
    }

    @Test func exclusionAloneStartsFromAll() throws {
        #expect(try inventory().hosts(matching: "!web") == ["lone", "db1", "stagea.example.com", "stageb.example.com"])
    }

    @Test func globMatchesGroupsAndHosts() throws {
        #expect(try inventory().hosts(matching: "*.example.com") == ["stagea.example.com", "stageb.example.com"])
    }

    @Test func subscriptSelectsByPosition() throws {
        let inv = try inventory()
        #expect(inv.hosts(matching: "web[0]") == ["web1"])
        #expect(inv.hosts(matching: "web[-1]") == ["web3"])
        #expect(inv.hosts(matching: "web[1:]") == ["web2", "web3"])
        #expect(inv.hosts(matching: "web[5]") == [])
    }

    @Test func regexIsAnchoredAtStart() throws {
        #expect(try inventory().hosts(matching: "~eb") == [])
        #expect(try inventory().hosts(matching: "~web[12]") == ["web1", "web2"])
    }

    @Test func unknownNameMatchesNothing() throws {
        #expect(try inventory().hosts(matching: "nope") == [])
    }

    @Test func implicitLocalhostIsLocalAndInNoGroup() throws {
        let inv = try inventory()
        #expect(inv.hosts(matching: "localhost") == ["localhost"])
        #expect(!inv.hosts(matching: "all").contains("localhost"))
        #expect(inv.variables(of: "localhost")?["ansible_connection"]?.value == .string("local"))
        #expect(inv.groupNames(of: "localhost").isEmpty)
    }

    @Test func hostPortIsOnePattern() {
        #expect(HostPattern("web1:22").terms.count == 1)
        #expect(HostPattern("web:db").terms.count == 2)
    }

    /// The same patterns through `ansible PATTERN --list-hosts` (ansible-core), order included.
    @Test(arguments: [
        "all", "*", "web", "prod", "web:db", "web,db", "web:&db", "all:!web", "!web", "!web3:web", "web[0]",
        "web[1:]", "web[-1]", "web[0:1]", "~web[12]", "stage*", "*.example.com", "web*", "nope", "prod:&web:!web2",
        "db:web1", "lone:stagea.example.com", "ungrouped", "w?b1",
        // Ansible's implicit localhost: only a term naming it exactly, never through `all` or a glob.
        "localhost", "127.0.0.1", "::1", "localhost:web1", "all:localhost", "localhost:&all", "all:!localhost",
        "localhost[0]", "local*", "~local.*", "web1,::1",
    ])
    func matchesAnsible(_ pattern: String) throws {
        let expected = try AnsibleOracle.listHosts(pattern, inventory: Self.fixture.path)
        #expect(try inventory().hosts(matching: pattern) == expected)
    }
}

/// Runs ansible-core's own `ansible` command as the oracle for host patterns.
enum AnsibleOracle {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "`ansible` is not on PATH; run `pip install ansible-core` (or scripts/install-deps.sh)" }
    }

    /// The hosts `ansible PATTERN -i FILE --list-hosts` prints, in its order.
    static func listHosts(_ pattern: String, inventory: String) throws -> [String] {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/ansible" }
        guard let ansible = path.first(where: FileManager.default.isExecutableFile) else { throw Missing() }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ansible-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ansible)
        process.arguments = [pattern, "-i", inventory, "--list-hosts"]
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = scratch.path
        env["ANSIBLE_LOCAL_TEMP"] = scratch.path + "/tmp"
        env["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "true"
        process.environment = env
        process.currentDirectoryURL = scratch
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        return lines.filter { !$0.contains("hosts (") }.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
