import Foundation
import OverlayGit

/// A fetch with a time limit. libgit2 1.5 has no network timeout and a blocked socket read
/// cannot be cancelled, so the fetch runs on a thread of its own; when the limit passes first,
/// the pull goes on without it (reporting the fetch as failed) and the thread is left to the
/// process's exit. `overlay pull` exits right after; `overlay serve` runs each pull as a child.
enum FetchDeadline {
    enum Outcome<T: Sendable>: Sendable {
        case finished(Result<T, GitError>)
        case timedOut
    }

    /// Runs `fetch`, waiting at most `seconds`.
    static func run<T: Sendable>(seconds: Double, _ fetch: @escaping @Sendable () throws(GitError) -> T) -> Outcome<T> {
        let box = ResultSlot<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let result: Result<T, GitError>
            do throws(GitError) { result = .success(try fetch()) } catch { result = .failure(error) }
            box.set(result)
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
        guard done.wait(timeout: .now() + max(seconds, 0.001)) == .success, let result = box.get() else { return .timedOut }
        return .finished(result)
    }

    /// `seconds` as the message shows it.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    private final class ResultSlot<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Result<T, GitError>?
        func set(_ result: Result<T, GitError>) { lock.withLock { value = result } }
        func get() -> Result<T, GitError>? { lock.withLock { value } }
    }
}
