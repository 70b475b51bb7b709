import Foundation
import Testing

@testable import OverlayCore

/// `${secret:…}` is resolved only in templates; everywhere a command is written it is an error.
@Suite struct SecretPlacementTests {
    let site = """
        hosts: all
        homes:
          hermes: "{{ hermes_home }}"
        files:
          - {src: SOUL.md, dest: "{{ hermes_home }}/SOUL.md"}
        cron: [cron/jobs.yaml]
        """

    func diagnostics(_ files: [String: String]) throws -> [Diagnostic] {
        var all = MinimalRepo.files
        all["playbooks/site.yaml"] = site
        all["cron/jobs.yaml"] = "jobs:\n  - name: hb\n    schedule: '* * * * *'\n    command: overlay heartbeat\n"
        for (k, v) in files { all[k] = v }
        let repo = try TempRepo(all)
        defer { repo.remove() }
        return repo.validate().diagnostics
    }

    func located(_ d: [Diagnostic], _ rule: String) -> [String] {
        d.filter { $0.rule == rule }.map { "\($0.file):\($0.line):\($0.column)" }
    }

    @Test func aSecretInACronCommandIsAnError() throws {
        let jobs = "jobs:\n  - name: push\n    schedule: '0 * * * *'\n    command: 'curl -H \"X-Key: ${secret:PUSH_KEY}\" https://x'\n"
        let d = try diagnostics(["cron/jobs.yaml": jobs])
        #expect(located(d, "cron.secret-reference") == ["cron/jobs.yaml:4:31"], "\(d)")
        let message = try #require(d.first { $0.rule == "cron.secret-reference" }?.message)
        #expect(message.contains("resolved only in templates") && message.contains("${secret:PUSH_KEY}"), "\(message)")
    }

    @Test func aSecretInACronEnvValueIsAnError() throws {
        let jobs = "jobs:\n  - name: push\n    schedule: '0 * * * *'\n    command: push\n    env: {KEY: '${secret:K}'}\n"
        #expect(located(try diagnostics(["cron/jobs.yaml": jobs]), "cron.secret-reference") == ["cron/jobs.yaml:5:17"])
    }

    @Test func aSecretInAHandlerOrTheDeadmanIsAnError() throws {
        let extra = """

            handlers:
              restart: {run: "curl -u admin:${secret:ADMIN} http://127.0.0.1/restart", on_change: ["{{ hermes_home }}/SOUL.md"]}
            deadman:
              stamp: /tmp/hb.stamp
              restart: "systemctl restart hermes"
              alert: "notify --token ${secret:NOTIFY}"
            """
        let d = try diagnostics(["playbooks/site.yaml": site + extra])
        #expect(located(d, "playbook.secret-reference") == ["playbooks/site.yaml:8:33", "playbooks/site.yaml:12:26"], "\(d)")
        #expect(d.first { $0.rule == "playbook.secret-reference" }?.message.contains("handler 'restart' run") == true)
    }

    @Test func aSecretInAJobStepIsAnError() throws {
        let playbook = "name: t\nhosts: all\njobs:\n  fetch: {run: \"hf download --token ${secret:HF} model\"}\n  push: {run: push, env: {T: \"${secret:T}\"}}\n"
        let d = try diagnostics(["playbooks/training.yaml": playbook])
        #expect(located(d, "playbook.secret-reference") == ["playbooks/training.yaml:4:37", "playbooks/training.yaml:5:31"], "\(d)")
    }

    /// A host variable holding a secret reference brings it into a command: named per host.
    @Test func aSecretBroughtByAVariableIsReportedForTheHost() throws {
        let inventory = """
            all:
              vars: {hermes_home: /srv/agent/.hermes, golden_state_providers: [custom], token: "${secret:T}"}
              hosts:
                timmy: {ansible_connection: local}
            """
        let jobs = "jobs:\n  - name: push\n    schedule: '0 * * * *'\n    command: 'push {{ token }}'\n"
        let d = try diagnostics(["cron/jobs.yaml": jobs, "inventory/hosts.yml": inventory])
        let hit = d.filter { $0.rule == "cron.secret-reference" }
        #expect(hit.map { "\($0.file):\($0.line):\($0.column)" } == ["cron/jobs.yaml:4:14"], "\(d)")
        #expect(hit.first?.message.contains("host 'timmy'") == true)
    }

    @Test func secretsInTemplatesStayFine() throws {
        let site = """
            hosts: all
            homes:
              hermes: "{{ hermes_home }}"
            files:
              - {template: playbooks/templates/e.env, dest: "{{ hermes_home }}/e.env"}
            cron: [cron/jobs.yaml]
            """
        let d = try diagnostics(["playbooks/site.yaml": site, "playbooks/templates/e.env": "KEY=${secret:K}\n"])
        #expect(d.filter { $0.rule.hasSuffix("secret-reference") }.isEmpty, "\(d)")
        #expect(d.errorCount == 0, "\(d)")
    }
}
