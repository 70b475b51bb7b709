import ArgumentParser
import Foundation
import OverlayEngine
import OverlayRuntime
import OverlayServer

/// What `overlay serve` runs for an accepted push: `overlay pull` of the repo (with
/// `--converge` for `--action converge`), as a child process with a time limit.
///
/// A child rather than a call in this process: libgit2 1.5 has no network timeout, so a
/// remote that accepts a connection and then stalls would hang an in-process fetch forever;
/// a child is killed (with its process group) at the limit, and a crash in it cannot take the
/// receiver down. The child is the same binary and runs the engine's pull.
struct ServeAction: PushAction {
    /// `--action`.
    enum Kind: String, ExpressibleByArgument, Sendable {
        case pull, converge
    }

    var kind: Kind
    var repo: String
    var ref: String
    var host: String?
    var inventory: String?
    var allowedSigners: String?
    var timeout: Duration
    var environment: EngineEnvironment

    /// The pull's arguments (the ref as the receiver matched it).
    func arguments(ref: String) -> [String] {
        var args = ["pull", "--repo", repo, "--ref", ref, "--format", "json"]
        if kind == .converge { args.append("--converge") }
        if let host { args += ["--host", host] }
        if let inventory { args += ["-i", inventory] }
        if let allowedSigners { args += ["--verify-signatures", "--allowed-signers", allowedSigners] }
        return args
    }

    func run(ref: String) async -> RunReport {
        let binary = environment.executablePath
        var child = ChildProcess(binary, arguments(ref: ref), environment: environment.variables)
        child.timeout = timeout
        // A rejected commit's JSON lists every diagnostic; a repo with many needs more than the default.
        child.outputLimit = 64 << 20
        let cancellation = ChildCancellation()
        child.cancellation = cancellation
        let command = child
        let ran = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<ChildResult, ChildProcessError>, Never>) in
                Thread.detachNewThread {
                    do throws(ChildProcessError) { continuation.resume(returning: .success(try command.run())) } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
        switch ran {
        case .failure(let error):
            return RunReport(result: .failed, message: "cannot run overlay pull: \(error)")
        case .success(let result):
            return Self.report(result, timeout: timeout)
        }
    }

    /// The run's report from the pull's JSON (its `result`, `commit`, reason and generation).
    static func report(_ result: ChildResult, timeout: Duration) -> RunReport {
        if result.timedOut { return RunReport(result: .failed, message: "the pull took longer than \(timeout) and was stopped") }
        if result.cancelled { return RunReport(result: .failed, message: "the pull was stopped: the server is shutting down") }
        guard let json = try? JSONSerialization.jsonObject(with: result.output) as? [String: Any] else {
            let said = String(decoding: result.errors, as: UTF8.self).split(whereSeparator: \.isNewline).suffix(3)
            return RunReport(
                result: .failed, message: "overlay pull exited \(result.status) without a result: \(said.joined(separator: " "))")
        }
        var outcome = (json["result"] as? String).flatMap(RunResult.init(rawValue:)) ?? .failed
        // Applied with problems (a handler or the crontab step failed): not a success.
        if outcome == .applied && json["ok"] as? Bool == false { outcome = .failed }
        var details: [String: String] = [:]
        for key in ["host", "subject"] { if let v = json[key] as? String { details[key] = v } }
        if let g = json["generation"] as? Int { details["generation"] = String(g) }
        if let summary = json["summary"] as? [String: Any] {
            for (k, v) in summary { details["hosts_" + k] = "\(v)" }
        }
        if let diagnostics = json["diagnostics"] as? [[String: Any]], !diagnostics.isEmpty {
            details["diagnostics"] = diagnostics.prefix(5).compactMap { d in
                guard let file = d["file"], let line = d["line"], let rule = d["rule"], let message = d["message"] else { return nil }
                return "\(file):\(line): \(message) [\(rule)]"
            }.joined(separator: "\n")
        }
        let message =
            (json["error"] as? String) ?? (json["reason"] as? String)
            ?? "\(outcome.rawValue)\(details["generation"].map { ", generation \($0)" } ?? "")"
        return RunReport(result: outcome, commit: json["commit"] as? String, message: message, details: details)
    }
}
