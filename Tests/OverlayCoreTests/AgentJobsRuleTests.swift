import Foundation
import Testing

@testable import OverlayCore

/// The agent-jobs rules (docs/rules.md, `agentjobs.*`), each with inline YAML and the rule's
/// location.
@Suite struct AgentJobsRuleTests {
    static let site = """
        hosts: all
        homes:
          hermes: "{{ hermes_home }}"
          timmy: "{{ timmy_home }}"
        files:
          - {src: SOUL.md, dest: "{{ timmy_home }}/SOUL.md"}
          - {src: config.yaml, dest: "{{ hermes_home }}/config.yaml"}
          - {src: channel_directory.json, dest: "{{ hermes_home }}/channel_directory.json", link: false}
          - {src: scripts/disk.sh, dest: "{{ hermes_home }}/scripts/disk.sh", link: false}
          - {src: scripts/linked.sh, dest: "{{ hermes_home }}/scripts/linked.sh"}
        providers: "{{ golden_state_providers }}"
        agent_jobs: [cron/agent-jobs.yaml]

        """

    /// Validates the minimal repo with this site, `jobs` as `cron/agent-jobs.yaml` and `extra` files.
    func diagnostics(_ jobs: String, site: String = Self.site, extra: [String: String] = [:]) throws -> [Diagnostic] {
        var files = MinimalRepo.files
        files["playbooks/site.yaml"] = site
        files["cron/agent-jobs.yaml"] = "agent_jobs:\n" + jobs
        files["config.yaml"] = (files["config.yaml"] ?? "") + "timezone: Europe/Berlin\n"
        files["channel_directory.json"] =
            #"{"platforms": {"webhook": [{"id": "gitea-push", "name": "Gitea push events", "type": "webhook"}], "telegram": [{"id": "-1001", "name": "Fleet ops", "type": "group"}]}}"#
        files["scripts/disk.sh"] = "echo ok\n"
        files["scripts/linked.sh"] = "echo ok\n"
        for (k, v) in extra { files[k] = v }
        let repo = try TempRepo(files)
        defer { repo.remove() }
        return repo.validate().diagnostics
    }

    func rules(_ d: [Diagnostic], _ prefix: String = "agentjobs.") -> [Diagnostic] { d.filter { $0.rule.hasPrefix(prefix) } }

    @Test func aPlainReportAndAScriptJobAreClean() throws {
        let d = try diagnostics(
            """
              - name: daily-report
                schedule: "0 8 * * *"
                prompt: Summarise the day.
                deliver: [local, "telegram:Fleet ops", "webhook:gitea-push", "telegram:-1001:17"]
              - {name: disk, schedule: every 30m, script: disk.sh, no_agent: true}
              - {name: once, schedule: "2030-03-01T09:00", prompt: remind me}
            """)
        #expect(d.filter { $0.severity == .error }.isEmpty, "\(d)")
        #expect(rules(d).isEmpty, "\(d)")
    }

    @Test func monthAndWeekdayNamesAreRefusedWithTheNumericForm() throws {
        let d = rules(try diagnostics("  - {name: r, schedule: \"0 9 * * mon-fri\", prompt: p}\n"))
        #expect(d.map(\.rule) == ["agentjobs.schedule"])
        #expect(d.first?.line == 2 && d.first?.column == 34, "\(d)")
        #expect(d.first?.message.contains("write 0 9 * * 1-5") == true, "\(d)")
    }

    @Test func aRelativeOneShotIsRefusedOnPurpose() throws {
        let d = rules(try diagnostics("  - name: r\n    schedule: 30m\n    prompt: p\n"))
        #expect(d.map(\.rule) == ["agentjobs.relative-once"] && d.first?.line == 3 && d.first?.column == 15)
        #expect(d.first?.message.contains("every 30m") == true)
    }

    @Test func croniterRefusalsAndNeverFiringExpressionsAreErrors() throws {
        let d = rules(
            try diagnostics(
                "  - {name: a, schedule: \"0 0 30 2 *\", prompt: p}\n  - {name: b, schedule: \"*/0 * * * *\", prompt: p}\n"
                    + "  - {name: c, schedule: \"0 9 0 * *\", prompt: p}\n"))
        #expect(d.map(\.rule) == ["agentjobs.schedule", "agentjobs.schedule", "agentjobs.schedule"])
        #expect(d[0].message.contains("never fires") && d[1].message.contains("step of 0") && d[2].message.contains("outside 1–31"))
    }

    @Test func everyZeroIsAWarning() throws {
        let d = rules(try diagnostics("  - {name: r, schedule: every 0m, prompt: p}\n"))
        #expect(d.map(\.rule) == ["agentjobs.every-zero"] && d.first?.severity == .warning)
    }

    @Test func bannedProvidersAndRemoteBaseURLsFollowConfigYamlsPolicyOncePerLine() throws {
        let d = try diagnostics(
            """
              - name: r
                schedule: every 1h
                prompt: p
                provider: anthropic
                model: claude-sonnet
                base_url: https://api.example.com/v1
            """)
        let policy = d.filter { $0.rule.hasPrefix("policy.") }
        #expect(policy.map(\.rule) == ["policy.banned-provider", "policy.banned-provider", "policy.remote-base-url"], "\(policy)")
        #expect(policy.map(\.line) == [5, 6, 7])
    }

    @Test func aTemplatedProviderIsCheckedForEachHost() throws {
        let inventory = MinimalRepo.inventory.replacingOccurrences(
            of: "      ansible_connection: local", with: "      ansible_connection: local\n      job_provider: anthropic")
        let d = try diagnostics(
            "  - {name: r, schedule: every 1h, prompt: p, provider: \"{{ job_provider }}\"}\n", extra: ["inventory/hosts.yml": inventory])
        let hit = d.filter { $0.rule == "policy.banned-provider" && $0.file == "cron/agent-jobs.yaml" }
        #expect(hit.count == 1 && hit.first?.message.contains("rendered for host 'timmy'") == true, "\(d)")
    }

