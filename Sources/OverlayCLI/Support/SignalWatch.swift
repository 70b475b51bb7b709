import Dispatch
import Foundation

/// SIGINT and SIGTERM turned into a call, for a command that stops cleanly (converge): the
/// first signal calls `onFirst`; a second one calls `onAgain` and exits at once with 128 + its
/// number (130, 143). The default actions come back with `stop()`.
final class SignalWatch: @unchecked Sendable {
    /// A signal that arrived.
    struct Caught {
        var number: Int32
        var name: String { number == SIGTERM ? "SIGTERM" : "SIGINT" }
    }

    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var seen = false

    /// Watches SIGINT and SIGTERM.
    static func start(
        _ onFirst: @escaping @Sendable (Caught) -> Void, onAgain: @escaping @Sendable () -> Void = {}
    ) -> SignalWatch {
        let watch = SignalWatch()
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [watch] in
                if watch.firstTime() {
                    onFirst(Caught(number: number))
                } else {
                    // A second signal: stop now. Every switch is one rename, so no host is left
                    // half-switched; the next run cleans what this one staged.
                    let caught = Caught(number: number)
                    FileHandle.standardError.write(Data("overlay: \(caught.name) again: stopping now\n".utf8))
                    onAgain()
                    _exit(128 + number)
                }
            }
            source.resume()
            watch.sources.append(source)
        }
        return watch
    }

    private func firstTime() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        defer { seen = true }
        return !seen
    }

    /// Stops watching and restores the default actions.
    func stop() {
        for s in sources { s.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
