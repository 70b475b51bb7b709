import ArgumentParser
import Foundation
import OverlayEngine
import OverlayJobs

/// `--host` and `-i` of the `overlay jobs` subcommands: whose variables and state dir to use.
struct JobsScope: ParsableArguments {
    @Option(help: "The inventory host to run for: its variables fill {{ var }} in run, its state dir holds the ledger.")
    var host: String?

    @Option(
        name: [.customShort("i"), .customLong("inventory")], help: "The inventory file (default: the repo's inventory/hosts.yml).")
    var inventory: String?

    /// The repo at `--root` with this inventory.
    func source(_ global: GlobalOptions) -> RepoSource { RepoSource(root: global.rootURL, inventory: inventory) }

    /// The playbook at `path` loaded for this scope's host (`Engine.loadJobPlaybook`).
    func load(_ path: String, global: GlobalOptions) throws -> LoadedJobPlaybook {
        try global.engine.loadJobPlaybook(path, source: source(global), host: host)
    }

    /// The jobs area of this scope's state dir (`Engine.jobsDirectory`).
    func jobs(_ global: GlobalOptions) throws -> JobsDirectory {
        try global.engine.jobsDirectory(source: source(global), host: host)
    }
}
