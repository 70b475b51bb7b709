import ArgumentParser
import OverlayEngine
import OverlayRuntime

/// `overlay deadman reset`: a human's word that the agent is fixed — a fresh episode, and the
/// commits the deadman rolled back from may be pulled again.
struct DeadmanResetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "End the deadman's episode, clear deadman_active and the bad-commit marks.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: HostOptions
    @OptionGroup var lock: LockTimeoutOption

    func run() throws {
        try global.requireTextOrJSON()
        let engine = global.engine
        let result: DeadmanResetResult
        do {
            let state = try StateCommand.stateDir(global: global, scope: scope, engine: engine)
            result = try engine.deadmanReset(stateDir: state, lockTimeout: lock.lockTimeout)
        } catch {
            throw FailureOutput.report(error, format: global.format)
        }
        if global.format == .json {
            Output.raw(DeadmanOutput.resetJSON(result))
        } else if !global.quiet {
            var text = result.endedEpisode.map { "deadman: episode \($0) ended by reset" } ?? "deadman: no episode was open"
            if result.wasActive { text += "; deadman_active cleared" }
            if !result.clearedCommits.isEmpty { text += "; bad marks cleared: \(result.clearedCommits.joined(separator: ", "))" }
            if let aside = result.setAside { text += "; the unreadable record was moved to \(aside)" }
            Output.line(text)
        }
        for problem in result.problems { Output.error(problem) }
        if !result.ok { throw ExitCode(1) }
    }
}
