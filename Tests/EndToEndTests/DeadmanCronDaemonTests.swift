import Foundation
import TestSupport
import Testing

/// The deadman end to end: `overlay apply` installs the check into the real user crontab, the
/// real cron daemon runs it every minute, a fake agent (a shell loop) heartbeats through
/// `overlay heartbeat`, is killed and restarted by the check, then a bad generation kills it
/// and the check rolls back to the known-good one. The test only watches.
@Suite(.serialized) struct DeadmanCronDaemonTests {
    @Test(.timeLimit(.minutes(7)))
    func cronRunsTheInstalledCheckWhichRestartsTheAgentAndRollsBackABadGeneration() throws {
        let session = try RealCrontabSession()
        defer { session.restore() }
        let lab = try DeadmanLab()
        defer { lab.cleanup() }

        var applied: OverlayResult?
        try CronDaemon.install { applied = try lab.apply(config: "good") }
        #expect(applied?.status == 0, "\(applied?.stdout ?? "")\(applied?.stderr ?? "")")
        // The agent heartbeats through `overlay heartbeat`, which reads the stamp from the live generation.
        try lab.startAgent()
        try lab.waitFor("the agent's first heartbeat", seconds: 20) { lab.stampAge < 3 }

        // The installed line is the one cron runs: this binary, this state dir, every minute.
        let binary = PackagePaths.binary.resolvingSymlinksInPath().path
        let line = try session.listed().split(separator: "\n").first { $0.contains("deadman check") }.map(String.init)
        #expect(
            line
                == "* * * * * export OVERLAY_STATE_DIR='\(lab.state)'; cd '\(lab.state)' && mkdir -p -m 700 logs && '\(binary)' deadman check --quiet >>logs/deadman-cron.log 2>&1"
        )

        // 1. The first run sees the heartbeat and marks generation 1 known-good.
        let first = try lab.nextCheck(after: nil, session: session, seconds: 130)
        #expect(first.state == "up" && lab.knownGood == [1], "\(lab.report(session))")

        // 2. The agent dies right after a check; the next run restarts it.
        lab.killAgents()
        let second = try lab.nextCheck(after: first.time, session: session)
        #expect(second.state == "down" && second.actions == ["restart"], "\(lab.report(session))")
        #expect(lab.restarts == ["restart 1 good"], "\(lab.report(session))")
        try lab.waitFor("the restarted agent's heartbeat", seconds: 20) { lab.stampAge < 3 }

        // 3. A bad generation kills the agent; the next run rolls back to generation 1 and restarts it.
        let bad = try lab.apply(config: "bad")
        #expect(bad.status == 0 && lab.live == 2, "\(bad.stdout)\(bad.stderr)")
        let third = try lab.nextCheck(after: second.time, session: session)
        #expect(third.state == "down" && third.actions == ["rollback", "restart"], "\(lab.report(session))")
        #expect(lab.live == 1 && lab.config == "good\n", "generation 1's config is live again")
        #expect(lab.restarts == ["restart 1 good", "restart 1 good"], "\(lab.report(session))")
        try lab.waitFor("the agent's heartbeat on generation 1", seconds: 20) { lab.stampAge < 3 }
        #expect(try session.listed().contains(line ?? "-"), "the rollback reinstalled generation 1's jobs, the check among them")
    }
}

/// A temporary overlay repo for one local host whose check runs every minute, its state dir and
/// home, and a fake agent: `agent.sh run` heartbeats every second while its config says `good`.
struct DeadmanLab {
    let root: URL
    let host = "e2e-deadman-\(getpid())"
    var repo: String { root.path + "/repo" }
    var home: String { root.path + "/home" }
    var state: String { root.path + "/state" }
    var stamp: String { home + "/heartbeat.stamp" }
    var script: String { root.path + "/agent.sh" }

    init() throws {
        root = try makeTempDir("overlay-deadman-cron")
        chmod(root.path, 0o700)
        let fm = FileManager.default
        try fm.createDirectory(atPath: repo, withIntermediateDirectories: true)
        try fm.copyItem(atPath: PackagePaths.root.path + "/Tests/Fixtures/valid/minimal/policy", toPath: repo + "/policy")
        try write("repo/SOUL.md", "# Soul\n\nThe lab's agent.\n")
        try write("repo/config.yaml", "model:\n  default: local-model\n  provider: custom\n")
        try write(
            "repo/inventory/hosts.yml",
            """
            all:
              vars:
                golden_state_providers: [custom]
              hosts:
                \(host):
                  ansible_connection: local
                  agent_home: "\(home)"
                  overlay_home: "\(home)"
                  overlay_state_dir: "\(state)"

            """)
        try write(
            "repo/playbooks/site.yaml",
            """
            hosts: all
            homes:
              agent: "{{ agent_home }}"
            files:
              - {src: agent.yaml, dest: "{{ agent_home }}/agent.yaml"}
            providers: "{{ golden_state_providers }}"
            deadman:
              stamp: "{{ agent_home }}/heartbeat.stamp"
              max_age: 5s
              every: 1m
              restart: "sh \(script) start"
              max_retries: 1
              rollback: true

            """)
        let binary = PackagePaths.binary.path
        try write(
            "agent.sh",
            """
            #!/bin/sh
            # The fake agent: 'start' launches it in the background (what the deadman's restart runs),
            # 'run' heartbeats every second while its config says good, and stops by itself after 10 minutes.
            case "$1" in
            start)
              echo "${OVERLAY_DEADMAN_ACTION:-test} ${OVERLAY_DEADMAN_GENERATION:--} $(cat '\(home)/agent.yaml' 2>/dev/null || echo none)" >> '\(root.path)/restarts.log'
              nohup /bin/sh '\(script)' run >/dev/null 2>&1 &
              ;;
            run)
              cd '\(root.path)' || exit 5
              echo $$ >> '\(root.path)/agent.pids'
              i=0
              while [ $i -lt 600 ] && [ ! -e '\(root.path)/stop' ]; do
                if [ -e '\(home)/agent.yaml' ] && ! grep -q good '\(home)/agent.yaml'; then exit 3; fi
                OVERLAY_STATE_DIR='\(state)' '\(binary)' heartbeat || exit 4
                sleep 1
                i=$((i+1))
              done
              ;;
            esac

            """)
    }

