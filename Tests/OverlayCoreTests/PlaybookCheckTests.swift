import Foundation
import Testing

@testable import OverlayCore

@Suite struct PlaybookCheckTests {
    func diagnostics(site: String, extra: [String: String] = [:]) throws -> [Diagnostic] {
        var files = MinimalRepo.files
        files["playbooks/site.yaml"] = site
        for (k, v) in extra { files[k] = v }
        let repo = try TempRepo(files)
        defer { repo.remove() }
        return repo.validate().diagnostics
    }

    func site(files: String, extraTop: String = "") -> String {
        """
        hosts: all
        homes:
          hermes: "{{ hermes_home }}"
        protected:
          - "{{ hermes_home }}/hermes-agent"
        files:
        \(files)
        \(extraTop)
        """
    }

    @Test func minimalRepoIsClean() throws {
        let repo = try TempRepo(MinimalRepo.files)
        defer { repo.remove() }
        #expect(repo.validate().diagnostics.filter { $0.severity == .error }.isEmpty)
    }

    @Test func missingSourceSuggestsTheNearName() throws {
        let d = try diagnostics(site: site(files: "  - {src: SOUl.md, dest: \"{{ hermes_home }}/SOUL.md\"}"))
        let hit = d.filter { $0.rule == "playbook.missing-source" }
        #expect(hit.first?.line == 7 && hit.first?.column == 11)
        #expect(hit.first?.message.contains("did you mean 'SOUL.md'") == true)
    }

    @Test func destOutsideEveryHome() throws {
        let d = try diagnostics(site: site(files: "  - {src: SOUL.md, dest: /etc/cron.d/evil}"))
        #expect(d.filter { $0.rule == "playbook.dest-outside-home" }.map(\.line) == [7])
    }

    @Test func dotDotEscapeIsRefused() throws {
        let d = try diagnostics(site: site(files: "  - {src: SOUL.md, dest: \"{{ hermes_home }}/../../etc/x\"}"))
        let hit = d.filter { $0.rule == "playbook.dest-outside-home" }
        #expect(hit.count == 1)
        #expect(hit.first?.message.contains("..") == true)
    }

    /// A dest with an invisible U+FEFF is a second name that looks like the first, and
    /// Foundation's path functions drop a leading one: an apply and its rollback confused
    /// the two files (a dangling link). It is refused, naming the mark.
    @Test func aByteOrderMarkInADestIsRefused() throws {
        let d = try diagnostics(site: site(files: "  - {src: SOUL.md, dest: \"{{ hermes_home }}/\u{FEFF}SOUL.md\"}"))
        let hit = d.filter { $0.rule == "playbook.path" }
        #expect(hit.map(\.line) == [7])
        #expect(hit.first?.message.contains("<U+FEFF>SOUL.md") == true)
        let clean = try diagnostics(site: site(files: "  - {src: SOUL.md, dest: \"{{ hermes_home }}/SOUL.md\"}"))
        #expect(clean.filter { $0.rule == "playbook.path" }.isEmpty)
    }

    @Test func protectedPathIsRefused() throws {
        let d = try diagnostics(site: site(files: "  - {src: SOUL.md, dest: \"{{ hermes_home }}/hermes-agent/run.py\"}"))
        #expect(d.filter { $0.rule == "playbook.protected-path" }.map(\.line) == [7])
    }

    /// A `%` or a newline that only appears once a host's variable is substituted would
    /// break that host's crontab line; validation must catch it, not the crontab install.
    @Test func cronCommandBrokenByAHostVariable() throws {
        let inventory = """
            all:
              vars: {hermes_home: /srv/agent/.hermes, wizard_name: "ti%my", golden_state_providers: [custom]}
              hosts:
                timmy: {ansible_connection: local}
            """
        let jobs = "jobs:\n  - name: hb\n    schedule: '* * * * *'\n    command: echo {{ wizard_name }}\n"
        let d = try diagnostics(
            site: site(files: "  - {src: SOUL.md, dest: \"{{ hermes_home }}/SOUL.md\"}", extraTop: "cron: [cron/jobs.yaml]"),
            extra: ["inventory/hosts.yml": inventory, "cron/jobs.yaml": jobs])
        let hit = try #require(d.first { $0.rule == "cron.percent" }, "\(d)")
        #expect(hit.file == "cron/jobs.yaml" && hit.line == 4)
        #expect(hit.message.contains("host 'timmy'") && hit.message.contains("echo ti%my"))
    }

