import Foundation
import OverlayCore
import Testing

@testable import OverlayRuntime

/// The crontab line overlay writes stays within what Debian's cron reads, and a crontab's bytes
/// survive overlay whether or not they are UTF-8.
@Suite struct CrontabLimitTests {
    /// Asks the real `crontab -n` (a syntax check that installs nothing) about one line.
    func cronAccepts(_ line: String) throws -> Bool {
        let dir = try makeCrontabTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("crontab")
        try Data((line + "\n").utf8).write(to: file)
        return try runTool("/usr/bin/crontab", ["-n", file.path]).status == 0
    }

    /// The limit is cron's own: what `CrontabLine` renders at the limit is accepted by the real
    /// `crontab -n`, and one byte more is refused by both, env exports included.
    @Test(arguments: [0, 40])
    func theLimitIsWhatCronAccepts(envLength: Int) throws {
        let env = envLength == 0 ? [:] : ["PATH": String(repeating: "p", count: envLength)]
        let prefix = CronCommandField.render(command: "echo ", env: env).utf8.count + 1
        for (bytes, accepted) in [(CronCommandField.maxBytes, true), (CronCommandField.maxBytes + 1, false)] {
            let command = "echo " + String(repeating: "x", count: bytes - prefix)
            let job = RenderedCronJob(name: "long", schedule: "0 3 * * *", command: command, env: env)
            let field = CronCommandField.render(command: command, env: env)
            #expect(field.utf8.count == bytes)
            #expect(try cronAccepts("0 3 * * * " + field) == accepted, "crontab -n at \(bytes) bytes")
            #expect(((try? CrontabLine.render(job, user: nil)) != nil) == accepted, "overlay at \(bytes) bytes")
        }
    }

    @Test func aTwelveHundredCharacterCommandIsRefusedBeforeAnythingIsWritten() throws {
        let (crontab, url) = try fileCrontab("# mine\n")
        let job = RenderedCronJob(name: "long", schedule: "0 3 * * *", command: "echo " + String(repeating: "x", count: 1195))
        let error = try #require(throws: CrontabError.self) { try crontab.install(jobs: [job], host: "ezra") }
        #expect(error.description.contains("1200 bytes") && error.description.contains("998"), "\(error)")
        #expect(try contents(url) == "# mine\n")
    }

    @Test func aSecretReferenceNeverReachesTheCrontab() throws {
        let job = RenderedCronJob(name: "push", schedule: "@hourly", command: "push ${secret:TOKEN}")
        #expect(throws: CrontabError.self) { try CrontabLine.render(job, user: nil) }
    }

    /// Any bytes decode to text and encode back to the same bytes.
    @Test func crontabBytesRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        let tricky: [[UInt8]] = [
            [0xF4, 0x8F, 0xBC, 0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE9], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
        ]
        for round in 0..<500 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...64, using: &generator) {
                if Bool.random(using: &generator), let piece = tricky.randomElement(using: &generator) {
                    bytes += piece
                } else {
                    bytes.append(UInt8.random(in: 0...255, using: &generator))
                }
            }
            let data = Data(bytes)
            #expect(CrontabBytes.encode(CrontabBytes.decode(data)) == data, "round \(round): \(bytes)")
        }
        #expect(CrontabBytes.decode(Data("# café ✓\n".utf8)) == "# café ✓\n", "UTF-8 reads as itself")
    }
}
