import Foundation
import OverlayCore
import OverlayGit
import OverlayRuntime

/// One pull: fetch → (skip a bad or already-live commit) → verify → materialise → validate →
/// apply, recording every outcome in the pull state dir's `pull.json` (SPEC §3.5, §3.6).
///
/// The mirror, `pull.json` and the checkouts live in the pull state dir (`$OVERLAY_STATE_DIR`
/// or the default); the generations go to the host's own state dir, usually the same one.
/// A `pull.lock` there keeps two pulls (a timer and a webhook) from overlapping; it is not the
/// apply lock, which the apply takes itself.
struct PullRun {
    var request: PullRequest
    var engine: Engine
    var pullState: StateDirectory

    private var environment: EngineEnvironment { engine.environment }
    private var now: Date { environment.clock.now() }

    func run() throws(PullError) -> PullReport {
        let lock: StateLock
        do { lock = try StateLock.acquire(pullState, named: "pull.lock", timeout: request.apply.lockTimeout) } catch {
            if case .lockTimeout = error { throw .busy(error) }
            throw .stateDir(error)
        }
        defer { lock.release() }
        let store = PullRecordStore(state: pullState)
        let current: PullRecord
        do { current = try store.load() } catch { throw .record(error) }
        let report = steps(record: current)
        do { _ = try store.update { note(report, in: &$0) } } catch { throw .record(error) }
        do { try noteInHostState(report) } catch { throw .record(error) }
        return report
    }

    /// Every step up to the apply; each early return is an outcome.
    private func steps(record: PullRecord) -> PullReport {
        var report = PullReport(result: .failed, ref: request.ref)
        let mirror = GitMirror(remote: request.remote, path: pullState.mirrorPath)
        let info: CommitInfo
        let ref = request.ref
        switch FetchDeadline.run(seconds: request.fetchTimeout, { () throws(GitError) in try mirror.fetch(ref: ref) }) {
        case .finished(.success(let fetched)): info = fetched
        case .finished(.failure(let error)):
            report.reason = "fetch failed: \(error.description); nothing changed"
            return report
        case .timedOut:
            report.reason =
                "fetch failed: \(GitRemote(request.remote)) did not finish sending \(request.ref) within \(FetchDeadline.seconds(request.fetchTimeout)) (--fetch-timeout); nothing changed"
            return report
        }
        report.commit = info
        if let bad = record.badMark(for: info.id) {
            return skipped(report, bad)
        }
        if request.converge != nil, record.applied?.commit == info.id {
            report.result = .unchanged
            return report
        }
        if request.converge == nil, let applied = record.applied, applied.commit == info.id, let live = liveGeneration(applied),
            live == applied.generation, request.host == nil || applied.host == nil || request.host == applied.host
        {
            report.result = .unchanged
            report.generation = live
            let dir = applied.stateDir.map(StateDirectory.init(path:)) ?? pullState
            report.host = (try? GenerationStore(state: dir).load(live))?.host
            return report
        }
        if let signers = request.allowedSigners {
            do {
                _ = try SSHSignatureVerifier(allowedSigners: signers).verify(commit: info.id, signature: try mirror.signature(of: info.id))
            } catch let error as SignatureError {
                return rejected(report, reason: error.description, rule: "pull.signature")
            } catch {
                report.reason = "cannot read the signature of \(info.id): \(error); nothing changed"
                return report
            }
        }
        let checkout: String
        var generations = [pullState]
        if let dir = record.applied?.stateDir { generations.append(StateDirectory(path: dir)) }
        do { checkout = try Checkouts(state: pullState).materialize(info.id, from: mirror, generations: generations) } catch {
            switch error {
            case .unsafeEntry, .unsupportedEntry, .tooLarge:
                return rejected(report, reason: error.description, rule: "pull.tree")
            default:
                report.reason = "cannot check out \(info.id): \(error.description); nothing changed"
                return report
            }
        }
        if let options = request.converge { return converge(report, checkout: checkout, options: options) }
        return apply(report, checkout: checkout)
    }

    /// Validates the checkout and converges every host of its inventory (`--limit` applies).
    private func converge(_ fetched: PullReport, checkout: String, options: ConvergeOptions) -> PullReport {
        var report = fetched
        guard let info = report.commit else { return report }
        let source = RepoSource(root: URL(fileURLWithPath: checkout), inventory: request.inventory, workingDirectory: checkout)
        let plan: FleetPlan
        do { plan = try engine.planConverge(source, limit: request.limit) } catch {
            report.reason = "\(error.description); nothing changed"
            return report
        }
        guard plan.repoErrors.isEmpty else {
            report.diagnostics = plan.repoErrors
            report.result = .rejected
            report.reason =
                "commit \(info.id.prefix(12)) failed validation: \(plan.repoErrors.count) error(s) not tied to one host; no host was touched"
            return report
        }
        do { report.hosts = try engine.converge(plan, options: options) } catch {
            report.reason = "\(error.description); nothing changed"
            return report
        }
        report.result = .applied
        let failed = (report.hosts ?? []).filter(\.failedOrUnreachable).map(\.host)
        if !failed.isEmpty { report.reason = "host(s) not converged: \(failed.joined(separator: ", "))" }
        return report
    }

