import Foundation

/// A value computed on first use and shared by every thread after that.
final class ComputedOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T?
    private let compute: @Sendable () -> T

    init(_ compute: @escaping @Sendable () -> T) { self.compute = compute }

    func get() -> T {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        let computed = compute()
        value = computed
        return computed
    }
}
