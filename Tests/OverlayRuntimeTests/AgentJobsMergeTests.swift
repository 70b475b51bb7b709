import Foundation
import OverlayCore
import Testing

@testable import OverlayRuntime

/// The pure reconcile of declared agent jobs into a live `jobs.json` document.
@Suite struct AgentJobsMergeTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z
    let utc = TimeZone(identifier: "UTC") ?? .current

    func merge(_ declared: [RenderedAgentJob], into live: JobsDocument, now: Date? = nil) throws -> (JobsDocument, [AgentJobChange]) {
        var ids = 0
        var m = AgentJobsMerge(declared: declared, host: "h1", now: now ?? self.now, zone: utc)
        m.newID = {
            ids += 1
            return String(format: "%012x", ids)
        }
        return try m.merge(live)
    }

    func doc(_ json: String) throws -> JobsDocument { try JobsDocument.parse(Array(json.utf8), path: "jobs.json") }

    let report = RenderedAgentJob(name: "daily-report", prompt: "Summarise.", schedule: "0 9 * * *")

    @Test func aNewJobHasTheShapeTheHarnessCreatesAndOverlaysMark() throws {
        let (out, changes) = try merge([report], into: JobsDocument())
        #expect(changes.map(\.action) == [.added] && changes.first?.id == "000000000001")
        #expect(changes.first?.before == nil && changes.first?.after?.contains("\"prompt\": \"Summarise.\"") == true)
        let job = try #require(out.jobs.first)
        #expect(job["schedule"] == .object([("kind", .string("cron")), ("expr", .string("0 9 * * *")), ("display", .string("0 9 * * *"))]))
        #expect(job["next_run_at"] == .string("2027-01-15T09:00:00+00:00"))
        #expect(job["repeat"] == .object([("times", .null), ("completed", .number("0"))]))
        #expect(job["enabled"] == .bool(true) && job["state"] == .string("scheduled"))
        #expect(job["origin"]?["source"] == .string("overlay") && job["origin"]?["name"] == .string("daily-report"))
        // Every key create_job writes is there.
        let keys: Set<String> = [
            "id", "name", "prompt", "skills", "skill", "model", "provider", "provider_snapshot", "model_snapshot", "base_url", "script",
            "no_agent", "context_from", "schedule", "schedule_display", "repeat", "enabled", "state", "paused_at", "paused_reason",
            "created_at", "next_run_at", "last_run_at", "last_status", "last_error", "last_delivery_error", "deliver", "origin",
            "enabled_toolsets", "workdir",
        ]
        guard case .object(let pairs) = job else { return }
        #expect(Set(pairs.map(\.0)) == keys)
    }

    @Test func handMadeJobsStayUntouchedInPlaceAndUndeclaredOnesGo() throws {
        let (first, _) = try merge([report, RenderedAgentJob(name: "old", prompt: "x", schedule: "every 1h")], into: JobsDocument())
        var live = first
        live.jobs.insert(.object([("id", .string("aaaaaaaaaaaa")), ("name", .string("hand")), ("weird", .number("1.50"))]), at: 1)
        let (out, changes) = try merge([report], into: live)
        #expect(out.jobs.map { $0["name"]?.stringValue } == ["daily-report", "hand"])
        #expect(out.jobs[1] == live.jobs[1])
        #expect(changes.map(\.action) == [.unchanged, .keptByHand, .removed])
    }

    @Test func runTimeFieldsAreKeptWhenTheDeclarationChanges() throws {
        let (first, _) = try merge([report], into: JobsDocument())
        let ran = first.jobs[0].setting("last_run_at", .string("2027-01-15T09:00:04+00:00")).setting("last_status", .string("ok"))
            .setting("repeat", .object([("times", .null), ("completed", .number("7"))])).setting("failure_streak", .number("0"))
            .setting("next_run_at", .string("2027-01-16T09:00:00+00:00")).setting("something_new", .string("kept"))
        var changed = report
        changed.prompt = "Summarise, briefly."
        let (out, changes) = try merge([changed], into: JobsDocument(jobs: [ran]))
        #expect(changes.first?.action == .updated && changes.first?.fields == ["prompt"])
        let job = out.jobs[0]
        #expect(job["prompt"] == .string("Summarise, briefly."))
        for key in ["id", "last_run_at", "last_status", "repeat", "failure_streak", "next_run_at", "something_new", "created_at"] {
            #expect(job[key] == ran[key], "\(key)")
        }
    }

    @Test func aHandEditOfADeclaredFieldIsRevertedAndSaidSo() throws {
        let (first, _) = try merge([report], into: JobsDocument())
        let edited = first.jobs[0].setting("prompt", .string("hacked")).setting("deliver", .string("telegram"))
        let (out, changes) = try merge([report], into: JobsDocument(jobs: [edited]))
        #expect(changes.first?.reason == "edited by hand: reverted" && changes.first?.fields == ["prompt", "deliver"])
        #expect(out.jobs[0]["prompt"] == .string("Summarise.") && out.jobs[0]["deliver"] == .string("local"))
    }

    @Test func aHandPauseIsKeptUntilTheRepoChangesTheJob() throws {
        let (first, _) = try merge([report], into: JobsDocument())
        let paused = first.jobs[0].setting("enabled", .bool(false)).setting("state", .string("paused"))
            .setting("paused_at", .string("2027-01-15T08:30:00+00:00"))
        let (kept, keptChanges) = try merge([report], into: JobsDocument(jobs: [paused]))
        #expect(keptChanges.first?.action == .pausedKept)
        #expect(kept.jobs[0] == paused)
        var changed = report
        changed.schedule = "0 10 * * *"
        let later = now.addingTimeInterval(3600)
        let (resumed, changes) = try merge([changed], into: JobsDocument(jobs: [paused]), now: later)
        #expect(changes.first?.action == .updated && changes.first?.fields.contains("enabled (resumed)") == true)
        #expect(resumed.jobs[0]["enabled"] == .bool(true) && resumed.jobs[0]["state"] == .string("scheduled"))
        #expect(resumed.jobs[0]["paused_at"] == .null)
        #expect(resumed.jobs[0]["next_run_at"] == .string("2027-01-15T10:00:00+00:00"))
    }

    @Test func aDisabledDeclarationIsInstalledPausedAndAHandResumeIsKept() throws {
        var off = report
        off.enabled = false
        let (first, _) = try merge([off], into: JobsDocument())
        #expect(first.jobs[0]["enabled"] == .bool(false) && first.jobs[0]["state"] == .string("paused"))
        let resumed = first.jobs[0].setting("enabled", .bool(true)).setting("state", .string("scheduled"))
        let (out, changes) = try merge([off], into: JobsDocument(jobs: [resumed]))
        #expect(changes.first?.action == .pausedKept && changes.first?.reason?.hasPrefix("resumed by hand") == true)
        #expect(out.jobs[0]["enabled"] == .bool(true))
    }

    @Test func oneShotsInThePastAreNotCreatedAndFutureOnesRunOnce() throws {
        let past = RenderedAgentJob(name: "past", prompt: "x", schedule: "2027-01-15T07:00")
        let soon = RenderedAgentJob(name: "soon", prompt: "x", schedule: "2027-01-15T07:59")  // inside the harness's 120 s grace
        let future = RenderedAgentJob(name: "future", prompt: "x", schedule: "2027-02-01T09:00")
        let (out, changes) = try merge([past, soon, future], into: JobsDocument())
        #expect(changes.map(\.action) == [.expired, .added, .added])
        #expect(out.jobs.map { $0["name"]?.stringValue } == ["soon", "future"])
        #expect(out.jobs[1]["repeat"]?["times"] == .number("1"))
        #expect(out.jobs[1]["next_run_at"] == .string("2027-02-01T09:00:00+00:00"))
    }

    @Test func aSecondEntryForOneDeclarationIsRemoved() throws {
        let (first, _) = try merge([report], into: JobsDocument())
        let copy = first.jobs[0].setting("id", .string("bbbbbbbbbbbb"))
        let (out, changes) = try merge([report], into: JobsDocument(jobs: [first.jobs[0], copy]))
        #expect(out.jobs.count == 1 && changes.map(\.action) == [.unchanged, .removed])
    }

    @Test func aScheduleChangeRecomputesTheNextRun() throws {
        let (first, _) = try merge([report], into: JobsDocument())
        var every = report
        every.schedule = "every 30m"
        let (out, _) = try merge([every], into: first)
        #expect(out.jobs[0]["schedule"]?["kind"] == .string("interval"))
        #expect(out.jobs[0]["schedule_display"] == .string("every 30m"))
        #expect(out.jobs[0]["next_run_at"] == .string("2027-01-15T08:30:00+00:00"))
    }
}
