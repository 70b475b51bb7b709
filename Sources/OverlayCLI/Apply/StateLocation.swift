import Foundation
import OverlayRuntime

/// The state dir for commands that do not render (generations, rollback, status).
enum StateLocation {
    /// `$OVERLAY_STATE_DIR`, else `$XDG_STATE_HOME/overlay`, else `~/.local/state/overlay`.
    static func fromEnvironment() -> StateDirectory {
        let env = ProcessInfo.processInfo.environment
        return StateDirectory.resolve(environment: env, home: env["HOME"] ?? NSHomeDirectory())
    }
}