    /// Validates and applies the checkout for the host.
    private func apply(_ fetched: PullReport, checkout: String) -> PullReport {
        var report = fetched
        guard let info = report.commit else { return report }
        let source = RepoSource(root: URL(fileURLWithPath: checkout), inventory: request.inventory, workingDirectory: checkout)
        let target: LoadedTarget
        do { target = try engine.load(.repo(source, commit: info.id), host: request.host) } catch {
            if case .rejected(let host, let diagnostics) = error {
                report.host = host
                report.diagnostics = diagnostics
                report.result = .rejected
                report.reason = "commit \(info.id.prefix(12)) failed validation: \(diagnostics.count) error(s); nothing changed"
                return report
            }
            report.reason = "\(error.description); nothing changed"
            return report
        }
        report.host = target.state.host
        if target.stateDir != pullState, let bad = (try? PullRecordStore(state: target.stateDir).load())?.badMark(for: info.id) {
            return skipped(report, bad)
        }
        // Checked again under the state lock, which the deadman's rollback takes too: a commit
        // marked bad while this pull fetched it is not made live again after that rollback.
        var options = request.apply
        let dirs = Set([pullState, target.stateDir].map(\.path)).map(StateDirectory.init(path:))
        let commit = info.id
        options.vetoUnderLock = {
            for dir in dirs {
                if let bad = (try? PullRecordStore(state: dir).load())?.badMark(for: commit) { return Self.skipReason(bad) }
            }
            return nil
        }
        do {
            let result = try engine.apply(target, options: options)
            report.apply = result
            report.generation = result.liveGeneration
            report.result = .applied
            if !result.ok { report.reason = result.problems.joined(separator: "; ") }
        } catch {
            if case .apply(.vetoed(let reason)) = error {
                report.result = .skipped
                report.reason = reason
                return report
            }
            report.generation = GenerationStore(state: target.stateDir).currentNumber()
            report.reason = error.description
        }
        return report
    }

    private func skipped(_ fetched: PullReport, _ bad: BadCommit) -> PullReport {
        var report = fetched
        report.result = .skipped
        report.reason = Self.skipReason(bad)
        return report
    }

    static func skipReason(_ bad: BadCommit) -> String {
        "commit \(bad.commit.prefix(12)) is marked bad: the deadman rolled back from it at \(bad.time) (\(bad.reason)); it stays skipped until the ref moves to another commit or 'overlay deadman reset' clears the mark"
    }

    private func rejected(_ fetched: PullReport, reason: String, rule: String) -> PullReport {
        var report = fetched
        report.result = .rejected
        report.reason = reason + "; nothing changed"
        report.diagnostics = []
        report.rejectionRule = rule
        return report
    }

    /// The generation live in the state dir a commit was applied to.
    private func liveGeneration(_ applied: AppliedCommit) -> Int? {
        GenerationStore(state: applied.stateDir.map(StateDirectory.init(path:)) ?? pullState).currentNumber()
    }

    /// The outcome as `pull.json` keeps it.
    private func note(_ report: PullReport, in record: inout PullRecord) {
        let commit = report.commit?.id
        switch report.result {
        case .applied:
            guard let commit else { return }
            if report.ok {
                let dir = report.apply?.stateDir.path
                record.recordApplied(
                    commit: commit, ref: report.ref, generation: report.generation, stateDir: dir == pullState.path ? nil : dir,
                    host: report.host, at: now)
            } else {
                record.recordFailed(ref: report.ref, commit: commit, reason: report.reason ?? "the apply reported problems", at: now)
            }
        case .unchanged:
            guard let commit else { return }
            record.recordUnchanged(commit: commit, ref: report.ref, at: now)
        case .rejected:
            guard let commit else { return }
            let found = report.diagnostics.map(PullDiagnostic.init)
            let diagnostics =
                found.isEmpty
                ? [PullDiagnostic(rule: report.rejectionRule ?? "pull.rejected", message: report.reason ?? "rejected")] : found
            record.recordRejected(commit: commit, ref: report.ref, diagnostics: diagnostics, at: now)
        case .skipped:
            guard let commit else { return }
            record.recordSkipped(commit: commit, ref: report.ref, reason: report.reason ?? "skipped", at: now)
        case .failed:
            record.recordFailed(ref: report.ref, commit: commit, reason: report.reason ?? "failed", at: now)
        }
    }

    /// A host with its own state dir gets the record of what went live there too, so its
    /// `overlay status` shows the last pull.
    private func noteInHostState(_ report: PullReport) throws(PullRecordError) {
        guard let dir = report.apply?.stateDir, dir != pullState else { return }
        _ = try PullRecordStore(state: dir).update { note(report, in: &$0) }
    }
}
