import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime

/// An `EngineFleet` whose golden state declares `deadman:`: the restart and alert commands
/// append to logs in the fleet folder, the stamp lives in each host's home, and the engine's
/// clock starts at the real time (the switch times it compares heartbeats with are real).
struct DeadmanFleet {
    let fleet: EngineFleet
    var host: String { fleet.host(1) }
    var state: StateDirectory { fleet.state(host) }
    var stamp: String { fleet.home(host) + "/heartbeat.stamp" }
    var restartsLog: String { fleet.root.path + "/restarts.log" }
    var alertsLog: String { fleet.root.path + "/alerts.log" }

    init(maxRetries: Int = 2, rollback: Bool = true, hosts: Int = 1) throws {
        fleet = try EngineFleet(hosts: hosts, content: "good\n")
        fleet.clock.set(Date())
        try writeSite(deadman: true, maxRetries: maxRetries, rollback: rollback)
    }

    func cleanup() { fleet.cleanup() }

    /// Rewrites site.yaml with or without its `deadman:` block.
    func writeSite(deadman: Bool, maxRetries: Int = 2, rollback: Bool = true) throws {
        var text = """
            hosts: all
            homes:
              agent: "{{ agent_home }}"
            files:
              - {src: agent.yaml, dest: "{{ agent_home }}/agent.yaml"}
            providers: "{{ golden_state_providers }}"
            cron: [cron/definitions.yaml]
            handlers:
              note-change:
                run: "echo changed >> {{ agent_home }}/handler.log"
                on_change: ["{{ agent_home }}/agent.yaml"]

            """
        if deadman {
            text += """
                deadman:
                  stamp: "{{ agent_home }}/heartbeat.stamp"
                  max_age: 3m
                  every: 1m
                  restart: "echo \\"$OVERLAY_DEADMAN_GENERATION $(cat {{ agent_home }}/agent.yaml)\\" >> \(restartsLog)"
                  max_retries: \(maxRetries)
                  rollback: \(rollback)
                  alert: "echo \\"{{ inventory_hostname }} $OVERLAY_DEADMAN_ACTION\\" >> \(alertsLog)"

                """
        }
        try fleet.write("playbooks/site.yaml", text)
    }

    /// The engine, calling the overlay binary at a fixed path in its cron lines.
    var engine: Engine {
        var engine = fleet.engine
        engine.environment.executablePath = "/usr/local/bin/overlay"
        return engine
    }

    /// Applies the repo to the host with `agent.yaml` holding `content` (and `commit` recorded).
    @discardableResult
    func apply(_ content: String, commit: String? = nil) throws -> HostApplyResult {
        try fleet.write("agent.yaml", content)
        var target = try engine.load(.repo(fleet.source), host: host)
        target.commit = commit
        return try engine.apply(target, options: ApplyOptions(lockTimeout: 5))
    }

    /// The agent heartbeats `ago` seconds before the clock's time.
    func beat(ago: TimeInterval = 0) throws {
        try Heartbeat.write(stamp: stamp, at: fleet.clock.now().addingTimeInterval(-ago))
    }

    /// One check `advance` seconds after the last.
    @discardableResult
    func check(after advance: TimeInterval = 60, dryRun: Bool = false) throws -> DeadmanReport {
        fleet.clock.advance(advance)
        return try engine.deadmanCheck(stateDir: state, dryRun: dryRun, lockTimeout: 2)
    }

    func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    var crontab: String { (try? String(contentsOfFile: fleet.crontab(host), encoding: .utf8)) ?? "" }
    var live: Int? { GenerationStore(state: state).currentNumber() }
    var knownGood: Set<Int> { GenerationStore(state: state).knownGood() }
    var record: DeadmanRecord? { try? DeadmanRecordStore(state: state).load() }
}
