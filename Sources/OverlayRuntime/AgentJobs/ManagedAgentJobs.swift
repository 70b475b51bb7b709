import Foundation
import OverlayCore

/// One host's agent jobs reconciled into the harness's `<home>/cron/jobs.json`, under the
/// harness's own lock, atomically (temp file, fsync, rename, fsync of the folder).
///
/// A corrupt file, a lock held past the wait or a symlinked file stops the step with the old
/// file intact; `check()` finds the first and the last before an apply switches anything.
public struct ManagedAgentJobs: Sendable {
    /// The declared jobs and where they go.
    public let target: RenderedAgentJobs
    /// The inventory host (recorded in each job's mark).
    public let host: String
    /// Seconds to wait for the harness's lock (its own wait is 30 s).
    public var lockTimeout: Double = 30
    public var clock: any WallClock

    public init(target: RenderedAgentJobs, host: String, clock: any WallClock = SystemClock(), lockTimeout: Double = 30) {
        self.target = target
        self.host = host
        self.clock = clock
        self.lockTimeout = lockTimeout
    }

    /// The zone the harness schedules in: the host's configured `timezone:`, else this machine's.
    public var zone: TimeZone { target.timezone.flatMap(TimeZone.init(identifier:)) ?? TimeZone.current }

    var cronDir: String { target.home + "/cron" }

    /// Reads the live file without writing (nil when there is none); refuses a symlinked
    /// `cron/` or `jobs.json` and a file the harness did not write.
    public func readLive() throws(AgentJobsError) -> JobsDocument? {
        for path in [cronDir, target.jobsFile] {
            var st = stat()
            if lstat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFLNK { throw .symlink(path: path) }
        }
        let fd = open(target.jobsFile, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw .io(operation: "open", path: target.jobsFile, errno: errno)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "read", path: target.jobsFile, errno: errno)
            }
            if n == 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > JobsDocument.maxBytes { break }
        }
        return try JobsDocument.parse(bytes, path: target.jobsFile)
    }

    /// What `install` would start from: checked before an apply switches anything.
    public func check() throws(AgentJobsError) { _ = try readLive() }

    /// Reconciles the declared jobs into the file (with `dryRun`: only reports).
    public func install(dryRun: Bool) throws(AgentJobsError) -> AgentJobsChange {
        if dryRun {
            let live = try readLive() ?? JobsDocument()
            let (_, changes) = try merge(live)
            return AgentJobsChange(path: target.jobsFile, jobs: changes, written: false, notes: notes(live))
        }
        try makeCronDir()
        let lock = try JobsLock.acquire(target.lockFile, timeout: lockTimeout)
        defer { lock.release() }
        let live = try readLive() ?? JobsDocument()
        let (merged, changes) = try merge(live)
        let written = merged != live || !FileManager.default.fileExists(atPath: target.jobsFile) && !merged.jobs.isEmpty
        if written {
            let data = merged.encoded(updatedAt: PythonTime.isoformat(clock.now(), in: zone))
            do { try DurableFile.replace(target.jobsFile, with: data, mode: 0o600) } catch {
                if case .io(let op, let path, let code) = error { throw .io(operation: op, path: path, errno: code) }
                throw .io(operation: "write", path: target.jobsFile, errno: EIO)
            }
        }
        return AgentJobsChange(path: target.jobsFile, jobs: changes, written: written, notes: notes(live))
    }

    func merge(_ live: JobsDocument) throws(AgentJobsError) -> (JobsDocument, [AgentJobChange]) {
        try AgentJobsMerge(declared: target.jobs, host: host, now: clock.now(), zone: zone).merge(live)
    }

    /// Declared names that a hand-made job also has: `hermes cron pause NAME` is then ambiguous.
    private func notes(_ live: JobsDocument) -> [String] {
        let declared = Set(target.jobs.map { $0.name.lowercased() })
        return live.jobs.filter { AgentJobMark($0) == nil }.compactMap { job in
            guard let name = job["name"]?.stringValue, declared.contains(name.lowercased()) else { return nil }
            return
                "a job made by hand (\(job["id"]?.stringValue ?? "?")) is also named '\(name)': 'hermes cron pause \(name)' will ask which one; use the id"
        }
    }

    /// `<home>/cron` with the harness's mode (0700), created when missing.
    private func makeCronDir() throws(AgentJobsError) {
        var st = stat()
        if lstat(cronDir, &st) == 0 {
            if st.st_mode & S_IFMT == S_IFLNK { throw .symlink(path: cronDir) }
            return
        }
        do { try POSIX.makeDirectories(target.home, mode: 0o755) } catch {
            throw .io(operation: "mkdir", path: target.home, errno: EIO)
        }
        if mkdir(cronDir, 0o700) != 0 && errno != EEXIST { throw .io(operation: "mkdir", path: cronDir, errno: errno) }
    }
}
