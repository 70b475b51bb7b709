import Foundation

/// The peaks of a running process's resources, read from `/proc/<pid>` while it ran.
struct ResourcePeaks {
    /// Most open file descriptors seen at once (`/proc/<pid>/fd`).
    var descriptors = 0
    /// Most threads seen at once (`/proc/<pid>/task`).
    var threads = 0
    /// Largest resident set seen, in KiB (`VmRSS` of `/proc/<pid>/status`).
    var residentKiB = 0
    /// How many times the process was sampled: a run sampled a few times proves little.
    var samples = 0
}

/// One run of the built `overlay` binary, its wall-clock time and what it held while running.
struct SampledRun {
    var result: OverlayResult
    var seconds: Double
    var peaks: ResourcePeaks
}

/// Runs `overlay` with `args` and samples its descriptors, threads and memory every few
/// milliseconds until it exits (its output is drained on other threads, so it never stalls).
func runOverlaySampled(_ args: [String], env: [String: String], timeout: TimeInterval = 600) throws -> SampledRun {
    let process = Process()
    process.executableURL = PackagePaths.binary
    process.arguments = args
    var environment = ProcessInfo.processInfo.environment
    environment["OVERLAY_HOSTNAME"] = "overlay-test-machine"
    for (k, v) in env { environment[k] = v }
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    let started = Date()
    try process.run()
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
        outData = out.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let proc = "/proc/\(process.processIdentifier)"
    var peaks = ResourcePeaks()
    let fm = FileManager.default
    while process.isRunning {
        if Date().timeIntervalSince(started) > timeout {
            process.terminate()
            break
        }
        // The process may exit between two reads: a failed read is no sample.
        if let fds = try? fm.contentsOfDirectory(atPath: proc + "/fd"), let tasks = try? fm.contentsOfDirectory(atPath: proc + "/task"),
            let status = try? String(contentsOfFile: proc + "/status", encoding: .utf8)
        {
            peaks.descriptors = max(peaks.descriptors, fds.count)
            peaks.threads = max(peaks.threads, tasks.count)
            peaks.residentKiB = max(peaks.residentKiB, residentKiB(status))
            peaks.samples += 1
        }
        usleep(3_000)
    }
    process.waitUntilExit()
    let seconds = Date().timeIntervalSince(started)
    group.wait()
    let result = OverlayResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
    return SampledRun(result: result, seconds: seconds, peaks: peaks)
}

/// `VmRSS` of a `/proc/<pid>/status` text, in KiB (0 when absent, as for a zombie).
private func residentKiB(_ status: String) -> Int {
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }
    return 0
}

/// Counts the times one file is replaced or rewritten, with inotify on its folder: each
/// `rename(2)` onto its name (how crontab files are written) and each close of it after writing.
final class FileWriteCounter {
    private let fd: Int32
    private let name: String

    /// Watches `path`'s folder for writes of `path`. Events queue in the kernel until `take()`.
    init(path: String) throws {
        name = (path as NSString).lastPathComponent
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw ScenarioError("inotify_init1: \(String(cString: strerror(errno)))") }
        let folder = (path as NSString).deletingLastPathComponent
        guard inotify_add_watch(fd, folder, UInt32(IN_MOVED_TO | IN_CLOSE_WRITE)) >= 0 else {
            close(fd)
            throw ScenarioError("inotify_add_watch \(folder): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }

    /// The writes of the file since the last call; nil when the kernel's queue overflowed
    /// (then the count would be a lower bound, and the caller must not trust it).
    func take() -> Int? {
        var writes = 0
        var overflowed = false
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            var offset = 0
            // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; }
            while offset + 16 <= n {
                let mask = buffer[offset + 4..<offset + 8].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
                let len = Int(
                    buffer[offset + 12..<offset + 16].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) })
                let nameBytes = buffer[offset + 16..<min(offset + 16 + len, n)].prefix { $0 != 0 }
                if mask & UInt32(IN_Q_OVERFLOW) != 0 { overflowed = true }
                if String(decoding: nameBytes, as: UTF8.self) == name { writes += 1 }
                offset += 16 + len
            }
        }
        return overflowed ? nil : writes
    }
}

/// A file's identity and last change, to tell "left alone" from "replaced or rewritten".
struct FileStamp: Equatable {
    var inode: UInt64
    var modified: timespec

    init?(_ path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        inode = UInt64(st.st_ino)
        modified = st.st_mtim
    }

    static func == (a: FileStamp, b: FileStamp) -> Bool {
        a.inode == b.inode && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
    }
}
