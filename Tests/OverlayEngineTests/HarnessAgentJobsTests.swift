import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime
import TestSupport
import Testing

/// Agent jobs applied by the engine into a home that the published harness (hermes-agent
/// 0.19.0, installed by the tests into a cached venv) then reads, lists, pauses and runs.
@Suite(.serialized) struct HarnessAgentJobsTests {
    struct Setup {
        var fleet: AgentJobsFleet
        var harness: HermesHarness
        var scratch: String
        var home: String { fleet.hermesHome(fleet.host) }

        func hermes(_ args: [String], extra: [String: String] = [:]) throws -> HermesHarness.RunOutput {
            try harness.hermes(args, home: home, scratchHome: scratch, extra: extra)
        }

        func python(_ script: String, _ args: [String] = []) throws -> HermesHarness.RunOutput {
            try harness.python(script, arguments: args, home: home, scratchHome: scratch)
        }

        /// `hermes cron list --all` as (status, name, schedule) per job.
        func listed() throws -> [(status: String, name: String, schedule: String)] {
            let out = try hermes(["cron", "list", "--all"])
            #expect(out.status == 0, "hermes cron list failed: \(out.text)")
            var rows: [(String, String, String)] = []
            var status = ""
            var name = ""
            for line in out.stdout.split(separator: "\n").map(String.init) {
                let t = line.trimmingCharacters(in: .whitespaces)
                if t.hasSuffix("]"), let open = t.lastIndex(of: "[") { status = String(t[open...]) }
                if t.hasPrefix("Name:") { name = t.dropFirst(5).trimmingCharacters(in: .whitespaces) }
                if t.hasPrefix("Schedule:") { rows.append((status, name, t.dropFirst(9).trimmingCharacters(in: .whitespaces))) }
            }
            return rows
        }

        func cleanup() {
            fleet.cleanup()
            try? FileManager.default.removeItem(atPath: scratch)
        }
    }

