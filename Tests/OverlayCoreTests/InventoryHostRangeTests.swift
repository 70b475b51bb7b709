import Testing

@testable import OverlayCore

@Suite struct InventoryHostRangeTests {
    @Test func zeroPaddedNumericRange() throws {
        #expect(try HostRange("web[01:04].example.com").hosts == (1...4).map { "web0\($0).example.com" })
    }

    @Test func unpaddedRangeCountsPastWidth() throws {
        #expect(try HostRange("web[8:10]").hosts == ["web8", "web9", "web10"])
    }

    @Test func letterRange() throws {
        #expect(try HostRange("db-[a:c]").hosts == ["db-a", "db-b", "db-c"])
    }

    @Test func stepSkipsValues() throws {
        #expect(try HostRange("n[0:10:5]").hosts == ["n0", "n5", "n10"])
    }

    @Test func twoRangesMultiply() throws {
        #expect(try HostRange("r[1:2]-[a:b]").hosts == ["r1-a", "r1-b", "r2-a", "r2-b"])
    }

    @Test func omittedBeginStartsAtZero() throws {
        #expect(try HostRange("h[:2]").hosts == ["h0", "h1", "h2"])
    }

    @Test func portAfterNameSetsPort() throws {
        let r = try HostRange("bastion:2222")
        #expect(r.hosts == ["bastion"])
        #expect(r.port == 2222)
    }

    @Test func rangeWithPort() throws {
        let r = try HostRange("web[1:2]:22")
        #expect(r.hosts == ["web1", "web2"])
        #expect(r.port == 22)
    }

    @Test func plainNameIsOneHost() throws {
        #expect(try HostRange("timmy").hosts == ["timmy"])
    }

    @Test func unequalPaddedWidthsFail() {
        #expect(throws: HostRange.Failure.self) { try HostRange("web[01:100]") }
    }

    @Test func reversedLettersFail() {
        #expect(throws: HostRange.Failure.self) { try HostRange("db-[c:a]") }
    }

    @Test func missingEndFails() {
        #expect(throws: HostRange.Failure.self) { try HostRange("web[1:]") }
    }

    @Test func mixedBoundsFail() {
        #expect(throws: HostRange.Failure.self) { try HostRange("web[1:c]") }
    }

    @Test func unclosedBracketFails() {
        #expect(throws: HostRange.Failure.self) { try HostRange("web[1:3") }
    }
}
