import CSpawn
import Foundation
import OverlayCore

#if canImport(Glibc)
    import Glibc
#endif

/// Checks, before any thread or runtime descriptor exists, that overlay can run under this
/// process's limits — and otherwise says so and exits, instead of hanging or crashing later.
///
/// - `ulimit -n`: a soft limit under 1024 is raised toward the hard one; below
///   `minimumOpenFiles` the run stops with the limit named. An EMFILE later says "too many
///   open files (limit N): lower --forks …" (`ErrnoText`).
/// - `ulimit -v`: thread stacks and malloc arenas are made smaller (both reserve address space
///   that the limit counts), the run stops when less than `minimumHeadroom` is left beyond
///   what is already mapped, and a crash afterwards — an allocation that failed — is reported
///   as running out of memory under that limit, with exit status 1.
public enum ResourceLimits {
    /// Descriptors an apply needs at once (runtime, lock, a file, a child's three, …).
    public static let minimumOpenFiles: UInt64 = 32
    /// Address space a run needs beyond what the binary maps at start-up.
    public static let minimumHeadroom: UInt64 = 16 << 20

    /// Why the process cannot run under its limits.
    public enum Shortage: Error, Equatable, CustomStringConvertible {
        case openFiles(limit: UInt64)
        case addressSpace(limitKiB: UInt64, mappedKiB: UInt64)

        public var description: String {
            switch self {
            case .openFiles(let limit):
                return
                    "too many open files (limit \(limit)): overlay needs at least \(ResourceLimits.minimumOpenFiles) descriptors; raise the limit (ulimit -n 1024)"
            case .addressSpace(let limit, let mapped):
                let needed = mapped + ResourceLimits.minimumHeadroom / 1024
                return
                    "out of memory under the address-space limit (ulimit -v \(limit) KiB): overlay maps \(mapped / 1024) MiB at start-up and needs at least \(needed / 1024) MiB; raise the limit"
            }
        }
    }

    /// Adjusts what can be adjusted and returns the shortage that stops the run, if any.
    public static func prepare() -> Shortage? {
        var files = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &files) == 0 {
            // Up to the usual 1024, not beyond: children inherit the limit, and a select(2)
            // loop in a handler breaks past it.
            if files.rlim_cur < min(files.rlim_max, 1024) {
                files.rlim_cur = min(files.rlim_max, 1024)
                _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &files)
                _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &files)
            }
            if files.rlim_cur < minimumOpenFiles { return .openFiles(limit: UInt64(files.rlim_cur)) }
        }
        var space = rlimit()
        guard getrlimit(Int32(RLIMIT_AS.rawValue), &space) == 0, space.rlim_cur != rlim_t.max else { return nil }
        _ = overlay_set_default_thread_stack(2 << 20)
        _ = overlay_limit_malloc_arenas(1)
        let limitKiB = UInt64(space.rlim_cur) / 1024
        let mappedKiB = mappedKiB()
        if mappedKiB + minimumHeadroom / 1024 > limitKiB {
            return .addressSpace(limitKiB: limitKiB, mappedKiB: mappedKiB)
        }
        let message =
            "overlay: error: out of memory under the address-space limit (ulimit -v \(limitKiB) KiB): the run stopped; "
            + "an apply is crash-safe, the next run cleans up; raise the limit and run again\n"
        _ = overlay_report_crashes_as(message)
        return nil
    }

    /// Runs `prepare`; on a shortage prints it and exits with status 1.
    public static func enforce() {
        guard let shortage = prepare() else { return }
        let line = "overlay: error: \(shortage.description)\n"
        _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        exit(1)
    }

    /// The process's mapped address space now (VmSize), in KiB.
    static func mappedKiB() -> UInt64 {
        let fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0, let pages = UInt64(String(decoding: buffer[0..<n], as: UTF8.self).split(separator: " ").first ?? "")
        else { return 0 }
        return pages * UInt64(sysconf(Int32(_SC_PAGESIZE))) / 1024
    }
}
