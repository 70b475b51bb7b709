import Foundation

/// The CPU time the calling thread has used so far.
///
/// A bound on the work a synchronous call does, measured this way, holds on a loaded
/// machine: the wall clock also counts the time other tests' processes held the cores
/// (the scans below take ~5 s of CPU in a debug build, and a 2-core CI machine running
/// the whole suite can double the wall time).
func threadCPUTime() -> Duration {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return .seconds(now.tv_sec) + .nanoseconds(now.tv_nsec)
}
