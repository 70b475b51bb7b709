import Foundation
import Testing

@testable import OverlayJobs

/// The provenance check on its own: what a record needs, line numbers, limits.
@Suite struct ProvenanceCheckTests {
    func violations(_ text: String, limit: Int = 5) throws -> [String] {
        let box = try JobsSandbox()
        defer { box.remove() }
        try box.write("d.jsonl", text)
        var check = ProvenanceCheck(consentLevels: ["training", "research"])
        check.limit = limit
        return check.violations(path: box.workdir + "/d.jsonl", shown: "d.jsonl").map(\.description)
    }

    @Test func eachMissingPieceIsNamedWithItsLine() throws {
        let found = try violations(
            """
            {"session_id": "a", "consent": "training", "license": "MIT"}
            not json
            {"consent": "training", "license": "MIT"}
            {"session_id": "b", "consent": true, "license": "MIT"}
            {"session_id": "c", "consent": "research"}

            {"session_id": " ", "license": "MIT"}
            """)
        #expect(
            found == [
                "d.jsonl:2: not a JSON object: each line must be one record",
                "d.jsonl:3: record has no session_id",
                "d.jsonl:4: consent true is not an allowed level (policy/data.yaml: training, research)",
                "d.jsonl:5: record has no license",
                "d.jsonl:7: record has no session_id, consent (consent must be one of: training, research)",
            ], "\(found)")
    }

    @Test func onlyTheFirstViolationsAreReportedAndAHugeLineIsNotRead() throws {
        let many = String(repeating: "{}\n", count: 1000)
        #expect(try violations(many, limit: 3).count == 3)
        let huge = "{\"x\": \"" + String(repeating: "a", count: ProvenanceCheck.maxRecordBytes + 10) + "\"}\n{}"
        let found = try violations(huge)
        #expect(found.first == "d.jsonl:1: record longer than 1 MiB" && found.count == 2, "\(found.map { $0.prefix(80) })")
    }

    @Test func aCleanFileHasNoViolationsAndAMissingOneHasOne() throws {
        #expect(try violations("{\"session_id\": \"a\", \"consent\": \"training\", \"license\": \"CC0-1.0\"}").isEmpty)
        let missing = ProvenanceCheck(consentLevels: ["training"]).violations(path: "/nonexistent/d.jsonl", shown: "d.jsonl")
        #expect(missing.count == 1 && missing.first?.message.contains("cannot read it") == true)
    }
}
