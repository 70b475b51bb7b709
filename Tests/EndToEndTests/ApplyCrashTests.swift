import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Collects what the concurrent reader saw (written by the reader thread, read after it stops).
final class ReaderTally: @unchecked Sendable {
    private let lock = NSLock()
    private var _violations: [String] = []
    private var _conclusive = 0
    private var _stop = false

    var stop: Bool {
        get { lock.withLock { _stop } }
        set { lock.withLock { _stop = newValue } }
    }
    func violation(_ s: String) { lock.withLock { if _violations.count < 20 { _violations.append(s) } } }
    func conclusive() { lock.withLock { _conclusive += 1 } }
    var violations: [String] { lock.withLock { _violations } }
    var conclusiveCount: Int { lock.withLock { _conclusive } }
}

@Suite(.serialized) struct ApplyCrashTests {
    static let fileCount = 24

    /// A bundle whose every file embeds `tag` at both ends, so a reader can tell generations apart.
    static func taggedBundle(_ box: ApplySandbox, tag: Int) -> [String: Any] {
        let files = (0..<fileCount).map { i -> (String, String) in
            let body = String(repeating: "payload \(tag) \(i)\n", count: 200)
            return ("f\(i % 4)/file\(i).txt", "tag=\(tag)\n" + body + "end tag=\(tag)\n")
        }
        return box.bundle(files + [("channel.json", "tag=\(tag)\nend tag=\(tag)\n")], copies: ["channel.json"])
    }

    /// The tag of a complete file, or nil when it is missing or partial.
    static func tag(of text: String?) -> Int? {
        guard let text, text.hasPrefix("tag="), let first = text.split(separator: "\n").first,
            let tag = Int(first.dropFirst(4)), text.hasSuffix("end tag=\(tag)\n")
        else { return nil }
        return tag
    }

    static func readLink(_ path: String) -> String? { try? FileManager.default.destinationOfSymbolicLink(atPath: path) }

    /// Reads every managed path again and again: each must be complete, and when `current` did not
    /// move during the read, all must carry the same tag.
    static func startReader(_ box: ApplySandbox, tally: ReaderTally) -> Thread {
        let paths = (0..<fileCount).map { box.hermes + "/f\($0 % 4)/file\($0).txt" }
        let copy = box.hermes + "/channel.json"
        let current = box.state + "/current"
        let thread = Thread {
            while !tally.stop {
                let before = readLink(current)
                var tags: [Int] = []
                for p in paths {
                    let text = try? String(contentsOfFile: p, encoding: .utf8)
                    guard let t = tag(of: text) else {
                        tally.violation("\(p) missing or partial: \(text?.prefix(40) ?? "nil")")
                        continue
                    }
                    tags.append(t)
                }
                if tag(of: try? String(contentsOfFile: copy, encoding: .utf8)) == nil {
                    tally.violation("\(copy) missing or partial")
                }
                let after = readLink(current)
                if before == after, before != nil {
                    if Set(tags).count > 1 { tally.violation("mixed generations under \(before ?? ""): \(Set(tags).sorted())") }
                    tally.conclusive()
                }
            }
        }
        thread.start()
        return thread
    }

    /// Starts `overlay apply --bundle` without waiting.
    static func spawnApply(_ box: ApplySandbox, bundle: String, extra: [String] = []) throws -> Process {
        let p = Process()
        p.executableURL = PackagePaths.binary
        p.arguments = ["apply", "--bundle", bundle, "-q"] + extra
        var env = ProcessInfo.processInfo.environment
        for (k, v) in box.env { env[k] = v }
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    @Test func sigkillAtManyInstantsNeverShowsAMixOrAMissingFileAndTheNextApplyRecovers() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        #expect(try box.apply(try box.write(Self.taggedBundle(box, tag: 0))).status == 0)
        // Time one full apply to spread the kills over its whole length.
        let start = Date()
        #expect(try box.apply(try box.write(Self.taggedBundle(box, tag: 1))).status == 0)
        let full = Date().timeIntervalSince(start)
        let tally = ReaderTally()
        let reader = Self.startReader(box, tally: tally)
        let runs = 200
        var completed = 0
        for i in 0..<runs {
            let path = try box.write(Self.taggedBundle(box, tag: i + 2), name: "crash.json")
            let p = try Self.spawnApply(box, bundle: path, extra: ["--keep", "3"])
            // Delays from 0 to 1.2× a full apply, stepped so every phase gets hit.
            usleep(useconds_t(full * 1.2 * Double(i % 60) / 60.0 * 1_000_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .exit { completed += 1 }
        }
        tally.stop = true
        while reader.isExecuting { usleep(1000) }
        #expect(tally.violations.isEmpty, "\(tally.violations)")
        #expect(tally.conclusiveCount > runs)
        #expect(completed < runs, "no run was actually killed")
        let final = try box.apply(try box.write(Self.taggedBundle(box, tag: 9999)))
        #expect(final.status == 0, "\(final.stderr)")
        for i in 0..<Self.fileCount { #expect(Self.tag(of: box.read("f\(i % 4)/file\(i).txt")) == 9999) }
        #expect(Self.tag(of: box.read("channel.json")) == 9999)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: box.state + "/generations").filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
        let status = try runOverlay(["status", "--format", "json"], env: box.env)
        #expect(status.json["ok"] as? Bool == true, "\(status.stdout)")
    }

    @Test func applyExitsSeventyFiveWhileAnotherProcessHoldsTheLock() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        try FileManager.default.createDirectory(atPath: box.state, withIntermediateDirectories: true)
        let fd = open(box.state + "/lock", O_RDWR | O_CREAT, 0o600)
        #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
        defer { close(fd) }
        let r = try box.apply(try box.write(box.bundle([("a.txt", "a\n")])), ["--lock-timeout", "1"])
        #expect(r.status == 75)
        #expect(r.stderr.contains("lock"))
        #expect(box.read("a.txt") == nil)
    }

    @Test func tenConcurrentAppliesSerializeAndLeaveOneConsistentGeneration() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let processes = try (1...10).map { tag in
            try Self.spawnApply(
                box, bundle: try box.write(Self.taggedBundle(box, tag: tag), name: "c\(tag).json"), extra: ["--keep", "20"])
        }
        for p in processes { p.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let gens = try runOverlay(["generations", "--format", "json"], env: box.env)
        let numbers = (gens.json["generations"] as? [[String: Any]])?.compactMap { $0["number"] as? Int } ?? []
        #expect(numbers == Array(1...10))
        let tags = Set((0..<Self.fileCount).map { Self.tag(of: box.read("f\($0 % 4)/file\($0).txt")) })
        #expect(tags.count == 1 && tags.first != nil)
        let status = try runOverlay(["status", "--format", "json"], env: box.env)
        #expect(status.json["ok"] as? Bool == true)
    }
}
