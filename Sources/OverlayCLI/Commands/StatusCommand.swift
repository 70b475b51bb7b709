import ArgumentParser
import OverlayCore
import OverlayEngine
import OverlayRuntime

/// `overlay status`: show the current generation, drift, deadman state.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the current generation, drift, deadman state and last converge/pull.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: HostOptions

    func run() throws {
        try global.requireTextOrJSON()
        let state: StateDirectory
        let drift: [DriftItem]
        let current: Generation?
        let store: GenerationStore
        do {
            state = try StateCommand.stateDir(global: global, scope: scope, engine: global.engine)
            store = GenerationStore(state: state)
            // faults: a `current` pointing at a missing generation is reported (findings), not an error.
            if case .dangling = store.live() { current = nil } else { current = try store.current() }
            drift = try DriftDetector(state: state).detect()
        } catch {
            throw FailureOutput.report(error, format: global.format)
        }
        // Agent jobs: hand edits of declared fields in the harness's jobs.json (a hand pause is shown, kept).
        let jobs = current.map { AgentJobsStatus.of(generation: $0.number, host: $0.host, state: state) } ?? AgentJobsStatus()
        // faults: crontab drift, owed handlers, a dangling `current` (OverlayRuntime's StatusFindings).
        let findings = StatusFindings.gather(state)
        let knownGood = current.map { store.knownGood().contains($0.number) } ?? false
        let converge = ConvergeRecord.load(state)
        // The deadman's state is shown, never a reason for status itself to fail.
        let deadman = Result { () throws(DeadmanError) in try global.engine.deadmanStatus(stateDir: state) }
        if global.format == .json {
            let obj: Value = .object(
                [
                ("ok", .bool(drift.isEmpty && !jobs.drifted && findings.ok)), ("state_dir", .string(state.path)),
                ("host", current.map { .string($0.host) } ?? .null),
                ("generation", current.map { .int($0.number) } ?? .null),
                ("commit", current?.commit.map(Value.string) ?? .null), ("known_good", .bool(knownGood)),
                ("drift", .array(drift.map { .object([("path", .string($0.path)), ("kind", .string($0.kind.rawValue))]) })),
                ("deadman", (try? deadman.get()).map(DeadmanOutput.statusMember) ?? .object([("error", .string(Self.text(deadman)))])),
                (
                    "last_converge",
                    converge.map {
                        .object([
                            ("time", .string($0.time)), ("status", .string($0.status)),
                            ("generation", $0.generation.map(Value.int) ?? .null),
                        ])
                    } ?? .null
                ),
            ] + PullStatus.json(state) + findings.jsonMembers)
            Output.raw(JSONWriter.string(jobs.adding(to: obj), pretty: true) + "\n")
        } else {
            var text = ""
            if let current {
                text +=
                    "generation \(current.number) (\(current.time), host \(current.host), commit \(current.commit ?? "-"))\(knownGood ? ", known-good" : "")\n"
            } else {
                text += "no generation yet (state dir \(state.path))\n"
            }
            text += drift.isEmpty ? "drift: none\n" : "drift: \(drift.count) path(s)\n"
            for d in drift { text += "  \(d.kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(d.path)\n" }
            for line in findings.textLines { text += line + "\n" }
            text += jobs.text
            text += "deadman: \(Self.text(deadman))\n"
            text +=
                "last converge: "
                + (converge.map { "\($0.time) (\($0.status)\($0.generation.map { ", generation \($0)" } ?? ""))" } ?? "never") + "\n"
            text += PullStatus.text(state)
            Output.raw(text)
        }
        if !drift.isEmpty || jobs.drifted || !findings.ok { throw ExitCode(1) }
    }

    private static func text(_ deadman: Result<DeadmanReport, DeadmanError>) -> String {
        switch deadman {
        case .success(let report): return DeadmanOutput.summary(report)
        case .failure(let error): return "unreadable: \(error)"
        }
    }
}
