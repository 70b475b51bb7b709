import Foundation
import Testing

/// What `overlay` prints and returns when it is asked for help or given no command.
@Suite struct CommandUsageTests {
    @Test func bareOverlayIsAUsageErrorWithTheUsageOnStderr() throws {
        let r = try runOverlay([])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("USAGE: overlay <subcommand>") && r.stderr.contains("validate"), "\(r.stderr)")
    }

    @Test func helpStillExitsZeroOnStdout() throws {
        let r = try runOverlay(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("USAGE: overlay <subcommand>"))
    }

    /// The words of `--format`'s help, without ArgumentParser's generated `(values: …)` list.
    private func formatHelp(_ help: String) -> String {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("  --format") }) else { return "" }
        var text = lines[start]
        for line in lines[(start + 1)...] {
            guard line.hasPrefix("        "), !line.trimmingCharacters(in: .whitespaces).hasPrefix("-") else { break }
            text += " " + line.trimmingCharacters(in: .whitespaces)
        }
        return text.components(separatedBy: "(values:")[0]
    }

    @Test func validateHelpNamesEveryFormatItAccepts() throws {
        let r = try runOverlay(["validate", "--help"])
        #expect(r.status == 0)
        let words = formatHelp(r.stdout)
        #expect(words.contains("github") && words.contains("sarif"), "\(words)")
    }
}
