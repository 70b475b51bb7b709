import ArgumentParser
import Foundation
import OverlayCore
import OverlayEngine
import OverlayJobs

/// `overlay jobs history PLAYBOOK`: promotions and rollbacks with their gate verdicts.
struct JobsHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List a playbook's promotions and rollbacks, oldest first, with the gate verdicts.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: JobsScope

    @Argument(help: "The job playbook (e.g. playbooks/training.yaml).")
    var playbook: String

    func run() throws {
        try global.requireTextOrJSON()
        let records: [PromotionRecord]
        do {
            let loaded = try scope.load(playbook, global: global)
            records = try Jobs.history(loaded.playbook.name, jobs: loaded.jobs)
        } catch {
            try JobsFailure.exit(error, format: global.format)
        }
        if global.format == .json {
            let rows: [Value] = records.map { p in
                .object([
                    ("kind", .string(p.kind.rawValue)), ("version", .int(p.version)), ("previous", p.previous.map(Value.int) ?? .null),
                    ("run", p.run.map { .int(Int($0)) } ?? .null), ("target", .string(p.target)), ("at", JobsOutput.time(p.at)),
                    ("gate", p.gateSummary.map(Value.string) ?? .null),
                ])
            }
            Output.raw(JSONWriter.string(.object([("ok", .bool(true)), ("promotions", .array(rows))]), pretty: true) + "\n")
            return
        }
        guard !records.isEmpty else { return Output.line("no promotions yet") }
        for p in records {
            let when = ISO8601DateFormatter().string(from: p.at)
            let what = p.kind == .promote ? "promoted by run \(p.run.map(String.init) ?? "?")" : "rolled back"
            Output.line("\(when)  \(p.target): version \(p.version) (was \(p.previous.map(String.init) ?? "none"))  \(what)")
            if let gate = p.gateSummary { Output.line("    gate \(gate)") }
        }
    }
}