    /// Validation has no real home for a host; its messages show `~`, as the playbook does,
    /// not the stand-in folder it renders with.
    @Test func messagesShowTheHomeAsTilde() throws {
        let site = """
            hosts: all
            homes: {hermes: "~/.hermes"}
            protected: ["~/.hermes/hermes-agent"]
            files:
              - {src: SOUL.md, dest: "~/.hermes/hermes-agent/run.py"}
            """
        let d = try diagnostics(site: site)
        let message = try #require(d.first { $0.rule == "playbook.protected-path" }?.message)
        #expect(message.contains("'~/.hermes/hermes-agent/run.py'") && message.contains("'~/.hermes/hermes-agent'"), "\(message)")
        #expect(!message.contains("/home/"))
    }

    @Test func undefinedVariableNamesTheHostAndColumn() throws {
        let d = try diagnostics(site: site(files: "  - {src: SOUL.md, dest: \"{{ hermes_home }}/{{ nope }}\"}"))
        let hit = d.filter { $0.rule == "playbook.undefined-variable" }
        #expect(hit.count == 1)
        #expect(hit.first?.line == 7 && hit.first?.column == 45)
        #expect(hit.first?.message.contains("'nope'") == true)
        #expect(hit.first?.message.contains("host 'timmy'") == true)
    }