    @Test func deliverTargetsTheHarnessCannotRouteAreErrors() throws {
        let d = rules(
            try diagnostics(
                """
                  - {name: a, schedule: every 1h, prompt: p, deliver: telegrm}
                  - {name: b, schedule: every 1h, prompt: p, deliver: Local}
                  - {name: c, schedule: every 1h, prompt: p, deliver: "webhook:nowhere"}
                  - {name: d, schedule: every 1h, prompt: p, deliver: "slack:"}
                  - {name: e, schedule: every 1h, prompt: p, deliver: origin}
                """))
        #expect(
            d.map(\.rule) == [
                "agentjobs.deliver", "agentjobs.deliver", "agentjobs.deliver", "agentjobs.deliver", "agentjobs.deliver-origin",
            ])
        #expect(d[0].message.contains("did you mean 'telegram'"))
        #expect(d[1].message.contains("write 'local'"))
        #expect(d[2].message.contains("Gitea push events") && d[2].line == 4)
        #expect(d[4].severity == .warning)
    }

    @Test func aScriptMustBeOneTheRepoCopiesIntoTheScriptsFolder() throws {
        let d = rules(
            try diagnostics(
                """
                  - {name: a, schedule: every 1h, script: ../config.yaml, no_agent: true}
                  - {name: b, schedule: every 1h, script: missing.sh, no_agent: true}
                  - {name: c, schedule: every 1h, script: linked.sh, no_agent: true}
                  - {name: d, schedule: every 1h, script: /srv/agent/.hermes/scripts/disk.sh, no_agent: true}
                """))
        #expect(d.map(\.rule) == ["agentjobs.script", "agentjobs.script", "agentjobs.script"])
        #expect(d[0].message.contains("only scripts inside /srv/agent/.hermes/scripts/"))
        #expect(d[1].message.contains("no file entry") && d[1].message.contains("link: false"))
        #expect(d[2].message.contains("add link: false"))
    }

    @Test func namesAreUniquePerHostWithoutRegardToCase() throws {
        let d = rules(
            try diagnostics("  - {name: Report, schedule: every 1h, prompt: p}\n  - {name: report, schedule: every 2h, prompt: q}\n"))
        #expect(d.map(\.rule) == ["agentjobs.duplicate-name"] && d.first?.line == 3)
        let scoped = rules(
            try diagnostics(
                "  - {name: r, schedule: every 1h, prompt: p, hosts: all}\n  - {name: r, schedule: every 2h, prompt: q, hosts: timmy}\n"))
        #expect(scoped.map(\.rule) == ["agentjobs.duplicate-name"] && scoped.first?.message.contains("host 'timmy'") == true)
    }

    @Test func structureProblemsAreReportedAtTheirKeys() throws {
        let d = rules(
            try diagnostics(
                """
                  - {name: a, schedule: every 1h, promt: p}
                  - {name: b, schedule: every 1h, no_agent: true}
                  - {name: "c\\nd", schedule: every 1h, prompt: p}
                  - {name: e, schedule: every 1h, prompt: "a\\0b"}
                  - {name: f, schedule: every 1h, prompt: "then run systemctl --user restart hermes-gateway"}
                  - {name: g, schedule: every 1h, prompt: p, workdir: relative/dir}
                  - {name: h, schedule: every 1h, prompt: "key ${secret:API_KEY}"}
                """))
        #expect(
            d.map(\.rule) == [
                "agentjobs.required", "agentjobs.unknown-key", "agentjobs.no-agent", "agentjobs.name", "agentjobs.control-character",
                "agentjobs.lifecycle-command", "agentjobs.workdir", "agentjobs.secret",
            ], "\(d)")
        #expect(d[1].message.contains("did you mean 'prompt'") && d[1].line == 2 && d[1].column == 35)
    }

    @Test func agentJobsNeedTheHermesHome() throws {
        let site = Self.site.replacingOccurrences(of: "  hermes: \"{{ hermes_home }}\"\n", with: "").replacingOccurrences(
            of: "  - {src: config.yaml", with: "#"
        ).replacingOccurrences(of: "  - {src: channel", with: "#")
            .replacingOccurrences(of: "  - {src: scripts", with: "#")
        let d = rules(try diagnostics("  - {name: a, schedule: every 1h, prompt: p}\n", site: site))
        #expect(d.map(\.rule) == ["agentjobs.no-home"])
    }

    @Test func anUnknownHostsPatternAndAnInvalidTimezoneAreReported() throws {
        let d = rules(
            try diagnostics(
                "  - {name: a, schedule: every 1h, prompt: p, hosts: nobody}\n",
                extra: ["config.yaml": "model:\n  default: hermes-4-14b\n  provider: custom\ntimezone: Mars/Olympus\n"]))
        #expect(d.map(\.rule).sorted() == ["agentjobs.timezone", "agentjobs.unknown-hosts"])
    }

    @Test func theSystemCronCheckLeavesAgentJobFilesAlone() throws {
        let d = try diagnostics("  - {name: a, schedule: every 1h, prompt: p}\n")
        #expect(d.filter { $0.rule.hasPrefix("cron.") }.isEmpty)
    }

    @Test func aMissingAgentJobsFileIsReported() throws {
        let d = try diagnostics(
            "  - {name: a, schedule: every 1h, prompt: p}\n",
            site: Self.site.replacingOccurrences(of: "[cron/agent-jobs.yaml]", with: "[cron/nope.yaml]"))
        #expect(d.filter { $0.rule == "playbook.missing-source" }.count == 1)
    }
}
