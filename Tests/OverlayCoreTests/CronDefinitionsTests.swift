import Foundation
import Testing

@testable import OverlayCore

/// The cron file model and CronCheck: rule ids at the offending node's line and column.
@Suite struct CronDefinitionsTests {
    func diagnostics(_ yaml: String, path: String = "cron/jobs.yaml") -> [Diagnostic] {
        CronDefinitionsFile(document: parse(yaml, path: path)).diagnostics
    }

    func only(_ yaml: String) -> (String, Int, Int)? {
        let d = diagnostics(yaml)
        guard d.count == 1, let first = d.first else { return nil }
        return (first.rule, first.line, first.column)
    }

    @Test func readsAJob() throws {
        let file = CronDefinitionsFile(
            document: parse(
                """
                jobs:
                  - name: heartbeat
                    schedule: "*/1 * * * *"
                    command: overlay heartbeat
                    user: timmy
                    env: {PATH: /usr/bin, N: 3}
                    hosts: wizards
                """, path: "cron/a.yaml"))
        #expect(file.diagnostics.isEmpty)
        let job = try #require(file.jobs.first)
        #expect(job.name == "heartbeat" && job.schedule == "*/1 * * * *" && job.command == "overlay heartbeat")
        #expect(job.user == "timmy" && job.hosts == "wizards" && job.env == ["PATH": "/usr/bin", "N": "3"])
        #expect(job.marks["schedule"] == Mark(line: 3, column: 15))
        #expect(job.parsedSchedule != nil)
        #expect(job.rendered.name == "heartbeat")
    }

    @Test func scheduleErrorAtTheFieldColumnInQuotedScalar() {
        // The value starts at column 15 with a quote; the month field is at offset 6.
        let r = only("jobs:\n  - name: a\n    schedule: \"0 0 1 13 *\"\n    command: x\n")
        #expect(r?.0 == "cron.range" && r?.1 == 3 && r?.2 == 22)
    }

    @Test func scheduleErrorInPlainScalar() {
        let r = only("jobs:\n  - name: a\n    schedule: 0 0 30 2 x\n    command: x\n")
        #expect(r?.0 == "cron.syntax" && r?.1 == 3 && r?.2 == 24)
    }

    @Test func neverFires() {
        let r = only("jobs:\n  - name: a\n    schedule: '0 0 30 2 *'\n    command: x\n")
        #expect(r?.0 == "cron.never-fires" && r?.2 == 20)
    }

    @Test func unescapedPercentPointsAtIt() {
        let d = diagnostics("jobs:\n  - name: a\n    schedule: '@daily'\n    command: date +%F\n")
        #expect(d.map(\.rule) == ["cron.percent"])
        #expect(d.first?.line == 4 && d.first?.column == 20)
        #expect(d.first?.message.contains("\\%") == true)
    }

    @Test func escapedPercentIsFine() {
        #expect(diagnostics("jobs:\n  - name: a\n    schedule: '@daily'\n    command: 'date +\\%F'\n").isEmpty)
        // An escaped backslash leaves the percent unescaped.
        #expect(diagnostics("jobs:\n  - name: a\n    schedule: '@daily'\n    command: 'x \\\\%F'\n").map(\.rule) == ["cron.percent"])
    }

    @Test func newlineInCommand() {
        let r = only("jobs:\n  - name: a\n    schedule: '@daily'\n    command: \"echo hi\\nrm -rf /\"\n")
        #expect(r?.0 == "cron.newline" && r?.1 == 4 && r?.2 == 22)
    }

    @Test func nulInCommand() {
        #expect(only("jobs:\n  - name: a\n    schedule: '@daily'\n    command: \"echo \\0\"\n")?.0 == "cron.newline")
    }

    @Test func newlineInEnvValue() {
        #expect(
            only("jobs:\n  - name: a\n    schedule: '@daily'\n    command: x\n    env: {A: \"1\\n* * * * * evil\"}\n")?.0 == "cron.newline")
    }

    @Test func badName() {
        let r = only("jobs:\n  - name: Nightly Backup\n    schedule: '@daily'\n    command: x\n")
        #expect(r?.0 == "cron.name" && r?.1 == 2 && r?.2 == 11)
    }

    @Test func unknownKeySuggests() {
        let d = diagnostics("jobs:\n  - name: a\n    schedule: '@daily'\n    comand: x\n")
        let unknown = d.first { $0.rule == "cron.unknown-key" }
        #expect(unknown?.line == 4 && unknown?.column == 5)
        #expect(unknown?.message.contains("did you mean 'command'") == true)
        #expect(d.contains { $0.rule == "cron.required" })
    }

    @Test func unknownTopLevelKey() {
        let r = only("job:\n  - name: a\n")
        #expect(r?.0 == "cron.unknown-key" && r?.1 == 1 && r?.2 == 1)
    }

    @Test func dayQuirkIsAWarning() {
        let d = diagnostics("jobs:\n  - name: a\n    schedule: '0 0 */2 * mon'\n    command: x\n")
        #expect(d.map(\.rule) == ["cron.day-quirk"])
        #expect(d.first?.severity == .warning && d.first?.column == 20)
    }

    @Test func jsonFile() {
        let d = diagnostics(#"{"jobs": [{"name": "a", "schedule": "0 0 * * 8", "command": "x"}]}"#, path: "cron/a.json")
        #expect(d.map(\.rule) == ["cron.range"])
        #expect(d.first?.column == 46)
    }

    @Test func checkFindsDuplicatesAcrossFilesAndUnknownHosts() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cron-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("cron"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("inventory"), withIntermediateDirectories: true)
        try "all:\n  children:\n    wizards:\n      hosts:\n        ezra: {}\n".write(
            to: root.appendingPathComponent("inventory/hosts.yml"), atomically: true, encoding: .utf8)
        try "jobs:\n  - name: a\n    schedule: '@daily'\n    command: x\n    hosts: wizards\n".write(
            to: root.appendingPathComponent("cron/a.yaml"), atomically: true, encoding: .utf8)
        try "jobs:\n  - name: a\n    schedule: '@hourly'\n    command: y\n    hosts: wizzards\n".write(
            to: root.appendingPathComponent("cron/b.yaml"), atomically: true, encoding: .utf8)
        let diags = CronCheck().check(ValidationContext(repo: LoadedRepo(root: root)))
        let dup = diags.first { $0.rule == "cron.duplicate-name" }
        #expect(dup?.file == "cron/b.yaml" && dup?.line == 2 && dup?.column == 11)
        #expect(dup?.message.contains("cron/a.yaml:2:11") == true)
        let hosts = diags.first { $0.rule == "cron.unknown-hosts" }
        #expect(hosts?.file == "cron/b.yaml" && hosts?.line == 5 && hosts?.column == 12)
        #expect(diags.count == 2)
    }

    @Test func validatorRunsTheCronCheck() {
        #expect(Validator.standardChecks.contains { $0 is CronCheck })
    }
}