    @Test func templateVariablesAreCheckedInTheTemplateFile() throws {
        let d = try diagnostics(
            site: site(files: "  - {template: playbooks/templates/p.yaml, dest: \"{{ hermes_home }}/p.yaml\"}"),
            extra: ["playbooks/templates/p.yaml": "# for {{ wizard_name }}\nname: {{ wizard_name }}\nurl: {{ model_url }}\n"])
        let hit = d.filter { $0.rule == "playbook.undefined-variable" }
        #expect(hit.map(\.file) == ["playbooks/templates/p.yaml"])
        #expect(hit.first?.line == 3 && hit.first?.column == 6)
        #expect(
            d.filter { $0.file == "playbooks/templates/p.yaml" && $0.rule.hasPrefix("yaml.") }.isEmpty,
            "a template source is parsed only after rendering")
    }

    @Test func renderedTemplateMustParse() throws {
        let d = try diagnostics(
            site: site(files: "  - {template: playbooks/templates/p.yaml, dest: \"{{ hermes_home }}/p.yaml\"}"),
            extra: ["playbooks/templates/p.yaml": "a: [{{ wizard_name }}\n"])
        #expect(d.filter { $0.rule == "playbook.template-output" }.count == 1)
    }

    @Test func bannedProviderInHostVarsFailsThatHost() throws {
        var files = MinimalRepo.files
        files["inventory/hosts.yml"] = MinimalRepo.inventory.replacingOccurrences(of: "[custom]", with: "[custom, claude-api]")
        let repo = try TempRepo(files)
        defer { repo.remove() }
        let hit = repo.diagnostics("policy.banned-provider").filter { $0.file == "playbooks/site.yaml" }
        #expect(hit.count == 1)
        #expect(hit.first?.message.contains("host 'timmy'") == true)
    }

    @Test func unknownKeySuggests() throws {
        let d = try diagnostics(site: site(files: "  - {src: SOUL.md, dest: \"{{ hermes_home }}/S.md\", mdoe: \"0600\"}"))
        let hit = d.filter { $0.rule == "playbook.unknown-key" }
        #expect(hit.first?.message.contains("did you mean 'mode'") == true)
    }

    @Test func deadmanDurationWithAnUnknownUnitIsReported() throws {
        let deadman = "deadman:\n  stamp: /tmp/hb.stamp\n  max_age: 2w\n  every: 1m\n  restart: \"true\"\n"
        let d = try diagnostics(site: site(files: "  - {src: SOUL.md, dest: \"{{ hermes_home }}/SOUL.md\"}", extraTop: deadman))
        let hit = d.filter { $0.rule == "playbook.duration" }
        #expect(hit.map { "\($0.line):\($0.column)" } == ["10:12"])
        #expect(hit.first?.message.contains("s, m, h or d") == true)
    }

    @Test func aDeadmanCadenceCronCannotKeepIsAnError() throws {
        let deadman = "deadman:\n  stamp: \"{{ hermes_home }}/hb.stamp\"\n  every: 90s\n  restart: \"true\"\n"
        let d = try diagnostics(site: site(files: "  - {src: SOUL.md, dest: \"{{ hermes_home }}/SOUL.md\"}", extraTop: deadman))
        let hit = d.filter { $0.rule == "playbook.deadman-every" }
        #expect(hit.map { "\($0.line):\($0.column)" } == ["10:10"])
        #expect(hit.first?.message.contains("90 s") == true && hit.first?.severity == .error)
    }

    @Test func aStampInASharedFolderIsAWarningWithTheFix() throws {
        let deadman = "deadman:\n  stamp: /var/tmp/agent/hb.stamp\n  restart: \"true\"\n"
        let d = try diagnostics(site: site(files: "  - {src: SOUL.md, dest: \"{{ hermes_home }}/SOUL.md\"}", extraTop: deadman))
        let hit = d.filter { $0.rule == "playbook.stamp-world-writable" }
        #expect(hit.map { "\($0.line):\($0.column)" } == ["9:10"] && hit.first?.severity == .warning)
        #expect(hit.first?.message.contains("in /var/tmp, a folder every local user can write") == true)
        #expect(hit.first?.message.contains("under the agent's home") == true)
        let home = "deadman:\n  stamp: \"{{ hermes_home }}/hb.stamp\"\n  restart: \"true\"\n"
        let clean = try diagnostics(site: site(files: "  - {src: SOUL.md, dest: \"{{ hermes_home }}/SOUL.md\"}", extraTop: home))
        #expect(clean.filter { $0.rule == "playbook.stamp-world-writable" }.isEmpty)
        // "/tmpfiles" is not inside /tmp.
        let near = "deadman:\n  stamp: /tmpfiles/hb.stamp\n  restart: \"true\"\n"
        let other = try diagnostics(site: site(files: "  - {src: SOUL.md, dest: \"{{ hermes_home }}/SOUL.md\"}", extraTop: near))
        #expect(other.filter { $0.rule == "playbook.stamp-world-writable" }.isEmpty)
    }

    @Test func aCronJobNamedLikeTheDeadmanCheckIsRefusedWhenTheDeadmanIsDeclared() throws {
        let deadman = "cron: [cron/jobs.yaml]\ndeadman:\n  stamp: \"{{ hermes_home }}/hb.stamp\"\n  restart: \"true\"\n"
        let jobs = "jobs:\n  - name: overlay-deadman\n    schedule: \"* * * * *\"\n    command: \"true\"\n"
        let d = try diagnostics(
            site: site(files: "  - {src: SOUL.md, dest: \"{{ hermes_home }}/SOUL.md\"}", extraTop: deadman), extra: ["cron/jobs.yaml": jobs]
        )
        let hit = d.filter { $0.rule == "cron.duplicate-name" }
        #expect(hit.map { "\($0.file):\($0.line):\($0.column)" } == ["cron/jobs.yaml:2:11"])
        #expect(hit.first?.message.contains("reserved for the deadman check") == true)
    }

    @Test func handlerTimeoutIsADuration() throws {
        let handlers = "handlers:\n  restart: {run: \"true\", on_change: [\"{{ hermes_home }}/SOUL.md\"], timeout: soon}\n"
        let d = try diagnostics(site: site(files: "  - {src: SOUL.md, dest: \"{{ hermes_home }}/SOUL.md\"}", extraTop: handlers))
        let hit = d.filter { $0.rule == "playbook.duration" }
        #expect(hit.map { "\($0.line):\($0.column)" } == ["9:77"])
        #expect(hit.first?.message.contains("handler 'restart' timeout") == true)
    }

    @Test func handlerTimeoutRendersToSeconds() throws {
        var files = MinimalRepo.files
        files["playbooks/site.yaml"] = site(
            files: "  - {src: SOUL.md, dest: \"{{ hermes_home }}/SOUL.md\"}",
            extraTop: "handlers:\n  slow: {run: \"true\", on_change: [\"{{ hermes_home }}/SOUL.md\"], timeout: 10m}\n"
                + "  quick: {run: \"true\", on_change: [\"{{ hermes_home }}/SOUL.md\"]}\n")
        let repo = try TempRepo(files)
        defer { repo.remove() }
        let context = ValidationContext(repo: LoadedRepo(root: repo.root))
        let renderer = try #require(GoldenStateRenderer(context: context))
        let host = try #require(renderer.targetHosts.first)
        let inventory = try #require(context.inventory)
        let env = RenderEnvironment.validation(host: host, hostVars: inventory.vars(for: host))
        let state = try renderer.render(host: host, environment: env)
        #expect(state.handlers.map { $0.timeoutSeconds } == [600, nil])
    }

    @Test func badModeIsReported() throws {
        let d = try diagnostics(site: site(files: "  - {src: SOUL.md, dest: \"{{ hermes_home }}/S.md\", mode: \"0999\"}"))
        #expect(d.filter { $0.rule == "playbook.mode" }.count == 1)
    }
}

