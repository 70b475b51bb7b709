import Foundation
import Testing

/// `overlay cron diff` against a `file:` crontab named by the host var `overlay_crontab`.
@Suite struct CronDiffEndToEndTests {
    /// A repo with one host and two jobs whose crontab is `crontab` (the inventory points at it).
    private func makeRepo(crontab: URL) throws -> URL {
        let root = try makeTempDir("overlay-crondiff")
        let files = [
            "inventory/hosts.yml": """
            all:
              hosts:
                timmy:
                  ansible_connection: local
                  overlay_crontab: "file:\(crontab.path)"
            """,
            "playbooks/site.yaml": "hosts: all\nhomes:\n  agent: \"\(root.path)/home\"\ncron: [cron/jobs.yaml]\n",
            "cron/jobs.yaml": """
            jobs:
              - name: heartbeat
                schedule: "*/1 * * * *"
                command: "overlay heartbeat --stamp /tmp/{{ inventory_hostname }}.stamp"
                user: agent
              - name: backup
                schedule: "@daily"
                command: "tar czf /tmp/b.tgz /etc"
                user: agent
            """,
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }

    /// The managed block in the format docs/crontab.md documents.
    private func block(heartbeat: String = "*/1 * * * * agent overlay heartbeat --stamp /tmp/timmy.stamp", extra: String = "") -> String {
        """
        # >>> overlay managed: host=timmy -- do not edit inside this block >>>
        # overlay job: backup
        @daily agent tar czf /tmp/b.tgz /etc
        # overlay job: heartbeat
        \(heartbeat)
        \(extra)# <<< overlay managed: host=timmy <<<

        """
    }

    @Test func noCrontabYetMeansEveryJobIsMissing() throws {
        let crontab = try makeTempDir().appendingPathComponent("overlay")
        let r = try runOverlay(["cron", "diff", "--root", try makeRepo(crontab: crontab).path, "--format", "json"])
        #expect(r.status == 1)
        #expect(r.json["ok"] as? Bool == false)
        #expect(r.json["target"] as? String == "file:" + crontab.path)
        #expect(r.json["missing"] as? [String] == ["backup", "heartbeat"])
    }

    @Test func matchingBlockAmongUserLinesIsNoDrift() throws {
        let crontab = try makeTempDir().appendingPathComponent("overlay")
        try Data(("MAILTO=\"\"\n0 4 * * * root /usr/bin/true\n" + block() + "# after\n").utf8).write(to: crontab)
        let root = try makeRepo(crontab: crontab)

        let json = try runOverlay(["cron", "diff", "--root", root.path, "--host", "timmy", "--format", "json"])
        let text = try runOverlay(["cron", "diff", "--root", root.path])

        #expect(json.status == 0 && json.json["ok"] as? Bool == true)
        #expect(text.status == 0 && text.stdout.contains("no drift"))
    }

    @Test func changedAndExtraJobsAreNamedAndDiffed() throws {
        let crontab = try makeTempDir().appendingPathComponent("overlay")
        let installed = block(heartbeat: "*/5 * * * * agent overlay heartbeat", extra: "# overlay job: old\n0 1 * * * agent old-job\n")
        try Data(installed.utf8).write(to: crontab)
        let root = try makeRepo(crontab: crontab)

        let json = try runOverlay(["cron", "diff", "--root", root.path, "--format", "json"])
        let text = try runOverlay(["cron", "diff", "--root", root.path])

        #expect(json.status == 1)
        #expect(json.json["changed"] as? [String] == ["heartbeat"] && json.json["extra"] as? [String] == ["old"])
        #expect(json.json["missing"] as? [String] == [])
        #expect(text.status == 1)
        #expect(
            text.stdout.contains("-*/5 * * * * agent overlay heartbeat\n+*/1 * * * * agent overlay heartbeat --stamp /tmp/timmy.stamp\n"))
        #expect(text.stdout.contains("-0 1 * * * agent old-job\n"))
    }

    @Test func damagedBlockIsAnErrorNamingTheLine() throws {
        let crontab = try makeTempDir().appendingPathComponent("overlay")
        try Data("# mine\n# >>> overlay managed: host=timmy -- do not edit inside this block >>>\n".utf8).write(to: crontab)
        let r = try runOverlay(["cron", "diff", "--root", try makeRepo(crontab: crontab).path, "--format", "json"])
        #expect(r.status == 1)
        #expect(r.json["ok"] as? Bool == false)
        #expect((r.json["error"] as? String)?.contains("damaged at line 2") == true)
    }

    @Test func invalidTargetSaysWhatToWrite() throws {
        let root = try makeRepo(crontab: URL(fileURLWithPath: "/unused"))
        let inventory = root.appendingPathComponent("inventory/hosts.yml")
        try Data(try String(contentsOf: inventory, encoding: .utf8).replacingOccurrences(of: "file:/unused", with: "crontab.txt").utf8)
            .write(to: inventory)
        let r = try runOverlay(["cron", "diff", "--root", root.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("invalid crontab target 'crontab.txt'") && r.stderr.contains("file:/absolute/path"))
    }
}