    /// A parsed job as sorted JSON text (for equality).
    static func canonical(_ job: [String: Any]) -> String {
        (try? JSONSerialization.data(withJSONObject: job, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    static func setup(jobs: String = AgentJobsFleet.defaultJobs) throws -> Setup {
        let (harness, skip) = try HermesHarness.shared()
        guard let harness else { try Test.cancel(Comment(rawValue: skip ?? "no harness")) }
        let fleet = try AgentJobsFleet(jobs: jobs)
        let scratch = fleet.fleet.root.path + "/scratch-home"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: fleet.hermesHome(fleet.host), withIntermediateDirectories: true)
        return Setup(fleet: fleet, harness: harness, scratch: scratch)
    }

    @Test func theHarnessListsExactlyTheDeclaredJobsBesideTheHandMadeOnes() throws {
        let s = try Self.setup()
        defer { s.cleanup() }
        #expect(try s.hermes(["cron", "create", "every 2h", "Check the hand-made thing", "--name", "hand-check"]).status == 0)
        #expect(try s.hermes(["cron", "create", "0 6 * * *", "A paused hand job", "--name", "hand-paused"]).status == 0)
        #expect(try s.hermes(["cron", "pause", "hand-paused"]).status == 0)
        let before = try s.fleet.jobs()

        let result = try s.fleet.apply()
        #expect(result.ok, "\(result.problems)")
        #expect(result.agentJobs?.change?.names(.added) == ["daily-report", "disk-report"])
        #expect(result.agentJobs?.change?.names(.keptByHand) == ["hand-check", "hand-paused"])

        // The hand-made jobs are byte-for-byte what the harness wrote.
        let after = try s.fleet.jobs()
        for job in before {
            let same = after.first { $0["id"] as? String == job["id"] as? String }
            #expect(same.map(Self.canonical) == Self.canonical(job), "\(job["name"] ?? "?") was changed")
        }
        let rows = try s.listed()
        #expect(rows.map(\.name).sorted() == ["daily-report", "disk-report", "hand-check", "hand-paused"])
        #expect(rows.first { $0.name == "daily-report" }?.schedule == "0 8 * * *")
        #expect(rows.first { $0.name == "disk-report" }?.schedule == "every 1m")
        #expect(rows.first { $0.name == "hand-paused" }?.status == "[paused]")
        // The harness's own reader agrees: the next run of the cron job is 08:00 UTC.
        let next = try s.python("from cron.jobs import get_job, resolve_job_ref; print(resolve_job_ref('daily-report')['next_run_at'])")
        #expect(next.stdout.contains("T08:00:00+00:00"), "\(next.text)")

        let again = try s.fleet.apply()
        #expect(again.ok && !again.changed, "a second apply changes nothing")
        #expect(again.agentJobs?.change?.written == false)
    }

    @Test func aJobPausedByHandStaysPausedUntilTheRepoChangesIt() throws {
        let s = try Self.setup()
        defer { s.cleanup() }
        let first = try s.fleet.apply()
        let state = s.fleet.fleet.state(s.fleet.host)
        let live = try #require(first.liveGeneration)
        // A hand edit through the harness keeps overlay's mark, shows as drift, and is reverted.
        #expect(try s.hermes(["cron", "edit", "daily-report", "--prompt", "hand-edited"]).status == 0)
        let drift = AgentJobsStatus.of(generation: live, host: s.fleet.host, state: state)
        #expect(drift.drifted && drift.drift.map(\.name) == ["daily-report"] && drift.drift.first?.fields == ["prompt"], "\(drift)")
        let reverted = try s.fleet.apply()
        #expect(reverted.agentJobs?.change?.jobs.first { $0.name == "daily-report" }?.reason == "edited by hand: reverted")
        #expect(try s.fleet.jobs().count == 2)
        #expect(!AgentJobsStatus.of(generation: live, host: s.fleet.host, state: state).drifted)
        #expect(try s.hermes(["cron", "pause", "daily-report"]).status == 0)
        #expect(AgentJobsStatus.of(generation: live, host: s.fleet.host, state: state).drift.map(\.kind) == [.paused])
        let reapplied = try s.fleet.apply()
        #expect(reapplied.agentJobs?.change?.jobs.first { $0.name == "daily-report" }?.action == .pausedKept)
        #expect(try s.listed().first { $0.name == "daily-report" }?.status == "[paused]")
        // The repo changes that job: the declaration wins, the job runs again.
        try s.fleet.fleet.write("cron/agent-jobs.yaml", AgentJobsFleet.defaultJobs.replacingOccurrences(of: "Summarise", with: "Summarize"))
        let changed = try s.fleet.apply()
        #expect(changed.agentJobs?.change?.jobs.first { $0.name == "daily-report" }?.action == .updated)
        #expect(try s.listed().first { $0.name == "daily-report" }?.status == "[active]")
    }

    @Test func aDueScriptJobRunsOnTickAndItsRunTimeFieldsSurviveReapply() throws {
        let s = try Self.setup()
        defer { s.cleanup() }
        // Applied as if 61 s ago: the harness finds the every-1m job due now.
        let engine = Engine(
            environment: EngineEnvironment(
                variables: s.fleet.fleet.engine.environment.variables, hostName: "t", clock: ManualClock(Date().addingTimeInterval(-61))))
        let result = try s.fleet.apply(engine: engine)
        #expect(result.ok, "\(result.problems)")
        let tick = try s.hermes(["cron", "tick"])
        #expect(tick.status == 0, "\(tick.text)")
        let log = try? String(contentsOfFile: s.home + "/script-ran.log", encoding: .utf8)
        #expect(log?.hasPrefix("ran ") == true, "the script did not run: \(tick.text)")
        let ran = try #require(try s.fleet.job(named: "disk-report"))
        let lastRun = try #require(ran["last_run_at"] as? String)
        #expect(ran["last_status"] as? String == "ok")
        #expect((ran["repeat"] as? [String: Any])?["completed"] as? Int == 1)

        // A re-apply, with another job's prompt changed, keeps what the harness wrote.
        try s.fleet.fleet.write("cron/agent-jobs.yaml", AgentJobsFleet.defaultJobs.replacingOccurrences(of: "Summarise", with: "Summarize"))
        let reapplied = try s.fleet.apply()
        #expect(reapplied.ok && reapplied.changed)
        let kept = try #require(try s.fleet.job(named: "disk-report"))
        #expect(kept["last_run_at"] as? String == lastRun)
        #expect((kept["repeat"] as? [String: Any])?["completed"] as? Int == 1)
        #expect(kept["next_run_at"] as? String == ran["next_run_at"] as? String)
        #expect(kept["id"] as? String == ran["id"] as? String)
    }

    @Test func configCheckIsContentWithTheAppliedConfig() throws {
        let s = try Self.setup()
        defer { s.cleanup() }
        // The example overlay's own config.yaml, as `make demo` applies it, with a time zone.
        let example = try String(contentsOf: PackagePaths.root.appendingPathComponent("config.yaml"), encoding: .utf8)
        try s.fleet.fleet.write("config.yaml", example + "\ntimezone: UTC\n")
        #expect(try s.fleet.apply().ok)
        let check = try s.hermes(["config", "check"])
        #expect(check.status == 0, "\(check.text)")
        #expect(check.stdout.contains("Config version: 50 ✓"), "\(check.stdout.prefix(400))")
        #expect(!check.stdout.contains("✗") && !check.stdout.contains("update available"), "\(check.stdout.prefix(600))")
        // The harness reads the applied file (a symlink into the generation) with its own loader.
        let loaded = try s.python("from hermes_cli.config import load_config; print(load_config()['timezone'])")
        #expect(loaded.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "UTC", "\(loaded.text)")
    }

    @Test func overlayWritesTheHarnessFormatAndHostileTextSurvivesBothWays() throws {
        let lines = (0..<3000).map { "      line \($0): 日本語 \"quoted\" \\ back 🦊 — \u{202E}rtl" }.joined(separator: "\n")
        let jobs =
            AgentJobsFleet.defaultJobs + """
                  - name: "hostile: é \\u00e9 \\\"q\\\""
                    schedule: every 1d
                    prompt: |
                \(lines)

                """
        let s = try Self.setup(jobs: jobs)
        defer { s.cleanup() }
        // A hand-made job with a newline in its name and a NUL in its prompt, made by the harness.
        let made = try s.python(
            "from cron.jobs import create_job; print(create_job(prompt='a\\x00b', schedule='every 3h', name='two\\nlines')['id'])")
        #expect(made.status == 0, "\(made.text)")
        // Overlay's writer produces the harness's bytes for a file it does not change.
        let harnessBytes = try Data(contentsOf: URL(fileURLWithPath: s.fleet.jobsFile(s.fleet.host)))
        let parsed = try JobsDocument.parse(Array(harnessBytes), path: "jobs.json")
        let stamp = try #require(try JSONSerialization.jsonObject(with: harnessBytes) as? [String: Any])["updated_at"] as? String
        #expect(parsed.encoded(updatedAt: stamp ?? "") == harnessBytes, "overlay's encoding differs from json.dump(indent=2)")

        let result = try s.fleet.apply()
        #expect(result.ok, "\(result.problems)")
        let check = try s.python(
            """
            import json
            from cron.jobs import load_jobs
            jobs = {j['name']: j for j in load_jobs()}
            print(json.dumps({'n': len(jobs), 'hand': jobs['two\\nlines']['prompt'] == 'a\\x00b',
                              'hostile': len(jobs['hostile: é \\u00e9 "q"']['prompt'])}))
            """)
        #expect(check.status == 0, "\(check.text)")
        let answer = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any]
        #expect(answer?["n"] as? Int == 4)
        #expect(answer?["hand"] as? Bool == true, "the hand-made NUL prompt came back changed")
        #expect((answer?["hostile"] as? Int ?? 0) > 100_000)
        #expect(try s.hermes(["cron", "list", "--all"]).status == 0)
    }

    /// `overlay cron import` turns the harness's own jobs into declarations that, applied to a
    /// fresh home, give the harness the same jobs.
    @Test func importedDeclarationsRecreateTheSameJobs() throws {
        let s = try Self.setup()
        defer { s.cleanup() }
        #expect(
            try s.hermes([
                "cron", "create", "every 90m", "Watch the queue.\nSay only what changed.", "--name", "queue", "--skill", "triage",
            ]).status == 0)
        #expect(
            try s.hermes(["cron", "create", "15 6 * * 1-5", "Morning brief", "--name", "brief", "--deliver", "telegram:-100123"]).status
                == 0)
        #expect(try s.hermes(["cron", "pause", "brief"]).status == 0)
        let original = try s.fleet.jobs()
        let imported = try AgentJobsImport.declarations(
            from: Array(try Data(contentsOf: URL(fileURLWithPath: s.fleet.jobsFile(s.fleet.host)))), path: "jobs.json")
        #expect(imported.count == 2 && imported.warnings.isEmpty, "\(imported.warnings)")
        // Declared in the repo instead, applied to a new, empty home.
        try s.fleet.fleet.write("cron/agent-jobs.yaml", imported.yaml)
        try FileManager.default.removeItem(atPath: s.home + "/cron")
        let result = try s.fleet.apply()
        #expect(result.ok, "\(result.problems)")
        for job in original {
            let name = try #require(job["name"] as? String)
            let made = try #require(try s.fleet.job(named: name))
            for key in ["prompt", "schedule", "schedule_display", "skills", "deliver", "enabled", "state", "no_agent", "model"] {
                #expect(Self.canonical([key: made[key] ?? NSNull()]) == Self.canonical([key: job[key] ?? NSNull()]), "\(name).\(key)")
            }
        }
    }
}