@Suite struct JobPlaybookCheckTests {
    func diagnostics(_ playbook: String) throws -> [Diagnostic] {
        var files = MinimalRepo.files
        files["playbooks/training.yaml"] = playbook
        let repo = try TempRepo(files)
        defer { repo.remove() }
        return repo.validate().diagnostics
    }

    @Test func unknownJobInNeeds() throws {
        let d = try diagnostics("name: t\nhosts: all\njobs:\n  a: {run: \"true\"}\n  b: {needs: [aa], run: \"true\"}\n")
        let hit = d.filter { $0.rule == "playbook.unknown-job" }
        #expect(hit.first?.line == 5 && hit.first?.column == 15)
        #expect(hit.first?.message.contains("did you mean 'a'") == true)
    }

    @Test func cycleIsNamed() throws {
        let d = try diagnostics("name: t\njobs:\n  a: {needs: [c], run: x}\n  b: {needs: [a], run: x}\n  c: {needs: [b], run: x}\n")
        let hit = d.filter { $0.rule == "playbook.job-cycle" }
        #expect(hit.count == 1)
        #expect(hit.first?.message.contains("a → c → b → a") == true)
    }

    @Test func timeoutWithAnUnknownUnitIsReported() throws {
        let d = try diagnostics("name: t\njobs:\n  a: {run: \"true\", timeout: 10q}\n  b: {run: \"true\", timeout: 90}\n")
        let hit = d.filter { $0.rule == "playbook.duration" }
        #expect(hit.map { "\($0.line):\($0.column)" } == ["3:29"])
        #expect(hit.first?.message.contains("'10q'") == true)
    }

    @Test func unknownGatePolicy() throws {
        let d = try diagnostics(
            "name: t\njobs:\n  g: {gate: {policy: no_regresion, threshold: 0.9, candidate: c.json, baseline: b.json}}\n")
        let hit = d.filter { $0.rule == "playbook.gate" }
        #expect(hit.count == 1 && hit.first?.message.contains("did you mean 'no_regression'") == true)
        #expect(hit.first.map { "\($0.line):\($0.column)" } == "3:22")
    }

    @Test func gateShapes() throws {
        let d = try diagnostics(
            """
            name: t
            jobs:
              a: {gate: {policy: must_improve, candidate: c.json, baseline: b.json}}
              b: {gate: {policy: pareto_dominant, candidate: c.json}}
              c: {gate: {policy: no_regression, threshold: 0, candidate: c.json, baseline: b.json, lower_is_beter: [x]}}
            """)
        let messages = d.filter { $0.rule == "playbook.gate" }.map { "\($0.line): \($0.message)" }
        #expect(messages.contains { $0.hasPrefix("3: must_improve needs 'metric'") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("4: 'baseline' is missing") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("5: threshold must be a number above 0") }, "\(messages)")
        #expect(d.contains { $0.rule == "playbook.unknown-key" && $0.message.contains("did you mean 'lower_is_better'") })
    }

    @Test func whenNeedsADatasetForMinExamples() throws {
        let d = try diagnostics("name: t\njobs:\n  a: {run: x, when: {min_examples: 5}}\n  b: {run: x, when: {exist: f}}\n")
        let when = d.filter { $0.rule == "playbook.when" }
        #expect(when.map { "\($0.line):\($0.column)" } == ["3:36"], "\(when.map(\.description))")
        #expect(d.contains { $0.rule == "playbook.unknown-key" && $0.line == 4 && $0.message.contains("did you mean 'exists'") })
    }

    @Test func provenanceNeedsTheConsentLevelsOfTheDataPolicy() throws {
        let playbook = "name: t\njobs:\n  a: {run: x, provenance: work/pairs.jsonl}\n"
        let hit = try diagnostics(playbook).filter { $0.rule == "playbook.provenance-policy" }
        #expect(hit.map { "\($0.line):\($0.column)" } == ["3:27"])
        var files = MinimalRepo.files
        files["playbooks/training.yaml"] = playbook
        files["policy/data.yaml"] = "consent_levels: [training]\n"
        let repo = try TempRepo(files)
        defer { repo.remove() }
        #expect(repo.validate().diagnostics.isEmpty, "\(repo.validate().diagnostics.map(\.description))")
        try repo.write("policy/data.yaml", "consent_level: [training]\n")
        let bad = repo.diagnostics("policy.syntax")
        #expect(bad.contains { $0.file == "policy/data.yaml" && $0.message.contains("did you mean 'consent_levels'") })
        #expect(!repo.diagnostics("playbook.provenance-policy").isEmpty, "a policy without levels allows nothing")
    }

