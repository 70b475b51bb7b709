import Foundation
import Testing

@testable import OverlayServer

@Suite("DeliveryLedger: remembered ids, bounded, persisted")
struct DeliveryLedgerTests {
    @Test("an id is claimed once; the newest ids survive a reload; the oldest are forgotten")
    func boundedAndPersisted() throws {
        let folder = try makeTemporaryFolder()
        let ledger = try DeliveryLedger(folder: folder, capacity: 3, logger: LogCapture().logger())
        #expect(ledger.claim("github:a"))
        #expect(!ledger.claim("github:a"))
        for id in ["b", "c", "d"] { #expect(ledger.claim("github:" + id)) }
        // Capacity 3: "a" is forgotten, "b" to "d" are remembered.
        #expect(ledger.claim("github:a"))
        let reloaded = try DeliveryLedger(folder: folder, capacity: 3, logger: LogCapture().logger())
        #expect(!reloaded.claim("github:d"))
        #expect(!reloaded.claim("github:a"))
        #expect(reloaded.claim("github:b"))
    }

    @Test("the file is compacted: it never holds more than twice the capacity")
    func compaction() throws {
        let folder = try makeTemporaryFolder()
        let ledger = try DeliveryLedger(folder: folder, capacity: 10, logger: LogCapture().logger())
        for i in 0..<95 { #expect(ledger.claim("generic:\(i)")) }
        let lines = try String(contentsOfFile: folder + "/deliveries", encoding: .utf8).split(separator: "\n")
        #expect(lines.count < 20)
        #expect(lines.last == "generic:94")
        let reloaded = try DeliveryLedger(folder: folder, capacity: 10, logger: LogCapture().logger())
        #expect(!reloaded.claim("generic:85"))
        #expect(reloaded.claim("generic:84"))
    }

    @Test("a torn last line (a crash mid-write) is harmless")
    func tornLine() throws {
        let folder = try makeTemporaryFolder()
        try "github:one\ngithub:tw".write(toFile: folder + "/deliveries", atomically: true, encoding: .utf8)
        let ledger = try DeliveryLedger(folder: folder, capacity: 10, logger: LogCapture().logger())
        #expect(!ledger.claim("github:one"))
        #expect(ledger.claim("github:two"))
        #expect(try String(contentsOfFile: folder + "/deliveries", encoding: .utf8).hasSuffix("github:two\n"))
    }

    @Test("a file that is not text is started anew, with an error logged")
    func unreadableFile() throws {
        let folder = try makeTemporaryFolder()
        try Data([0xFF, 0xFE, 0x00, 0xC3]).write(to: URL(fileURLWithPath: folder + "/deliveries"))
        let logs = LogCapture()
        let ledger = try DeliveryLedger(folder: folder, capacity: 10, logger: logs.logger())
        #expect(ledger.claim("github:x"))
        #expect(try String(contentsOfFile: folder + "/deliveries", encoding: .utf8) == "github:x\n")
        #expect(logs.lines.contains { $0.contains("cannot be read") })
    }
}
