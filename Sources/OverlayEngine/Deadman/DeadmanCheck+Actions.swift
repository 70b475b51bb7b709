import Foundation
import OverlayRuntime

extension DeadmanCheck {
    /// Runs `restart`; returns the result as recorded.
    func restart(_ runner: DeadmanCommandRunner, _ report: DeadmanReport, generation: Int?) -> String {
        guard let settings = report.settings else { return "no settings" }
        let limit = DeadmanCommandRunner.restartTimeout
        let result = runner.run(
            settings.restart, label: "restart", timeout: limit, extra: variables(report, action: "restart", generation: generation),
            clock: engine.environment.clock)
        return result.summary(limit: limit)
    }

    /// Runs `alert` (when there is one); returns the result as recorded.
    func alert(_ runner: DeadmanCommandRunner, _ report: DeadmanReport) -> String {
        guard let command = report.settings?.alert else { return "ok (no alert command configured)" }
        let limit = DeadmanCommandRunner.alertTimeout
        let result = runner.run(
            command, label: "alert", timeout: limit, extra: variables(report, action: "give-up", generation: report.generation),
            clock: engine.environment.clock)
        return "alert " + result.summary(limit: limit)
    }

    /// The rollback to `to` through the engine (the same switch, crontab and handlers as
    /// `overlay rollback`), then one more restart; when it fails, the deadman gives up.
    func rollBack(from: Int, to: Int, runner: DeadmanCommandRunner, _ run: inout Run) {
        let now = engine.environment.clock.now()
        let outcome: String
        var succeeded = false
        do {
            let result = try engine.rollback(stateDir: stateDir, to: to, options: ApplyOptions(lockTimeout: lockTimeout))
            succeeded = true
            outcome = result.ok ? "ok" : "ok, but " + result.problems.joined(separator: "; ")
            if !result.ok { run.report.problems += result.problems }
        } catch {
            outcome = "failed: \(error)"
            run.report.problems.append("the rollback to generation \(to) failed: \(error)")
        }
        settle(outcome, &run)
        run.report.record.episode?.rollback?.succeeded = succeeded
        guard succeeded else {
            // The restart that was to follow is not run: the deadman gives up now.
            run.report.record.episode?.restarts -= 1
            run.report.record.episode?.gaveUp = now
            run.report.record.active = true
            run.log(
                DeadmanEvent(
                    time: now, action: "give-up",
                    reason: "the rollback to generation \(to) failed: no action until 'overlay deadman reset'",
                    generation: from, episode: run.report.record.episode?.number))
            settle(alert(runner, run.report), &run)
            return
        }
        run.report.generation = to
        run.log(
            DeadmanEvent(
                time: engine.environment.clock.now(), action: "restart",
                reason: "the one restart after the rollback from generation \(from) to \(to)", generation: to,
                episode: run.report.record.episode?.number))
        settle(restart(runner, run.report, generation: to), &run)
    }

    /// Marks the commit of generation `from` bad in the pull record (SPEC §3.6), unless it has
    /// none or names a checkout with uncommitted changes (`-dirty`): pull never fetches such a
    /// commit, and the clean commit it starts from may be fine. Returns the commit marked.
    func markBad(from: Int, to: Int, _ run: inout Run) -> String? {
        let commit = try? GenerationStore(state: stateDir).load(from).commit
        guard let commit = commit ?? nil else { return nil }
        guard !commit.hasSuffix("-dirty") else {
            run.report.warnings.append(
                "generation \(from) was built from a checkout with uncommitted changes (\(commit)): no commit is marked bad")
            return nil
        }
        let time = engine.environment.clock.now()
        do {
            try PullRecordStore(state: stateDir).update {
                $0.markBad(
                    commit: commit, generation: from,
                    reason: "the deadman rolled back from generation \(from) to known-good generation \(to)", at: time)
            }
            return commit
        } catch {
            run.report.problems.append("commit \(commit) could not be marked bad, so pull may apply it again: \(error)")
            return nil
        }
    }

    /// What `restart` and `alert` are told about the event, besides the process environment.
    private func variables(_ report: DeadmanReport, action: String, generation: Int?) -> [String: String] {
        var out = [
            "OVERLAY_STATE_DIR": stateDir.path, "OVERLAY_DEADMAN_ACTION": action, "OVERLAY_DEADMAN_REASON": report.reason,
        ]
        if let generation { out["OVERLAY_DEADMAN_GENERATION"] = String(generation) }
        if let episode = report.record.episode?.number { out["OVERLAY_DEADMAN_EPISODE"] = String(episode) }
        if let host = report.host { out["OVERLAY_DEADMAN_HOST"] = host }
        return out
    }
}
