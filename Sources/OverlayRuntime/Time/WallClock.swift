import Foundation

/// The time of day as overlay's decisions read it: generation times, pruning, lock waits,
/// deadman ages, job timestamps. Injected so that tests can drive time instead of sleeping.
///
/// Named apart from Swift's own `Clock` (a monotonic instant source): this one answers
/// "what time is it", which is what is recorded and compared across runs.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The system's wall clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that shows what it is set to: for tests, and for replaying a decision at a time.
public final class ManualClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    /// A clock that starts at `start`.
    public init(_ start: Date = Date(timeIntervalSince1970: 1_767_225_600)) { current = start }

    public func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// Moves the clock forward by `seconds`.
    public func advance(_ seconds: TimeInterval) {
        lock.lock()
        current += seconds
        lock.unlock()
    }

    /// Sets the clock to `date`.
    public func set(_ date: Date) {
        lock.lock()
        current = date
        lock.unlock()
    }
}
