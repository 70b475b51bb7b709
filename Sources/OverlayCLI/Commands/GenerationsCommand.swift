import ArgumentParser
import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime

/// `overlay generations`: list generations.
struct GenerationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generations",
        abstract: "List generations (number, time, commit, known-good, current).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: HostOptions

    func run() throws {
        try global.requireTextOrJSON()
        let state: StateDirectory
        do { state = try StateCommand.stateDir(global: global, scope: scope, engine: global.engine) } catch {
            throw FailureOutput.report(error, format: global.format)
        }
        let store = GenerationStore(state: state)
        let current = store.currentNumber()
        let good = store.knownGood()
        var rows: [Value] = []
        var text = ""
        for n in store.numbers() {
            let g: Generation
            do { g = try store.load(n) } catch {
                Output.log("generation \(n): \(error)")
                continue
            }
            rows.append(
                .object([
                    ("number", .int(n)), ("time", .string(g.time)), ("host", .string(g.host)),
                    ("commit", g.commit.map(Value.string) ?? .null), ("files", .int(g.files.count)),
                    ("known_good", .bool(good.contains(n))), ("current", .bool(n == current)),
                ]))
            text += Self.row(
                String(n), g.time, g.host, g.commit.map { String($0.prefix(12)) + ($0.hasSuffix("-dirty") ? "-dirty" : "") } ?? "-",
                String(g.files.count),
                good.contains(n) ? "yes" : "no", n == current ? "*" : "")
        }
        if global.format == .json {
            let obj: Value = .object([
                ("ok", .bool(true)), ("current", current.map(Value.int) ?? .null), ("generations", .array(rows)),
            ])
            Output.raw(JSONWriter.string(obj, pretty: true) + "\n")
        } else {
            let header = Self.row("GEN", "TIME", "HOST", "COMMIT", "FILES", "KNOWN-GOOD", "CURRENT")
            Output.raw(text.isEmpty ? "no generations yet (run 'overlay apply')\n" : header + text)
        }
    }

    /// One aligned line of the text table.
    private static func row(_ cells: String...) -> String {
        let widths = [4, 21, 12, 13, 6, 11, 7]
        return zip(cells, widths).map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }
            .joined(separator: " ").trimmingCharacters(in: .whitespaces) + "\n"
    }
}
