import Foundation
import Testing

@testable import OverlayCore

/// Compares `CronSchedule.next` with croniter (the independent oracle) on hundreds of
/// generated expressions in UTC. Needs python3 with croniter (scripts/install-deps.sh).
@Suite struct CronOracleTests {
    struct Case: Decodable {
        var expr: String
        var from: String
        var next: [String]
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/cron/croniter_oracle.py")

    static func oracleCases(count: Int, seed: Int) throws -> [Case] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, String(count), String(seed)]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            Issue.record("the croniter oracle failed (is croniter installed? run scripts/install-deps.sh): \(errors)")
            return []
        }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try JSONDecoder().decode(Case.self, from: Data($0.utf8))
        }
    }

    static func utcStamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    @Test(arguments: [20_260_101, 7])
    func agreesWithCroniterInUTC(seed: Int) throws {
        let cases = try Self.oracleCases(count: 400, seed: seed)
        #expect(cases.count >= 300, "the oracle produced too few cases")
        let utc = try #require(TimeZone(identifier: "UTC"))
        let iso = ISO8601DateFormatter()
        var disagreements: [String] = []
        for c in cases {
            let schedule = try CronSchedule.parse(c.expr)
            var cursor = try #require(iso.date(from: c.from))
            var ours: [String] = []
            for _ in c.next {
                guard let next = schedule.next(after: cursor, in: utc) else { break }
                ours.append(Self.utcStamp(next))
                cursor = next
            }
            if ours != c.next { disagreements.append("\(c.expr) from \(c.from): croniter \(c.next), overlay \(ours)") }
        }
        #expect(
            disagreements.isEmpty, "\(disagreements.count) of \(cases.count) disagree:\n\(disagreements.prefix(10).joined(separator: "\n"))"
        )
    }
}
