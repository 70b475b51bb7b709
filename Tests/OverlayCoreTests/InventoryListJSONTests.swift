import Testing

@testable import OverlayCore

/// `InventoryListing.listJSON` (written from the definitions, hosts in parallel chunks)
/// must print byte for byte what the general writer prints for `list`.
@Suite struct InventoryListJSONTests {
    func expectSameBytes(_ inv: Inventory) {
        let listing = InventoryListing(inv)
        let general = JSONWriter.bytes(listing.list, pretty: true, sortKeys: true)
        #expect(String(decoding: listing.listJSON, as: UTF8.self) == String(decoding: general, as: UTF8.self))
    }

    @Test func manyHostsAcrossChunksMatchTheGeneralWriter() throws {
        // More hosts than one chunk, listed out of name order, some without variables,
        // group variables overridden per host, nested values and keys that need escaping.
        var yaml = "all:\n  vars: {tier: base, \"quote\\\"key\": 1, list: [1, {a: b}]}\n  children:\n"
        for g in 0..<7 {
            yaml += "    grp\(g):\n      vars: {tier: g\(g), zeta: \(g), Alpha: {deep: [x, \(g)]}}\n      hosts:\n"
            for h in stride(from: 700 - g, to: 0, by: -7) {
                yaml += h % 5 == 0 ? "        n\(h):\n" : "        n\(h): {tier: own\(h), \"é\": true, b_\(h % 3): null}\n"
            }
        }
        let inv = try InventoryFixture.make(yaml, files: ["group_vars/grp3.yml": "zeta: file\nmid: 2.5\n"])
        #expect(inv.hostNames.count > InventoryListing.hostsPerChunk * 2)
        expectSameBytes(inv)
    }

    @Test func upperCaseGroupSortsBeforeMeta() throws {
        let inv = try InventoryFixture.make(
            """
            all:
              children:
                Admin:
                  hosts: {a1: {x: 1}}
                web:
                  hosts: {w1: }
            """)
        let text = String(decoding: InventoryListing(inv).listJSON, as: UTF8.self)
        let admin = try #require(text.range(of: "\"Admin\""))
        let meta = try #require(text.range(of: "\"_meta\""))
        #expect(admin.lowerBound < meta.lowerBound)
        expectSameBytes(inv)
    }

    @Test func inventoryWithoutVariablesHasEmptyHostvars() throws {
        let inv = try InventoryFixture.make("all:\n  hosts: {a: , b: }\n")
        #expect(String(decoding: InventoryListing(inv).listJSON, as: UTF8.self).contains("\"hostvars\": {}"))
        expectSameBytes(inv)
    }
}
