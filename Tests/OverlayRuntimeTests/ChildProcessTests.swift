import Foundation
import Testing

@testable import OverlayRuntime

@Suite struct ChildProcessTests {
    @Test func exitCodeOutputAndErrorsAreSeparate() throws {
        let r = try ChildProcess.shell("echo out; echo err >&2; exit 7").run()
        #expect(r.status == 7 && !r.timedOut)
        #expect(String(decoding: r.output, as: UTF8.self) == "out\n")
        #expect(String(decoding: r.errors, as: UTF8.self) == "err\n")
    }

    @Test func mergedErrorsInterleaveAndInputArrives() throws {
        var child = ChildProcess("/bin/sh", ["-c", "read line; echo got $line; echo warn >&2"], input: Data("hello\n".utf8))
        child.mergeErrors = true
        let r = try child.run()
        #expect(r.status == 0)
        #expect(String(decoding: r.output, as: UTF8.self) == "got hello\nwarn\n")
    }

    @Test func aSignalIsReportedAsOneTwentyEightPlusIt() throws {
        #expect(try ChildProcess.shell("kill -9 $$").run().status == 128 + SIGKILL)
    }

    @Test func theChildGetsOnlyItsThreeDescriptorsAndItsOwnSession() throws {
        // Our own descriptors (this test process holds many) must not leak into the child.
        let r = try ChildProcess.shell("ls /proc/$$/fd; ps -o sid= -p $$").run()
        let lines = String(decoding: r.output, as: UTF8.self).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(Array(lines.prefix(3)) == ["0", "1", "2"], "\(lines)")
        #expect(lines.count == 4, "only 0, 1, 2 should be open: \(lines)")
        #expect(Int32(lines.last ?? "") != getsid(0), "the child should lead a session of its own")
    }

    @Test func aBackgroundDaemonDoesNotKeepRunWaiting() throws {
        let start = ContinuousClock.now
        let r = try ChildProcess.shell("sleep 600 & echo $!").run()
        #expect(ContinuousClock.now - start < .seconds(30))
        let daemon = try #require(Int32(String(decoding: r.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(daemon, 0) == 0, "a command's background process is left running")
        kill(daemon, SIGKILL)
    }

    @Test func theTimeLimitKillsTheWholeGroup() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pidFile = dir.appendingPathComponent("grandchild").path
        var child = ChildProcess.shell("trap '' TERM; sleep 600 & echo $! > '\(pidFile)'; wait")
        // The shell must reach its `trap` before the SIGTERM and write the pid before the
        // SIGKILL: with 300 ms a shell started on a loaded 2-core machine could miss both.
        child.timeout = .seconds(2)
        child.killGrace = .seconds(1)
        let start = ContinuousClock.now
        let r = try child.run()
        #expect(r.timedOut && r.status == 128 + SIGKILL, "\(r)")
        #expect(ContinuousClock.now - start < .seconds(20))
        let grandchild = try #require(
            Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // PID 1 here may not reap orphans: dead means gone or a zombie.
        let deadline = Date().addingTimeInterval(30)
        while Self.isAlive(grandchild) && Date() < deadline { usleep(20_000) }
        #expect(!Self.isAlive(grandchild), "the grandchild survived the group kill")
    }

    @Test func aWorkingDirectoryIsEnteredAndAMissingOneIsCannotStart() throws {
        var child = ChildProcess.shell("pwd")
        child.workingDirectory = "/usr"
        #expect(String(decoding: try child.run().output, as: UTF8.self) == "/usr\n")
        child.workingDirectory = "/nonexistent-\(UUID().uuidString)"
        #expect(throws: ChildProcessError.self) { try child.run() }
    }

    @Test func onStartGetsThePidOfTheGroupLeaderWhileItRuns() throws {
        let seen = PidBox()
        var child = ChildProcess.shell("echo $$; sleep 0.3")
        child.onStart = { pid in seen.record(pid, ProcessIdentity.of(pid)) }
        let r = try child.run()
        let (pid, identity) = seen.value
        #expect(Int32(String(decoding: r.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) == pid)
        #expect(identity?.pid == pid && identity.map { $0.startTicks > 0 } == true)
        #expect(identity?.isAlive == false, "once it ended, pid + start time no longer name a live process")
    }

    @Test func cancellationEndsTheGroupLikeATimeout() throws {
        let cancellation = ChildCancellation()
        var child = ChildProcess.shell("trap '' TERM; sleep 600")
        child.cancellation = cancellation
        child.killGrace = .milliseconds(500)
        let start = ContinuousClock.now
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.5)
            cancellation.cancel()
        }
        let r = try child.run()
        #expect(r.cancelled && !r.timedOut && r.status == 128 + SIGKILL, "\(r)")
        #expect(ContinuousClock.now - start < .seconds(20))
    }

    @Test func anotherThreadEndsAGroupByItsRecordedIdentity() throws {
        // What `overlay jobs resume` does to a step left by a dead runner: only pid + start
        // time are known, and the whole group must go, a child ignoring SIGTERM included.
        let seen = PidBox()
        var child = ChildProcess.shell("trap '' TERM; sh -c 'trap \"\" TERM; sleep 600' & wait")
        child.onStart = { pid in seen.record(pid, ProcessIdentity.of(pid)) }
        Thread.detachNewThread {
            while seen.value.1 == nil { usleep(10_000) }
            Thread.sleep(forTimeInterval: 0.3)
            _ = seen.value.1?.terminateGroup(grace: .milliseconds(300))
        }
        let r = try child.run()
        #expect(r.status == 128 + SIGKILL, "\(r)")
        let stale = ProcessIdentity(pid: seen.value.0, startTicks: (seen.value.1?.startTicks ?? 0) + 1)
        #expect(!stale.isAlive && !stale.terminateGroup(grace: .zero), "a pid whose start time differs is someone else")
    }

    @Test func aMissingExecutableIsCannotStart() {
        #expect(throws: ChildProcessError.cannotStart(path: "/nonexistent/tool", errno: ENOENT)) {
            try ChildProcess("/nonexistent/tool").run()
        }
    }

    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }
}

/// What an `onStart` callback saw.
final class PidBox: @unchecked Sendable {
    private let lock = NSLock()
    private var pid: Int32 = 0
    private var identity: ProcessIdentity?

    func record(_ pid: Int32, _ identity: ProcessIdentity?) {
        lock.lock()
        self.pid = pid
        self.identity = identity
        lock.unlock()
    }

    var value: (Int32, ProcessIdentity?) {
        lock.lock()
        defer { lock.unlock() }
        return (pid, identity)
    }
}
