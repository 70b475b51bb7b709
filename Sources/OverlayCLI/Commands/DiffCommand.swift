import ArgumentParser
import OverlayRuntime

/// `overlay diff`: show what apply would change (apply --dry-run --diff).
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what apply would change (apply --dry-run --diff).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: ApplyTargetOptions

    func run() throws {
        let options = ApplyOptions(dryRun: true, force: target.force)
        try ApplyRun(global: global, target: target, options: options, diff: true).run()
    }
}
