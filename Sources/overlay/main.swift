import Dispatch
import OverlayCLI
import OverlayRuntime

// Before any thread or runtime descriptor exists (an async main would already have both):
// limits too low to run under stop here with the limit named, instead of a hang or a crash.
ResourceLimits.enforce()
Task { await OverlayMain.run() }
dispatchMain()
