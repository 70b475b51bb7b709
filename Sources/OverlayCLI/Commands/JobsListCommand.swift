import ArgumentParser
import Foundation
import OverlayCore
import OverlayEngine
import OverlayJobs

/// `overlay jobs list`: the latest runs, newest first.
struct JobsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the latest runs, newest first.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: JobsScope

    @Option(help: "Only runs of this playbook (its name).")
    var playbook: String?

    @Option(help: "How many runs to show.")
    var limit = 20

    func run() throws {
        try global.requireTextOrJSON()
        let reports: [RunReport]
        do {
            reports = try Jobs.list(
                jobs: try scope.jobs(global), playbook: playbook, limit: max(limit, 1))
        } catch {
            try JobsFailure.exit(error, format: global.format)
        }
        if global.format == .json {
            let rows: [Value] = reports.map { r in
                .object([
                    ("run", .int(Int(r.run.id))), ("playbook", .string(r.run.playbook)), ("status", .string(r.run.shownStatus)),
                    ("host", r.run.host.map(Value.string) ?? .null), ("started_at", JobsOutput.time(r.run.startedAt)),
                    ("ended_at", JobsOutput.time(r.run.endedAt)), ("steps_done", .int(r.steps.filter { $0.status == .done }.count)),
                    ("steps", .int(r.steps.count)), ("gate", r.gates.last.map { .string($0.verdict.word) } ?? .null),
                ])
            }
            Output.raw(JSONWriter.string(.object([("ok", .bool(true)), ("runs", .array(rows))]), pretty: true) + "\n")
            return
        }
        guard !reports.isEmpty else { return Output.line("no runs yet (run one with 'overlay jobs run PLAYBOOK')") }
        Output.line("RUN   PLAYBOOK        STATUS       STARTED               STEPS  GATE")
        for r in reports {
            let started = ISO8601DateFormatter().string(from: r.run.startedAt)
            let steps = "\(r.steps.filter { $0.status == .done }.count)/\(r.steps.count)"
            let cells = [
                String(r.run.id).padding(toLength: 5, withPad: " ", startingAt: 0),
                r.run.playbook.padding(toLength: 15, withPad: " ", startingAt: 0),
                r.run.shownStatus.padding(toLength: 12, withPad: " ", startingAt: 0),
                started.padding(toLength: 21, withPad: " ", startingAt: 0),
                steps.padding(toLength: 6, withPad: " ", startingAt: 0), r.gates.last?.verdict.word ?? "-",
            ]
            Output.line(cells.joined(separator: " "))
        }
    }
}
