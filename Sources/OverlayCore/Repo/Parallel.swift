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

    /// Maps `items` through `transform` on `width` threads of their own, keeping the order:
    /// for work that mostly waits (a subprocess, a network peer), where the core count is the
    /// wrong limit.
    public static func map<T: Sendable, R: Sendable>(
        _ items: [T], width: Int, _ transform: @escaping @Sendable (T) -> R
    ) -> [R] {
        let box = ResultBox<R>(count: items.count)
        let next = ResultBox<Int>(count: 0)
        let group = DispatchGroup()
        for _ in 0..<min(max(width, 1), items.count) {
            group.enter()
            let thread = Thread {
                while let i = next.claim(below: items.count) { box.set(i, transform(items[i])) }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return box.values()
    }

    /// Runs two independent pieces of work at once and returns both results.
    public static func both<A: Sendable, B: Sendable>(_ a: @Sendable () -> A, _ b: @Sendable () -> B) -> (A, B) {
        let first = ResultBox<A>(count: 1)
        let second = ResultBox<B>(count: 1)
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if i == 0 { first.set(0, a()) } else { second.set(0, b()) }
        }
        return (first.values()[0], second.values()[0])
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

        /// Hands out indices 0, 1, 2, … below `count` once each, across threads.
        private var claimed = 0
        func claim(below count: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard claimed < count else { return nil }
            claimed += 1
            return claimed - 1
        }
    }
}
