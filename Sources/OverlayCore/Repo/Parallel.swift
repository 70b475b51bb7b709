import Foundation

/// Runs independent work on all cores.
public enum Parallel {
    /// Maps `items` through `transform` concurrently, keeping the order.
    public static func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        let box = ResultBox<R>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { i in
            box.set(i, transform(items[i]))
        }
        return box.values()
    }

    /// Slots written by distinct iterations; each index is written exactly once.
    private final class ResultBox<R>: @unchecked Sendable {
        private var slots: [R?]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ value: R) {
            lock.lock()
            slots[i] = value
            lock.unlock()
        }
        func values() -> [R] { slots.compactMap { $0 } }
    }
}
