import ArgumentParser
import OverlayCore
import OverlayRuntime

/// `overlay generations`: list generations.
struct GenerationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generations",
        abstract: "List generations (number, time, commit, known-good, current).")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try global.requireTextOrJSON()
        let store = GenerationStore(state: StateLocation.fromEnvironment())
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
            let marks = [n == current ? "current" : nil, good.contains(n) ? "known-good" : nil].compactMap { $0 }
            text +=
                "\(n == current ? "*" : " ") \(n)\t\(g.time)\t\(g.host)\t\(g.commit.map { String($0.prefix(12)) } ?? "-")\t\(g.files.count) files"
            text += marks.isEmpty ? "\n" : "\t(\(marks.joined(separator: ", ")))\n"
        }
        if global.format == .json {
            let obj: Value = .object([
                ("ok", .bool(true)), ("current", current.map(Value.int) ?? .null), ("generations", .array(rows)),
            ])
            Output.raw(JSONWriter.string(obj, pretty: true) + "\n")
        } else {
            Output.raw(text.isEmpty ? "no generations yet (run 'overlay apply')\n" : text)
        }
    }
}
