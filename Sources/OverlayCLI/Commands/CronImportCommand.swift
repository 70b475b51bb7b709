import ArgumentParser
import Foundation
import OverlayCore
import OverlayRuntime

/// `overlay cron import`: write agent-job declarations from a live `jobs.json`.
struct CronImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Write agent-job declarations (cron/agent-jobs.yaml) from a harness's jobs.json.",
        discussion: """
            Keeps only the fields a declaration owns (name, schedule, prompt, script, no_agent, model, provider, \
            base_url, skills, deliver, toolsets, workdir, enabled); run-time state stays in the harness's file. \
            Jobs overlay already manages are left out unless --include-overlay. What cannot be carried over is \
            said on stderr. See docs/agent-jobs.md.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The jobs file (default: $HERMES_HOME/cron/jobs.json, else ~/.hermes/cron/jobs.json).")
    var from: String?

    @Option(help: "Write the declarations to this file instead of stdout (refused if it exists).")
    var output: String?

    @Flag(help: "Also declare the jobs overlay already manages.")
    var includeOverlay = false

    func run() throws {
        try global.requireTextOrJSON()
        let env = ProcessInfo.processInfo.environment
        let path = from ?? ((env["HERMES_HOME"] ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.hermes")) + "/cron/jobs.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FailureOutput.report(
                CommandFailure(description: "cannot read \(path); name the file with --from", exitCode: 1), format: global.format)
        }
        let result: AgentJobsImport.Result
        do { result = try AgentJobsImport.declarations(from: Array(data), path: path, includeOverlayJobs: includeOverlay) } catch {
            throw FailureOutput.report(CommandFailure(description: error.description, exitCode: 1), format: global.format)
        }
        if let output {
            guard !FileManager.default.fileExists(atPath: output) else {
                throw FailureOutput.report(
                    CommandFailure(description: "\(output) exists; move it away or pick another name", exitCode: 1), format: global.format)
            }
            try Data(result.yaml.utf8).write(to: URL(fileURLWithPath: output))
        }
        if global.format == .json {
            Output.line(
                JSONWriter.string(
                    .object([
                        ("ok", .bool(true)), ("from", .string(path)), ("jobs", .int(result.count)),
                        ("warnings", .array(result.warnings.map(Value.string))), ("yaml", .string(result.yaml)),
                    ])))
            return
        }
        if output == nil { Output.raw(result.yaml) }
        for w in result.warnings { Output.log("warning: \(w)") }
        Output.log("\(result.count) agent job(s) declared from \(path)\(output.map { " into \($0)" } ?? "")")
    }
}
