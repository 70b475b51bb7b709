import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime

/// An `EngineFleet` whose golden state also manages a Hermes home per host: its
/// `config.yaml`, a script under `scripts/` and the agent jobs of `cron/agent-jobs.yaml`.
struct AgentJobsFleet {
    var fleet: EngineFleet

    /// The default declarations: a daily report prompt and a `no_agent` script job.
    static let defaultJobs = """
        agent_jobs:
          - name: daily-report
            schedule: "0 8 * * *"
            prompt: "Summarise yesterday's work on {{ inventory_hostname }}."
            deliver: local
          - name: disk-report
            schedule: every 1m
            script: disk-report.sh
            no_agent: true
            deliver: local

        """

    init(hosts: Int = 1, jobs: String = AgentJobsFleet.defaultJobs, timezone: String = "UTC") throws {
        fleet = try EngineFleet(hosts: hosts)
        try fleet.write("config.yaml", "_config_version: 50\nmodel:\n  default: local-model\n  provider: custom\ntimezone: \(timezone)\n")
        try fleet.write(
            "scripts/disk-report.sh",
            "#!/bin/bash\nset -e\necho \"ran $(date +%s)\" >> \"$(dirname \"$0\")/../script-ran.log\"\necho disk ok\n")
        try writeSite()
        try fleet.write("cron/agent-jobs.yaml", jobs)
        var extra: [String: String] = [:]
        for i in 1...hosts { extra[fleet.host(i)] = "      hermes_home: \"\(hermesHome(fleet.host(i)))\"\n" }
        try fleet.writeInventory(count: hosts, extra: extra)
    }

    func writeSite(agentJobs: Bool = true) throws {
        try fleet.write(
            "playbooks/site.yaml",
            """
            hosts: all
            homes:
              agent: "{{ agent_home }}"
              hermes: "{{ hermes_home }}"
            files:
              - {src: agent.yaml, dest: "{{ agent_home }}/agent.yaml"}
              - {src: config.yaml, dest: "{{ hermes_home }}/config.yaml"}
              - {src: scripts/disk-report.sh, dest: "{{ hermes_home }}/scripts/disk-report.sh", link: false}
            providers: "{{ golden_state_providers }}"
            cron: [cron/definitions.yaml]
            \(agentJobs ? "agent_jobs: [cron/agent-jobs.yaml]" : "")

            """)
    }

    func hermesHome(_ host: String) -> String { fleet.root.path + "/hermes/" + host }
    func jobsFile(_ host: String) -> String { hermesHome(host) + "/cron/jobs.json" }
    var host: String { fleet.host(1) }

    /// Loads and applies the repo for `host` with `engine`.
    func apply(_ host: String? = nil, engine: Engine? = nil, dryRun: Bool = false) throws -> HostApplyResult {
        let engine = engine ?? fleet.engine
        let target = try engine.load(.repo(fleet.source), host: host ?? self.host)
        return try engine.apply(target, options: ApplyOptions(dryRun: dryRun))
    }

    /// The jobs of the host's file, parsed.
    func jobs(_ host: String? = nil) throws -> [[String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: jobsFile(host ?? self.host)))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return object?["jobs"] as? [[String: Any]] ?? []
    }

    func job(named name: String, _ host: String? = nil) throws -> [String: Any]? {
        try jobs(host).first { ($0["name"] as? String) == name }
    }

    func cleanup() { fleet.cleanup() }
}
