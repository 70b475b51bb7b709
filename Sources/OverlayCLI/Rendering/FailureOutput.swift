import ArgumentParser
import Foundation
import OverlayCore
import OverlayEngine
import OverlayJobs
import OverlayRuntime

/// The one place where a failed command is reported and mapped to its exit code (SPEC §3):
/// 1 for problems, 2 for usage errors, 75 when another overlay process holds the lock.
enum FailureOutput {
    /// The exit code for `error`.
    static func exitCode(_ error: any Error) -> Int32 {
        switch error {
        case let e as HostApplyError where e.isLockTimeout: return 75
        case let e as PullError where e.isLockTimeout: return 75
        case ApplyError.lockTimeout: return 75
        case DeadmanError.lockTimeout: return 75
        case SourceError.bundleWithHost: return 2
        case JobsError.lockHeld: return 75
        case JobsLocationError.noSuchPlaybook: return 2
        case let failure as CommandFailure: return failure.exitCode
        default: return 1
        }
    }

    /// Reports `error` — on stdout as the command's one JSON object (`ok: false`, `fields`,
    /// `error`, `diagnostics`) or as text (diagnostics on stdout, the error on stderr) — and
    /// returns the exit to throw.
    static func report(
        _ error: any Error, format: OutputFormat, fields: [(String, Value)] = [], diagnostics: [Diagnostic] = []
    ) -> ExitCode {
        let message = String(describing: error)
        if format == .json {
            var pairs: [(String, Value)] = [("ok", .bool(false))] + fields + [("error", .string(message))]
            if !diagnostics.isEmpty { pairs.append(("diagnostics", .array(diagnostics.map(DiagnosticRenderer.object)))) }
            Output.raw(JSONWriter.string(.object(pairs), pretty: true) + "\n")
        } else {
            for d in diagnostics { Output.line(d.description) }
            Output.error(message)
        }
        return ExitCode(exitCode(error))
    }
}
