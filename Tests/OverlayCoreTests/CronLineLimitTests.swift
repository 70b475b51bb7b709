import Foundation
import Testing

@testable import OverlayCore

/// Debian cron refuses a crontab whose command field is over 998 bytes; validate says so first.
@Suite struct CronLineLimitTests {
    func diagnostics(jobs: String, site: String? = nil, inventory: String? = nil) throws -> [Diagnostic] {
        var files = MinimalRepo.files
        files["cron/jobs.yaml"] = jobs
        if let site { files["playbooks/site.yaml"] = site }
        if let inventory { files["inventory/hosts.yml"] = inventory }
        let repo = try TempRepo(files)
        defer { repo.remove() }
        return repo.validate().diagnostics
    }

    func job(_ command: String, env: String = "") -> String {
        "jobs:\n  - name: long\n    schedule: '0 3 * * *'\n    command: '\(command)'\n\(env)"
    }

    @Test func aTwelveHundredCharacterCommandIsRefusedNamingTheLimit() throws {
        let d = try diagnostics(jobs: job("echo " + String(repeating: "x", count: 1195)))
        let hit = d.filter { $0.rule == "cron.line-too-long" }
        #expect(hit.map { "\($0.file):\($0.line):\($0.column)" } == ["cron/jobs.yaml:4:14"], "\(d)")
        let message = try #require(hit.first?.message)
        #expect(message.contains("1200 bytes") && message.contains("998") && message.contains("MAX_COMMAND 1000"), "\(message)")
        #expect(message.contains("job 'long'"))
    }

    @Test func theLimitIsExactlyWhatCronAccepts() throws {
        let at = try diagnostics(jobs: job("echo " + String(repeating: "x", count: 993)))
        #expect(at.filter { $0.rule == "cron.line-too-long" }.isEmpty, "998 bytes is accepted")
        let over = try diagnostics(jobs: job("echo " + String(repeating: "x", count: 994)))
        #expect(over.filter { $0.rule == "cron.line-too-long" }.count == 1, "999 bytes is refused")
        // Bytes, not characters: cron counts bytes.
        let multibyte = try diagnostics(jobs: job("echo " + String(repeating: "é", count: 497)))
        #expect(multibyte.filter { $0.rule == "cron.line-too-long" }.count == 1)
    }

    @Test func envExportsCountTowardTheLine() throws {
        let env = "    env: {PATH: '\(String(repeating: "/x", count: 20))'}\n"
        let d = try diagnostics(jobs: job("echo " + String(repeating: "x", count: 950), env: env))
        let message = try #require(d.first { $0.rule == "cron.line-too-long" }?.message)
        #expect(message.contains("env exports included"))
        #expect(CronCommandField.render(command: " run ", env: ["A": "1", "B": "it's"]) == #"export A='1' B='it'\''s'; run"#)
    }

    /// A command that is short as written but long for one host: measured once rendered.
    @Test func aHostsVariableCanPushTheLineOverTheLimit() throws {
        let inventory = """
            all:
              vars: {hermes_home: /srv/agent/.hermes, timmy_home: /srv/agent/.timmy, golden_state_providers: [custom]}
              hosts:
                timmy: {ansible_connection: local, args: "\(String(repeating: "a", count: 1000))"}
                ezra: {ansible_connection: local, overlay_home: /srv/ezra, args: short}
            """
        let site = """
            hosts: all
            homes:
              hermes: "{{ hermes_home }}"
            files:
              - {src: SOUL.md, dest: "{{ hermes_home }}/SOUL.md"}
            cron: [cron/jobs.yaml]
            """
        let jobs = "jobs:\n  - name: long\n    schedule: '0 3 * * *'\n    command: 'run {{ args }}'\n"
        let d = try diagnostics(jobs: jobs, site: site, inventory: inventory)
        let hit = d.filter { $0.rule == "cron.line-too-long" }
        #expect(hit.map { "\($0.file):\($0.line):\($0.column)" } == ["cron/jobs.yaml:4:14"], "\(d)")
        #expect(hit.first?.message.contains("host 'timmy'") == true)
    }

    /// A cron file that says nothing would empty the host's managed block: a warning.
    @Test func anEmptyCronFileThatEmptiesTheBlockIsAWarning() throws {
        let site = """
            hosts: all
            homes:
              hermes: "{{ hermes_home }}"
            files:
              - {src: SOUL.md, dest: "{{ hermes_home }}/SOUL.md"}
            cron: [cron/jobs.yaml]
            """
        for empty in ["", "# all jobs moved\n", "jobs:\n"] {
            let d = try diagnostics(jobs: empty, site: site)
            let hit = d.filter { $0.rule == "cron.empty-file" }
            #expect(hit.map { "\($0.severity) \($0.file):\($0.line):\($0.column)" } == ["warning cron/jobs.yaml:1:1"], "\(empty): \(d)")
            #expect(hit.first?.message.contains("host 'timmy'") == true)
            #expect(d.errorCount == 0)
        }
        let deliberate = try diagnostics(jobs: "jobs: []\n", site: site)
        #expect(deliberate.filter { $0.rule == "cron.empty-file" }.isEmpty)
    }
}