    func write(_ relative: String, _ text: String) throws {
        let path = root.path + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Stops every fake agent (the loop also ends on the `stop` file and after 10 minutes).
    func cleanup() {
        try? "".write(toFile: root.path + "/stop", atomically: true, encoding: .utf8)
        killAgents()
        try? FileManager.default.removeItem(at: root)
    }

    func startAgent() throws {
        // Without a config the agent runs (the first apply places one).
        let status = try CronDaemon.shell("sh '\(script)' start", environment: ["PATH": "/usr/bin:/bin"])
        guard status == 0 else { throw SessionError("agent.sh start exited \(status)") }
    }

    /// Kills the fake agents started so far, by their recorded pids — only those still running
    /// this lab's script (a pid of an agent that ended may belong to another process by now).
    func killAgents() {
        let pids = ((try? String(contentsOfFile: root.path + "/agent.pids", encoding: .utf8)) ?? "").split(separator: "\n")
        for pid in pids.compactMap({ Int32($0) }) where pid > 1 {
            guard let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                String(decoding: cmdline, as: UTF8.self).contains(script)
            else { continue }
            kill(pid, SIGTERM)
        }
    }

    func apply(config: String) throws -> OverlayResult {
        try write("repo/agent.yaml", config + "\n")
        return try runOverlay(
            ["apply", "--root", repo, "--host", host, "--format", "json"],
            env: ["HOME": root.path + "/controller", "OVERLAY_CRONTAB": "user", "OVERLAY_SECRETS_DIR": root.path + "/secrets"])
    }

    /// One run of the check as its record shows it.
    struct Check {
        var time: String
        var state: String
        var actions: [String]
    }

    /// Waits for a check newer than `after`, as `deadman.json` records it, and for its actions to finish.
    func nextCheck(after: String?, session: RealCrontabSession, seconds: TimeInterval = 75) throws -> Check {
        var found: Check?
        try waitFor("a deadman check run by cron", seconds: seconds, report: { report(session) }) {
            guard let record = record, let last = record["last_check"] as? [String: Any], let time = last["time"] as? String,
                time != after
            else { return false }
            let history = record["history"] as? [[String: Any]] ?? []
            let actions = history.filter { ($0["time"] as? String ?? "") >= time }.compactMap { $0["action"] as? String }
            found = Check(time: time, state: last["state"] as? String ?? "?", actions: actions)
            return true
        }
        // The check writes its record before it acts and again after: let it finish.
        try waitFor("the check to finish", seconds: 30, report: { report(session) }) {
            !(record?["history"] as? [[String: Any]] ?? []).contains { $0["result"] == nil || $0["result"] is NSNull }
        }
        guard let found else { throw SessionError("no check") }
        let history = record?["history"] as? [[String: Any]] ?? []
        return Check(
            time: found.time, state: found.state,
            actions: history.filter { ($0["time"] as? String ?? "") >= found.time }.compactMap { $0["action"] as? String })
    }

    func waitFor(_ what: String, seconds: TimeInterval, report: () -> String = { "" }, _ done: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !done() {
            if Date() > deadline { throw SessionError("waited \(Int(seconds)) s for \(what)\n\(report())") }
            Thread.sleep(forTimeInterval: 0.25)
        }
    }

    var record: [String: Any]? {
        guard let data = FileManager.default.contents(atPath: state + "/deadman.json") else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    var knownGood: [Int] {
        FileManager.default.contents(atPath: state + "/known-good.json").flatMap { try? JSONDecoder().decode([Int].self, from: $0) } ?? []
    }

    var live: Int? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: state + "/current")).flatMap { Int(($0 as NSString).lastPathComponent) }
    }

    var config: String? { try? String(contentsOfFile: home + "/agent.yaml", encoding: .utf8) }

    /// The restarts the deadman ran (the test's own start is left out).
    var restarts: [String] {
        ((try? String(contentsOfFile: root.path + "/restarts.log", encoding: .utf8)) ?? "").split(separator: "\n")
            .map(String.init).filter { !$0.hasPrefix("test ") }
    }

    var stampAge: TimeInterval {
        let modified = (try? FileManager.default.attributesOfItem(atPath: stamp)[.modificationDate]) as? Date
        return modified.map { Date().timeIntervalSince($0) } ?? .infinity
    }

    /// What a failure needs to be understood.
    func report(_ session: RealCrontabSession) -> String {
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "(none)" }
        return """
            now \(Date()); crontab:
            \((try? session.listed()) ?? "?")
            deadman.json: \(read(state + "/deadman.json"))
            cron log: \(read(state + "/logs/deadman-cron.log"))
            deadman.log: \(read(state + "/logs/deadman.log"))
            restarts: \(read(root.path + "/restarts.log"))
            """
    }
}
