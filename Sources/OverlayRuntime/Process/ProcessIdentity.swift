import Foundation

/// A process as another process can recognise it later: its pid and the kernel's start
/// time for it (`/proc/PID/stat`, clock ticks since boot).
///
/// A pid alone is reused after the process dies; pid + start time names one process
/// only, so a ledger can tell "still running" from "dead, and the pid now belongs to
/// someone else".
public struct ProcessIdentity: Sendable, Equatable, Codable {
    /// The process id (for a `ChildProcess`, also its process group and session id).
    public var pid: Int32
    /// The start time in clock ticks since boot.
    public var startTicks: UInt64

    /// An identity as recorded.
    public init(pid: Int32, startTicks: UInt64) {
        self.pid = pid
        self.startTicks = startTicks
    }

    /// The identity of the live process `pid`, or nil when there is none (or only its zombie).
    public static func of(_ pid: Int32) -> ProcessIdentity? {
        guard pid > 0, let stat = Self.stat(pid), stat.state != "Z", stat.state != "X" else { return nil }
        return ProcessIdentity(pid: pid, startTicks: stat.startTicks)
    }

    /// This process.
    public static var current: ProcessIdentity {
        of(getpid()) ?? ProcessIdentity(pid: getpid(), startTicks: 0)
    }

    /// True while the very process this identity names is alive (not a zombie).
    public var isAlive: Bool {
        guard let stat = Self.stat(pid) else { return false }
        return stat.startTicks == startTicks && stat.state != "Z" && stat.state != "X"
    }

    /// Ends the process group this process leads: SIGTERM, then SIGKILL after `grace` if any
    /// member is still there. Does nothing when the process is not this one any more.
    /// Returns true when the group was signalled.
    @discardableResult
    public func terminateGroup(grace: Duration) -> Bool {
        guard isAlive else { return false }
        kill(-pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline {
            // The group is gone when no process is left in it (kill(-pgid, 0) fails with ESRCH).
            if kill(-pid, 0) != 0 && errno == ESRCH { return true }
            if !isAlive && !Self.groupHasLiveMembers(pid) { return true }
            usleep(20_000)
        }
        kill(-pid, SIGKILL)
        return true
    }

    /// True when some non-zombie process still belongs to process group `pgid`.
    static func groupHasLiveMembers(_ pgid: Int32) -> Bool {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
        for entry in entries {
            guard let pid = Int32(entry), let stat = stat(pid), stat.state != "Z", stat.state != "X" else { continue }
            if stat.processGroup == pgid { return true }
        }
        return false
    }

    /// The fields of `/proc/PID/stat` this needs. The command name (field 2) is in
    /// parentheses and may itself hold spaces and parentheses: fields are counted after
    /// the last `)`.
    static func stat(_ pid: Int32) -> (state: Character, processGroup: Int32, startTicks: UInt64)? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
            let text = String(data: data, encoding: .utf8), let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), fields[2] field 5 (pgrp), fields[19] field 22 (starttime).
        guard fields.count > 19, let state = fields[0].first, let group = Int32(fields[2]), let start = UInt64(fields[19]) else {
            return nil
        }
        return (state, group, start)
    }
}
