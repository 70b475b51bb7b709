import Foundation
import Testing

/// `overlay cron next` and `overlay cron explain` as a user runs them.
@Suite struct CronCommandTests {
    @Test func nextPrintsJSONTimesAfterFrom() throws {
        let r = try runOverlay([
            "cron", "next", "0 0 * * 1", "--from", "2026-01-01T00:00:00Z", "--count", "2", "--tz", "UTC", "--format", "json",
        ])
        #expect(r.status == 0)
        #expect(r.json["ok"] as? Bool == true)
        #expect(r.json["expr"] as? String == "0 0 * * 1")
        #expect(r.json["next"] as? [String] == ["2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z"])
    }

    @Test func nextTextOneTimePerLineWithOffset() throws {
        let r = try runOverlay([
            "cron", "next", "30 2 * * *", "--from", "2026-03-08T00:00:00-05:00", "--count", "2", "--tz", "America/New_York",
        ])
        #expect(r.status == 0)
        #expect(r.stdout == "2026-03-08T03:00:00-04:00\n2026-03-09T02:30:00-04:00\n")
    }

    @Test func defaultCountIsFive() throws {
        let r = try runOverlay(["cron", "next", "@hourly", "--tz", "UTC"])
        #expect(r.status == 0)
        #expect(r.stdout.split(separator: "\n").count == 5)
    }

    @Test func invalidExpressionExitsOneWithRuleAndColumn() throws {
        let r = try runOverlay(["cron", "next", "61 * * * *", "--format", "json"])
        #expect(r.status == 1)
        #expect(r.json["ok"] as? Bool == false)
        let error = r.json["error"] as? [String: Any]
        #expect(error?["rule"] as? String == "cron.range")
        #expect(error?["column"] as? Int == 1)
    }

    @Test func invalidExpressionTextGoesToStderr() throws {
        let r = try runOverlay(["cron", "next", "0 0 30 2 *"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("error:") && r.stderr.contains("cron.never-fires"))
    }

    @Test func unknownZoneIsAUsageError() throws {
        let r = try runOverlay(["cron", "next", "* * * * *", "--tz", "Mars/Olympus"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("Mars/Olympus"))
    }

    @Test func aLocalTimeSkippedByDaylightSavingIsNamedAsSuch() throws {
        let r = try runOverlay(["cron", "next", "* * * * *", "--from", "2026-03-29T02:30:00", "--tz", "Europe/Berlin"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("does not exist in Europe/Berlin"), "\(r.stderr)")
        #expect(!r.stderr.contains("not an ISO 8601 time"))
        // The same wall-clock time exists in UTC: no error there.
        #expect(try runOverlay(["cron", "next", "* * * * *", "--from", "2026-03-29T02:30:00", "--tz", "UTC"]).status == 0)
    }

    @Test func countIsBounded() throws {
        #expect(try runOverlay(["cron", "next", "* * * * *", "--count", "100000"]).status == 2)
        #expect(try runOverlay(["cron", "next", "* * * * *", "--count", "0"]).status == 2)
    }

    @Test func rebootHasNoTimes() throws {
        let r = try runOverlay(["cron", "next", "@reboot", "--format", "json"])
        #expect(r.status == 0)
        #expect(r.json["next"] as? [String] == [])
        #expect(r.json["reboot"] as? Bool == true)
    }

    @Test func explainSaysItInWords() throws {
        let r = try runOverlay(["cron", "explain", "30 4 1,15 * 5"])
        #expect(r.status == 0)
        #expect(r.stdout == "at 04:30 on day 1 and 15 of the month, and on Friday\n")
    }

    @Test func explainWarnsAboutTheDayQuirk() throws {
        let r = try runOverlay(["cron", "explain", "0 0 */2 * mon", "--format", "json"])
        #expect(r.status == 0)
        let warnings = r.json["warnings"] as? [[String: Any]] ?? []
        #expect(warnings.first?["rule"] as? String == "cron.day-quirk")
        #expect(warnings.first?["column"] as? Int == 5)
    }

    @Test func validateReportsCronRules() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("cron"), withIntermediateDirectories: true)
        try "jobs:\n  - name: backup\n    schedule: \"0 0 * * 1#2\"\n    command: tar czf /tmp/b-$(date +%F).tgz ~\n".write(
            to: dir.appendingPathComponent("cron/jobs.yaml"), atomically: true, encoding: .utf8)
        let r = try runOverlay(["validate", "--root", dir.path, "--format", "json"])
        #expect(r.status == 1)
        let diags = (r.json["diagnostics"] as? [[String: Any]] ?? []).filter {
            ($0["rule"] as? String ?? "").hasPrefix("cron.")
        }.map {
            "\($0["rule"] ?? "")@\($0["line"] ?? 0):\($0["column"] ?? 0)"
        }
        #expect(diags.sorted() == ["cron.percent@4:37", "cron.syntax@3:24"])
    }
}

/// The built binary against croniter on generated expressions (the library-level oracle
/// test covers hundreds; this checks the CLI path end to end).
@Suite struct CronNextOracleEndToEndTests {
    @Test func binaryAgreesWithCroniter() throws {
        let script = PackagePaths.root.appendingPathComponent("Tests/Fixtures/cron/croniter_oracle.py")
        let oracle = try runProcess("/usr/bin/env", ["python3", script.path, "60", "99", "4"])
        #expect(oracle.status == 0, "croniter oracle failed (run scripts/install-deps.sh): \(oracle.stderr)")
        let lines = oracle.stdout.split(separator: "\n")
        #expect(lines.count >= 40)
        for line in lines {
            let c = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let expr = try #require(c["expr"] as? String)
            let from = try #require(c["from"] as? String)
            let expected = try #require(c["next"] as? [String])
            let r = try runOverlay([
                "cron", "next", expr, "--from", from, "--count", String(expected.count), "--tz", "UTC", "--format", "json",
            ])
            #expect(r.json["next"] as? [String] == expected, "\(expr) from \(from)")
        }
    }
}
