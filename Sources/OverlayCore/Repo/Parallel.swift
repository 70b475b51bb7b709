import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs independent work on several threads.
///
/// The threads are started here with `pthread_create`, not taken from libdispatch: when a
/// thread cannot be created (an address-space limit, `ulimit -u`), libdispatch sleeps and
/// retries forever, and the process hangs without a word. Here a thread that cannot be
/// started is simply not used: the calling thread always works too, so the work finishes
/// on the threads there are.
public enum Parallel {
    /// Maps `items` through `transform` on up to one thread per core, keeping the order.
    public static func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        withoutActuallyEscaping(transform) { transform in
            map(items, width: ProcessInfo.processInfo.activeProcessorCount, transform)
        }
    }

    /// Maps `items` through `transform` on up to `width` threads (the caller's included),
    /// keeping the order: for work that mostly waits (a subprocess, a network peer), where the
    /// core count is the wrong limit.
    public static func map<T: Sendable, R: Sendable>(
        _ items: [T], width: Int, _ transform: @escaping @Sendable (T) -> R
    ) -> [R] {
        let box = ResultBox<R>(count: items.count)
        let next = ResultBox<Int>(count: 0)
        run(threads: min(max(width, 1), items.count)) {
            while let i = next.claim(below: items.count) { box.set(i, transform(items[i])) }
        }
        return box.values()
    }

    /// Runs two independent pieces of work at once and returns both results.
    public static func both<A: Sendable, B: Sendable>(_ a: @Sendable () -> A, _ b: @Sendable () -> B) -> (A, B) {
        withoutActuallyEscaping(a) { a in
            withoutActuallyEscaping(b) { b in
                let results = map([0, 1], width: 2) { i -> (A?, B?) in i == 0 ? (a(), nil) : (nil, b()) }
                // Both slots are always filled: `map` runs every item.
                return (results[0].0 ?? a(), results[1].1 ?? b())
            }
        }
    }

    /// Stack of each extra thread: 8 MiB as the main thread has, but 2 MiB under an
    /// address-space limit (`ulimit -v`), where every reserved stack counts against it.
    static let stackSize: Int = {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return 8 << 20 }
        return 2 << 20
    }()

    /// Runs `body` on the calling thread and on up to `threads - 1` others, and returns when
    /// all of them have. A thread that cannot be created is skipped.
    static func run(threads: Int, _ body: @escaping @Sendable () -> Void) {
        var started: [pthread_t] = []
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        for _ in 1..<max(threads, 1) {
            let work = Unmanaged.passRetained(Work(body)).toOpaque()
            var thread = pthread_t()
            let rc = pthread_create(
                &thread, &attributes,
                { raw in
                    guard let raw else { return nil }
                    Unmanaged<Work>.fromOpaque(raw).takeRetainedValue().body()
                    return nil
                }, work)
            guard rc == 0 else {
                Unmanaged<Work>.fromOpaque(work).release()
                break
            }
            started.append(thread)
        }
        body()
        for thread in started { pthread_join(thread, nil) }
    }

    /// The closure a started thread runs.
    private final class Work: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
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