    @Test func aBadScheduleIsACronErrorAtItsField() throws {
        let d = try diagnostics("name: t\nschedule: \"0 25 * * *\"\njobs:\n  a: {run: x}\n")
        let hit = d.filter { $0.rule.hasPrefix("cron.") }
        #expect(hit.count == 1 && hit.first?.line == 2 && hit.first?.column == 14, "\(hit.map(\.description))")
    }

    @Test func runIsRenderedForEveryTargetedHost() throws {
        let d = try diagnostics("name: t\nhosts: all\njobs:\n  a: {run: \"echo {{ wizard_name }} {{ dataset_dir }}\"}\n")
        let hit = d.filter { $0.rule == "playbook.undefined-variable" }
        #expect(hit.map { "\($0.line):\($0.column)" } == ["4:36"], "\(hit.map(\.description))")
        #expect(hit.first?.message.contains("'dataset_dir' is undefined for host 'timmy'") == true)
    }

    @Test func jobNamesAndThePlaybookNameMustBeFileNames() throws {
        let d = try diagnostics("name: ../escape\njobs:\n  \"a/b\": {run: x}\n  c: {run: x, resource: ../gpu}\n")
        #expect(d.filter { $0.rule == "playbook.syntax" }.map(\.line) == [1, 3, 4])
    }

    @Test func twoJobPlaybooksWithOneNameAreAnErrorNamingBothFiles() throws {
        var files = MinimalRepo.files
        files["playbooks/nightly.yaml"] = "hosts: all\nname: training\njobs:\n  a: {run: \"echo one\"}\n"
        files["playbooks/training.yaml"] = "jobs:\n  b: {run: \"echo two\"}\n"
        files["playbooks/zeta.yaml"] = "name: training\njobs:\n  c: {run: \"echo three\"}\n"
        files["playbooks/other.yaml"] = "name: other\njobs:\n  d: {run: \"true\"}\n"
        let repo = try TempRepo(files)
        defer { repo.remove() }
        let hit = repo.validate().diagnostics.filter { $0.rule == "playbook.duplicate-name" }
        #expect(hit.map { "\($0.file):\($0.line):\($0.column)" } == ["playbooks/training.yaml:1:1", "playbooks/zeta.yaml:1:7"])
        #expect(
            hit.allSatisfy { $0.severity == .error && $0.message.contains("also the name of playbooks/nightly.yaml (its name: at line 2)") }
        )
        #expect(hit.first?.message.contains("this one is named after its file") == true, "\(hit.map(\.description))")
    }

    static func chain(_ n: Int) -> String {
        var yaml = "name: chain\njobs:\n  s0: {run: 'true'}\n"
        for i in 1..<n { yaml += "  s\(i): {needs: [s\(i - 1)], run: 'true'}\n" }
        return yaml
    }

    @Test func aFiftyThousandStepChainIsRefusedAtItsJobsKeyAndAThousandValidatesQuickly() throws {
        // Quadratic needs checking took 8 s for 10,000 steps and 206 s for 50,000 (debug).
        var start = ContinuousClock.now
        let refused = try diagnostics(Self.chain(50_000)).filter { $0.severity == .error }
        #expect(ContinuousClock.now - start < .seconds(10), "validate of a 50,000-step chain took \(ContinuousClock.now - start)")
        #expect(refused.map { "\($0.rule) \($0.line):\($0.column)" } == ["playbook.too-many-jobs 2:1"])
        #expect(refused.first?.message.contains("at most 1000 jobs and this one has 50000") == true)
        start = ContinuousClock.now
        let clean = try diagnostics(Self.chain(1000)).filter { $0.severity == .error }
        #expect(clean.isEmpty, "\(clean.prefix(3).map(\.description))")
        #expect(ContinuousClock.now - start < .seconds(5), "validate of a 1,000-step chain took \(ContinuousClock.now - start)")
    }
}

@Suite struct SoulCheckTests {
    @Test func missingEmptyAndBadEncoding() throws {
        var files = MinimalRepo.files
        files["SOUL.md"] = nil
        let missing = try TempRepo(files)
        defer { missing.remove() }
        #expect(missing.diagnostics("soul.missing").count == 1)

        files["SOUL.md"] = "  \n\n"
        let empty = try TempRepo(files)
        defer { empty.remove() }
        #expect(empty.diagnostics("soul.empty").count == 1)

        let bad = try TempRepo(MinimalRepo.files)
        defer { bad.remove() }
        try bad.write("SOUL.md", Data(Array("# Soul\n".utf8) + [0xFF, 0x0A]))
        let enc = bad.diagnostics("soul.encoding")
        #expect(enc.first?.line == 2 && enc.first?.column == 1)
    }
}
