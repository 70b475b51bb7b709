import OverlayEngine
import OverlayRuntime

/// What the state commands (`status`, `generations`, `rollback`) share: finding the state dir.
enum StateCommand {
    /// The state dir of `--host` (or this machine's host); a fallback is announced on stderr.
    static func stateDir(global: GlobalOptions, scope: HostOptions, engine: Engine) throws(SourceError) -> StateDirectory {
        let lookup = try engine.stateDirectory(source: scope.inventory.source(global), host: scope.host)
        if let notice = lookup.notice { Output.log(notice) }
        return lookup.stateDir
    }
}
