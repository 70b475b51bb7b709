import Foundation
import OverlayCore

/// The pure reconcile of a host's declared agent jobs into the live `jobs.json`.
///
/// - A job is overlay's when its `origin` is `{"source": "overlay", "name": …}`; every other
///   job is a person's or the agent's and is copied through untouched, in place.
/// - Of its own jobs overlay sets only the declared fields (`DeclaredJob.owned`) and keeps
///   every run-time field the scheduler writes (`id`, `next_run_at`, `last_run_at`,
///   `last_status`, `repeat.completed`, `fire_claim`, …).
/// - A job paused (or resumed) by hand keeps that state until the repo changes the job: the
///   mark records a hash of the declaration it was last written from.
/// - A declared job the repo no longer has is removed; a new one is appended.
struct AgentJobsMerge {
    let declared: [RenderedAgentJob]
    let host: String
    let now: Date
    let zone: TimeZone
    /// Makes the id of a new job (12 hex digits, as the harness does).
    var newID: () -> String = { String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)) }

    /// The harness's grace for a one-shot in the past (`ONESHOT_GRACE_SECONDS`).
    static let oneShotGrace: TimeInterval = 120

    /// The new document and what happened to each job.
    func merge(_ live: JobsDocument) throws(AgentJobsError) -> (JobsDocument, [AgentJobChange]) {
        var wanted: [String: DeclaredJob] = [:]
        var order: [DeclaredJob] = []
        for job in declared {
            let d = try DeclaredJob(job, zone: zone)
            wanted[job.name] = d
            order.append(d)
        }
        var out: [JobsJSON] = []
        var changes: [AgentJobChange] = []
        var placed: Set<String> = []
        for job in live.jobs {
            guard let mark = AgentJobMark(job) else {
                changes.append(AgentJobChange(name: job["name"]?.stringValue ?? "?", action: .keptByHand, id: job["id"]?.stringValue))
                out.append(job)
                continue
            }
            guard let d = wanted[mark.name], !placed.contains(mark.name) else {
                let duplicate = placed.contains(mark.name)
                changes.append(
                    AgentJobChange(
                        name: mark.name, action: .removed, id: job["id"]?.stringValue,
                        reason: duplicate ? "a second entry for the same declaration" : "no longer declared"))
                continue
            }
            placed.insert(mark.name)
            let (updated, change) = reconcile(job, mark: mark, with: d)
            out.append(updated)
            changes.append(change)
        }
        for d in order where !placed.contains(d.declared.name) {
            guard let created = create(d) else {
                changes.append(AgentJobChange(name: d.declared.name, action: .expired, id: nil, reason: "its one-shot time has passed"))
                continue
            }
            out.append(created)
            changes.append(AgentJobChange(name: d.declared.name, action: .added, id: created["id"]?.stringValue))
        }
        var document = live
        document.jobs = out
        return (document, Self.withTexts(changes, live: live.jobs, merged: out))
    }

    /// The declared fields of each changed job, before and after, for diffs.
    static func withTexts(_ changes: [AgentJobChange], live: [JobsJSON], merged: [JobsJSON]) -> [AgentJobChange] {
        func text(_ id: String?, in jobs: [JobsJSON]) -> String? {
            guard let id, let job = jobs.first(where: { $0["id"]?.stringValue == id }) else { return nil }
            let keys = DeclaredJob.owned.filter { $0 != "skill" && $0 != "schedule_display" } + ["enabled", "state"]
            return JobsJSONWriter.write(.object(keys.map { ($0, job[$0] ?? .null) })) + "\n"
        }
        return changes.map { change in
            guard change.altersFile else { return change }
            var c = change
            c.before = change.action == .added ? nil : text(change.id, in: live)
            c.after = change.action == .removed ? nil : text(change.id, in: merged)
            return c
        }
    }

    /// One of overlay's jobs brought in line with its declaration.
    private func reconcile(_ job: JobsJSON, mark: AgentJobMark, with d: DeclaredJob) -> (JobsJSON, AgentJobChange) {
        let id = job["id"]?.stringValue
        let differing = d.differences(in: job)
        let repoChanged = mark.declared != d.hash
        let paused = job["enabled"]?.boolValue == false || job["state"]?.stringValue == "paused"
        var next = job
        for (key, value) in d.fields where differing.contains(key) || (key == "skill" && differing.contains("skills")) {
            next = next.setting(key, value)
        }
        if d.isOnce, case .object = next["repeat"] ?? .null, next["repeat"]?["times"] != .number("1") {
            next = next.setting("repeat", (next["repeat"] ?? .null).setting("times", .number("1")))
        }
        var stateChanged = false
        if repoChanged && paused == d.declared.enabled {
            next = d.declared.enabled ? resume(next, d) : pause(next)
            stateChanged = true
        } else if differing.contains("schedule") && !paused {
            next = next.setting("next_run_at", nextRun(d).map(JobsJSON.string) ?? .null)
        }
        if repoChanged || next != job {
            next = next.setting("origin", AgentJobMark(name: d.declared.name, host: host, declared: d.hash).json)
        }
        if differing.isEmpty && !stateChanged {
            if next != job {
                return (next, AgentJobChange(name: d.declared.name, action: .updated, id: id, reason: "mark refreshed"))
            }
            if paused == d.declared.enabled {
                let what = paused ? "paused by hand" : "resumed by hand"
                return (
                    next,
                    AgentJobChange(
                        name: d.declared.name, action: .pausedKept, id: id, reason: "\(what); kept until the repo changes this job")
                )
            }
            return (next, AgentJobChange(name: d.declared.name, action: .unchanged, id: id))
        }
        var fields = differing
        if stateChanged { fields.append(d.declared.enabled ? "enabled (resumed)" : "enabled (paused)") }
        let reason = repoChanged ? "declaration changed" : "edited by hand: reverted"
        return (next, AgentJobChange(name: d.declared.name, action: .updated, id: id, fields: fields, reason: reason))
    }

    /// A new job, shaped like the harness's `create_job` output; nil for a past one-shot.
    private func create(_ d: DeclaredJob) -> JobsJSON? {
        let next = nextRun(d)
        if d.isOnce && next == nil { return nil }
        let created = PythonTime.isoformat(now, in: zone)
        var pairs: [(String, JobsJSON)] = [("id", .string(newID()))]
        for (key, value) in d.fields where key != "schedule_display" && key != "deliver" && key != "enabled_toolsets" && key != "workdir" {
            pairs.append((key, value))
            if key == "provider" { pairs += [("provider_snapshot", .null), ("model_snapshot", .null)] }
            if key == "no_agent" { pairs.append(("context_from", .null)) }
        }
        let enabled = d.declared.enabled
        pairs += [
            ("schedule_display", d.fields.first { $0.0 == "schedule_display" }?.1 ?? .null),
            ("repeat", .object([("times", d.isOnce ? .number("1") : .null), ("completed", .number("0"))])), ("enabled", .bool(enabled)),
            ("state", .string(enabled ? "scheduled" : "paused")), ("paused_at", enabled ? .null : .string(created)),
            ("paused_reason", enabled ? .null : .string(Self.disabledReason)), ("created_at", .string(created)),
            ("next_run_at", next.map(JobsJSON.string) ?? .null), ("last_run_at", .null), ("last_status", .null), ("last_error", .null),
            ("last_delivery_error", .null), ("deliver", .string(d.declared.deliver)),
            ("origin", AgentJobMark(name: d.declared.name, host: host, declared: d.hash).json),
            ("enabled_toolsets", .strings(d.declared.toolsets)), ("workdir", .string(d.declared.workdir)),
        ]
        return .object(pairs)
    }

    static let disabledReason = "enabled: false in the overlay repo"

    private func pause(_ job: JobsJSON) -> JobsJSON {
        job.setting("enabled", .bool(false)).setting("state", .string("paused"))
            .setting("paused_at", .string(PythonTime.isoformat(now, in: zone))).setting("paused_reason", .string(Self.disabledReason))
    }

    /// `resume_job`: scheduled again, the next run computed from now.
    private func resume(_ job: JobsJSON, _ d: DeclaredJob) -> JobsJSON {
        job.setting("enabled", .bool(true)).setting("state", .string("scheduled")).setting("paused_at", .null)
            .setting("paused_reason", .null).setting("next_run_at", nextRun(d).map(JobsJSON.string) ?? .null)
    }

    /// `compute_next_run` from now: an interval one period ahead, a cron expression by
    /// croniter's rules, a one-shot at its time unless that is past the harness's grace.
    func nextRun(_ d: DeclaredJob) -> String? {
        switch d.schedule.kind {
        case .once(let time):
            let at = time.instant(in: zone)
            guard at >= now.addingTimeInterval(-Self.oneShotGrace) else { return nil }
            return time.isoformat(in: zone)
        default:
            return d.schedule.next(after: now, in: zone).map { PythonTime.isoformat($0, in: zone) }
        }
    }
}

/// overlay's mark on a job it created: `origin: {"source": "overlay", "host", "name", "declared"}`.
///
/// The harness keeps `origin` through every update (pause, resume, edit, runs) and routes
/// `deliver: origin` only through an origin that names a platform and a chat, which this one
/// does not — so the mark changes nothing about how the job runs.
struct AgentJobMark: Equatable {
    static let source = "overlay"
    /// The declared name the job belongs to (a hand rename of the job does not change it).
    var name: String
    /// The inventory host that last wrote it.
    var host: String
    /// The declaration's hash when overlay last wrote it.
    var declared: String

    init(name: String, host: String, declared: String) {
        self.name = name
        self.host = host
        self.declared = declared
    }

    /// The mark of `job`, nil when the job is not overlay's.
    init?(_ job: JobsJSON) {
        guard let origin = job["origin"], origin["source"]?.stringValue == Self.source, let name = origin["name"]?.stringValue else {
            return nil
        }
        self.name = name
        self.host = origin["host"]?.stringValue ?? ""
        self.declared = origin["declared"]?.stringValue ?? ""
    }

    var json: JobsJSON {
        .object([("source", .string(Self.source)), ("host", .string(host)), ("name", .string(name)), ("declared", .string(declared))])
    }
}
