import ArgumentParser
import Foundation
import OverlayCore
import OverlayEngine
import OverlayJobs

/// `overlay jobs rollback PLAYBOOK [--to N]`: switches a promote target back.
struct JobsRollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Switch a playbook's promote target back (default: to the version before the live one).",
        discussion: "One rename(2) of the target symlink; recorded in the ledger ('overlay jobs history').")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: JobsScope

    @Argument(help: "The job playbook (e.g. playbooks/training.yaml).")
    var playbook: String

    @Option(help: "The version to switch to.")
    var to: Int?

    @Option(help: "The promote step, when the playbook has several.")
    var step: String?

    @Option(help: "The runs' working directory (default: that of the playbook's latest run).")
    var workdir: String?

    @Option(help: "Seconds to wait for a run of the playbook to end (then exit 75).")
    var lockTimeout: Double = 0

    func run() throws {
        try global.requireTextOrJSON()
        let record: PromotionRecord
        do {
            let loaded = try scope.load(playbook, global: global)
            var settings = RunSettings()
            settings.lockTimeout = lockTimeout
            record = try Jobs.rollback(
                loaded.playbook, step: step, to: to, jobs: loaded.jobs,
                workdir: workdir.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
                settings: settings)
        } catch {
            try JobsFailure.exit(error, format: global.format)
        }
        if global.format == .json {
            let obj: Value = .object([
                ("ok", .bool(true)), ("target", .string(record.target)), ("version", .int(record.version)),
                ("previous", record.previous.map(Value.int) ?? .null),
            ])
            Output.raw(JSONWriter.string(obj, pretty: true) + "\n")
        } else if !global.quiet {
            Output.line(
                "rolled back \(record.target) to version \(record.version) (was version \(record.previous.map(String.init) ?? "none"))")
        }
    }
}
