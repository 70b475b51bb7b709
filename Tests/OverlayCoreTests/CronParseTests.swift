import Testing

@testable import OverlayCore

/// Every invalid form is rejected with its rule id and the column of the offending field.
@Suite struct CronParseTests {
    struct Rejection: CustomTestStringConvertible, Sendable {
        var expr: String
        var rule: String
        /// 1-based column of the offending field inside the expression.
        var column: Int
        var testDescription: String { "\(expr) → \(rule)@\(column)" }
    }

    static let rejections: [Rejection] = [
        .init(expr: "", rule: "cron.syntax", column: 1),
        .init(expr: "* * * *", rule: "cron.syntax", column: 7),
        .init(expr: "0 * * * * *", rule: "cron.syntax", column: 11),
        .init(expr: "0 0 0 * * * 2026", rule: "cron.syntax", column: 11),
        .init(expr: "0 0 L * *", rule: "cron.syntax", column: 5),
        .init(expr: "0 0 15W * *", rule: "cron.syntax", column: 5),
        .init(expr: "0 0 LW * *", rule: "cron.syntax", column: 5),
        .init(expr: "0 0 * * 5L", rule: "cron.syntax", column: 9),
        .init(expr: "0 0 * * 1#2", rule: "cron.syntax", column: 9),
        .init(expr: "0 0 ? * 1", rule: "cron.syntax", column: 5),
        .init(expr: "@every 5m", rule: "cron.syntax", column: 1),
        .init(expr: "@Daily", rule: "cron.syntax", column: 1),
        .init(expr: "@dayly", rule: "cron.syntax", column: 1),
        .init(expr: "@daily 0", rule: "cron.syntax", column: 8),
        .init(expr: "5/10 * * * *", rule: "cron.syntax", column: 1),
        .init(expr: "0 0 * foo *", rule: "cron.syntax", column: 7),
        .init(expr: "0 0 * * monday", rule: "cron.syntax", column: 9),
        .init(expr: "0 x * * *", rule: "cron.syntax", column: 3),
        .init(expr: "0 1,,2 * * *", rule: "cron.syntax", column: 3),
        .init(expr: "0 1, * * *", rule: "cron.syntax", column: 3),
        .init(expr: "*-5 * * * *", rule: "cron.syntax", column: 1),
        .init(expr: "0 0 * * 1-", rule: "cron.syntax", column: 9),
        .init(expr: "61 * * * *", rule: "cron.range", column: 1),
        .init(expr: "0 24 * * *", rule: "cron.range", column: 3),
        .init(expr: "0 0 0 * *", rule: "cron.range", column: 5),
        .init(expr: "0 0 32 * *", rule: "cron.range", column: 5),
        .init(expr: "0 0 * 13 *", rule: "cron.range", column: 7),
        .init(expr: "0 0 * * 8", rule: "cron.range", column: 9),
        .init(expr: "0 0 1-99999999999999999999 * *", rule: "cron.range", column: 5),
        .init(expr: "30-10 * * * *", rule: "cron.range", column: 1),
        .init(expr: "0 0 * * fri-mon", rule: "cron.range", column: 9),
        .init(expr: "*/0 * * * *", rule: "cron.range", column: 1),
        .init(expr: "0 0 1-10/0 * *", rule: "cron.range", column: 5),
        .init(expr: "0 0 30 2 *", rule: "cron.never-fires", column: 5),
        .init(expr: "0 0 31 4,6,9,11 *", rule: "cron.never-fires", column: 5),
        .init(expr: "0 0 30-31 feb */2", rule: "cron.never-fires", column: 5),
    ]

    @Test(arguments: rejections)
    func rejects(_ r: Rejection) {
        do {
            let s = try CronSchedule.parse(r.expr)
            Issue.record("accepted \(r.expr) as \(s.explanation)")
        } catch {
            #expect(error.rule == r.rule, "\(error.message)")
            #expect(error.offset + 1 == r.column, "\(error.message)")
        }
    }

    @Test(arguments: [
        "* * * * *", "*/15 * * * *", "1-30/5 * * * *", "0 9 * * mon-fri/2", "0 0 1 jan,JUL *", "0 0 * * Sun",
        "0 0 * * 7", "0 0 29 2 *", "0 0 30 2 mon", "@yearly", "@annually", "@monthly", "@weekly", "@daily",
        "@midnight", "@hourly", "@reboot", "  0\t0 * * *  ", "*/100 * * * *", "00 05 * * *",
    ])
    func accepts(_ expr: String) throws {
        _ = try CronSchedule.parse(expr)
    }

    @Test func macrosMeanTheirExpansion() throws {
        for (macro, expansion) in [
            ("@yearly", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"), ("@weekly", "0 0 * * 0"),
            ("@daily", "0 0 * * *"), ("@hourly", "0 * * * *"),
        ] {
            let a = try CronSchedule.parse(macro)
            let b = try CronSchedule.parse(expansion)
            #expect(a.explanation == b.explanation)
            #expect(a.isWildcard == b.isWildcard)
        }
    }

    @Test func dayQuirkWarnsAtTheStarField() throws {
        let s = try CronSchedule.parse("0 0 */2 * mon")
        #expect(s.warnings.map(\.rule) == ["cron.day-quirk"])
        #expect(s.warnings.first?.offset == 4)
        #expect(s.warnings.first?.message.contains("1-31/2") == true)
        let dow = try CronSchedule.parse("0 0 1 * */2")
        #expect(dow.warnings.first?.offset == 8)
    }

    @Test func fullListWithoutStarWarns() throws {
        let s = try CronSchedule.parse("0 0 1-31 * mon")
        #expect(s.warnings.map(\.rule) == ["cron.day-quirk"])
        #expect(s.warnings.first?.message.contains("every day") == true)
    }

    @Test(arguments: ["0 0 */2 * *", "0 0 1,15 * mon", "0 0 * * mon", "*/5 * * * *", "@weekly"])
    func noQuirkWarning(_ expr: String) throws {
        #expect(try CronSchedule.parse(expr).warnings.isEmpty)
    }

    @Test func explainsInWords() throws {
        #expect(try CronSchedule.parse("30 4 1,15 * 5").explanation == "at 04:30 on day 1 and 15 of the month, and on Friday")
        #expect(try CronSchedule.parse("*/15 * * * *").explanation == "every 15 minutes")
        #expect(try CronSchedule.parse("0 0 * * mon-fri").explanation == "at 00:00 on Monday through Friday")
        #expect(try CronSchedule.parse("0 12 1 jan,jul *").explanation == "at 12:00 on day 1 of the month in January and July")
    }
}
