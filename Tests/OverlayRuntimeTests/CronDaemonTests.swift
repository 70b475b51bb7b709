import Foundation
import OverlayCore
import TestSupport
import Testing

@testable import OverlayRuntime

/// Proves an installed entry really runs: the real cron daemon fires it within a minute.
@Suite(.serialized) struct CronDaemonTests {
    // The limit includes waiting for RealCrontabSession's lock, which the deadman's daemon test
    // (up to 3 minutes) and the other real-crontab suites may hold first in a full run.
    @Test(.tags(.slow), .timeLimit(.minutes(10)))
    func installedEntryRunsUnderTheRealDaemon() throws {
        let session = try RealCrontabSession()
        defer { session.restore() }
        let dir = try makeCrontabTempDir()
        let stamp = dir.appendingPathComponent("fired")
        // The env prefix and the escaped `%` both have to survive cron for the stamp to hold seconds.
        let job = RenderedCronJob(
            name: "daemon-probe", schedule: "* * * * *",
            command: #"date +\%s > "$STAMP_DIR/fired.tmp" && mv "$STAMP_DIR/fired.tmp" "$STAMP_DIR/fired""#,
            env: ["STAMP_DIR": dir.path])
        let install = { _ = try ManagedCrontab(target: .user).install(jobs: [job], host: "cron-daemon-test-\(getpid())") }

        var syslog: SyslogCatcher?
        defer { syslog?.close() }
        if try !CronDaemon.isRunning() { syslog = SyslogCatcher() }
        try CronDaemon.install(install)

        let deadline = Date().addingTimeInterval(75)
        while !FileManager.default.fileExists(atPath: stamp.path) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.5)
        }

        guard let written = try? contents(stamp) else {
            Issue.record("cron did not run the installed entry within 75 s\n\(try daemonReport(session, syslog: syslog))")
            return
        }
        #expect(Int(written.trimmingCharacters(in: .whitespacesAndNewlines)) != nil)
    }

    /// What a failure needs to be understood: the daemons, the installed crontab, what cron
    /// logged and mailed.
    private func daemonReport(_ session: RealCrontabSession, syslog: SyslogCatcher?) throws -> String {
        let daemons = try runTool("/bin/ps", ["-C", "cron", "-o", "pid=,user=,stat=,lstart=,args="]).stdout
        // A daemon in another mount namespace reads another spool and writes another /tmp.
        let namespaces = daemons.split(separator: "\n").compactMap { $0.split(separator: " ").first }.map { pid in
            let theirs = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/mnt")) ?? "?"
            return "\(pid): mnt \(theirs)"
        }
        let ours = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/mnt")) ?? "?"
        let listed = (try? session.listed()) ?? "(crontab -l failed)"
        let user = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid \(geteuid())"
        let mail = (try? String(contentsOfFile: "/var/mail/\(user)", encoding: .utf8)).map { String($0.suffix(1500)) }
        return """
            now: \(Date()); uid \(geteuid()); cron processes:
            \(daemons)namespaces (ours mnt \(ours)): \(namespaces.joined(separator: ", "))
            crontab -l:
            \(listed)syslog from cron: \(syslog?.drain().joined(separator: "\n") ?? "(not captured: /dev/log exists or cron was already running)")
            mail for \(user): \(mail ?? "(none)")
            """
    }
}

/// Receives what a daemon sends to syslog, on a machine that has no syslog daemon (no
/// /dev/log), so a test can show what cron said. Removed again by `close()`.
final class SyslogCatcher {
    private static let path = "/dev/log"
    private let fd: Int32

    init?() {
        guard !FileManager.default.fileExists(atPath: Self.path) else { return nil }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in Self.path.utf8.enumerated() { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            Glibc.close(fd)
            return nil
        }
        chmod(Self.path, 0o666)
        self.fd = fd
    }

    /// Every message received so far.
    func drain() -> [String] {
        var lines: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if n <= 0 { return lines }
            lines.append(String(decoding: buffer[0..<n], as: UTF8.self))
        }
    }

    func close() {
        Glibc.close(fd)
        unlink(Self.path)
    }
}
