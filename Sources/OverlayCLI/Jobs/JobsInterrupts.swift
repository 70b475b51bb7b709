import Dispatch
import Foundation
import OverlayRuntime

/// Turns SIGINT, SIGTERM and SIGHUP into a cancel of the run in progress: its steps' process
/// groups get SIGTERM (then SIGKILL after the grace period) and the run is recorded
/// `cancelled`, instead of the runner dying and leaving its steps running.
enum JobsInterrupts {
    /// A cancellation that fires on those signals while the returned sources are kept.
    static func install() -> (ChildCancellation, [any DispatchSourceSignal]) {
        let cancellation = ChildCancellation()
        var sources: [any DispatchSourceSignal] = []
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            Foundation.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler {
                FileHandle.standardError.write(Data("\noverlay: signal \(signal): cancelling the run (steps get SIGTERM)\n".utf8))
                cancellation.cancel()
            }
            source.resume()
            sources.append(source)
        }
        return (cancellation, sources)
    }
}
