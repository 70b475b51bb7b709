import ArgumentParser
import OverlayEngine

/// The flags `apply` and `diff` share.
struct ApplyTargetOptions: ParsableArguments {
    @OptionGroup var scope: HostOptions

    @Option(help: "Apply a pre-rendered bundle (JSON, '-' for stdin) instead of rendering the repo.")
    var bundle: String?

    @Flag(help: "Replace managed paths that were replaced by unmanaged files (they are backed up first).")
    var force = false

    /// Where the golden state comes from: the bundle, else the repo at `--root` with `-i`.
    func source(_ global: GlobalOptions) -> GoldenStateSource {
        bundle.map(GoldenStateSource.bundle) ?? .repo(scope.inventory.source(global))
    }
}
