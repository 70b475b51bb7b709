import ArgumentParser
import OverlayCore
import OverlayRuntime

/// `overlay status`: show the current generation, drift, deadman state.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the current generation, drift, deadman state and last converge/pull.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: StateHostOptions

    func run() throws {
        try global.requireTextOrJSON()
        let state: StateDirectory
        let drift: [DriftItem]
        let current: Generation?
        let store: GenerationStore
        do {
            state = try StateLocation.resolve(root: global.rootURL, options: scope)
            store = GenerationStore(state: state)
            // faults: a `current` pointing at a missing generation is reported (findings), not an error.
            if case .dangling = store.live() { current = nil } else { current = try store.current() }
            drift = try DriftDetector(state: state).detect()
        } catch {
            let message = String(describing: error)
            if global.format == .json {
                Output.raw(JSONWriter.string(.object([("ok", .bool(false)), ("error", .string(message))]), pretty: true) + "\n")
                throw ExitCode(1)
            }
            throw CommandFailure(description: message)
        }
        // faults: crontab drift, owed handlers, a dangling `current` (OverlayRuntime's StatusFindings).
        let findings = StatusFindings.gather(state)
        let knownGood = current.map { store.knownGood().contains($0.number) } ?? false
        let converge = ConvergeRecord.load(state)
        if global.format == .json {
            let obj: Value = .object(
                [
                    ("ok", .bool(drift.isEmpty && findings.ok)), ("state_dir", .string(state.path)),
                    ("host", current.map { .string($0.host) } ?? .null),
                    ("generation", current.map { .int($0.number) } ?? .null),
                    ("commit", current?.commit.map(Value.string) ?? .null), ("known_good", .bool(knownGood)),
                    ("drift", .array(drift.map { .object([("path", .string($0.path)), ("kind", .string($0.kind.rawValue))]) })),
                    ("deadman", .string("not installed")),
                    (
                        "last_converge",
                        converge.map {
                            .object([
                                ("time", .string($0.time)), ("status", .string($0.status)),
                                ("generation", $0.generation.map(Value.int) ?? .null),
                            ])
                        } ?? .null
                    ), ("last_pull", .null),
                ] + findings.jsonMembers)
            Output.raw(JSONWriter.string(obj, pretty: true) + "\n")
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
            text += "deadman: not installed\n"
            text +=
                "last converge: "
                + (converge.map { "\($0.time) (\($0.status)\($0.generation.map { ", generation \($0)" } ?? ""))" } ?? "never") + "\n"
            text += "last pull: never\n"
            Output.raw(text)
        }
        if !drift.isEmpty || !findings.ok { throw ExitCode(1) }
    }
}
