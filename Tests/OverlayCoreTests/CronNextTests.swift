import Foundation
import Testing

@testable import OverlayCore

/// Next fire times checked by hand: Vixie's day rule, leap days, daylight-saving changes.
@Suite struct CronNextTests {
    static func parseDate(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)
    }

    /// The next `count` times as ISO 8601 strings in `zone`.
    func next(_ expr: String, from: String, count: Int = 3, zone: String = "UTC") throws -> [String] {
        let schedule = try CronSchedule.parse(expr)
        let tz = try #require(TimeZone(identifier: zone))
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = tz
        var cursor = try #require(Self.parseDate(from))
        var out: [String] = []
        while out.count < count, let n = schedule.next(after: cursor, in: tz) {
            out.append(formatter.string(from: n).replacingOccurrences(of: "Z", with: zone == "UTC" ? "Z" : "+00:00"))
            cursor = n
        }
        return out
    }

    // Jan 1 2026 is a Thursday.

    @Test func starStepDayOfMonthWithWeekdayNeedsBoth() throws {
        // '*/2' counts as unrestricted, so both fields must match: odd days that are Mondays.
        #expect(
            try next("0 0 */2 * mon", from: "2026-01-01T00:00:00Z") == [
                "2026-01-05T00:00:00Z", "2026-01-19T00:00:00Z", "2026-02-09T00:00:00Z",
            ])
    }

    @Test func starStepWeekdayWithDayOfMonthNeedsBoth() throws {
        // The 1st, only when it is a Sunday, Tuesday, Thursday or Saturday.
        #expect(
            try next("0 0 1 * */2", from: "2026-01-01T00:00:00Z") == [
                "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-08-01T00:00:00Z",
            ])
    }

    @Test func bothStarStepFieldsNeedBoth() throws {
        // Odd days that are Sunday, Wednesday or Saturday.
        #expect(
            try next("0 0 */2 * */3", from: "2026-01-01T00:00:00Z") == [
                "2026-01-03T00:00:00Z", "2026-01-07T00:00:00Z", "2026-01-11T00:00:00Z",
            ])
    }

    @Test func restrictedDayFieldsFireOnEither() throws {
        #expect(
            try next("0 0 1,15 * mon", from: "2026-01-01T00:00:00Z") == [
                "2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z", "2026-01-15T00:00:00Z",
            ])
    }

    @Test func fullDayListWithoutStarFiresEveryDay() throws {
        #expect(
            try next("0 0 1-31 * mon", from: "2026-01-01T00:00:00Z") == [
                "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z",
            ])
        #expect(
            try next("0 0 1 * 0-6", from: "2026-01-01T00:00:00Z") == [
                "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z",
            ])
    }

    @Test func sevenIsSunday() throws {
        #expect(try next("0 0 * * 7", from: "2026-01-01T00:00:00Z", count: 2) == ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"])
    }

    @Test func leapDayJumpsYears() throws {
        #expect(
            try next("0 0 29 2 *", from: "2026-01-01T00:00:00Z") == [
                "2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", "2036-02-29T00:00:00Z",
            ])
        // 2100 is not a leap year.
        #expect(try next("0 0 29 2 *", from: "2096-03-01T00:00:00Z", count: 1) == ["2104-02-29T00:00:00Z"])
    }

    @Test func strictlyAfterFrom() throws {
        #expect(try next("0 0 * * *", from: "2026-01-01T00:00:00Z", count: 1) == ["2026-01-02T00:00:00Z"])
        #expect(try next("* * * * *", from: "2026-01-01T00:00:30Z", count: 1) == ["2026-01-01T00:01:00Z"])
    }

    @Test func rebootHasNoNextTime() throws {
        let s = try CronSchedule.parse("@reboot")
        #expect(s.isReboot)
        #expect(s.next(after: Date(), in: .current) == nil)
    }

    // New York: 2026-03-08 02:00 EST jumps to 03:00 EDT; 2026-11-01 02:00 EDT falls back to 01:00 EST.

    @Test func fixedTimeInSkippedHourRunsRightAfterTheJump() throws {
        #expect(
            try next("30 2 * * *", from: "2026-03-08T00:00:00-05:00", count: 2, zone: "America/New_York") == [
                "2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00",
            ])
        #expect(
            try next("0,30 2 * * *", from: "2026-03-08T00:00:00-05:00", count: 2, zone: "America/New_York") == [
                "2026-03-08T03:00:00-04:00", "2026-03-09T02:00:00-04:00",
            ])
    }

    @Test func wildcardInSkippedHourFollowsTheNewClock() throws {
        #expect(
            try next("*/30 2 * * *", from: "2026-03-08T00:00:00-05:00", count: 1, zone: "America/New_York") == [
                "2026-03-09T02:00:00-04:00"
            ])
        #expect(
            try next("30 * * * *", from: "2026-03-08T01:00:00-05:00", count: 2, zone: "America/New_York") == [
                "2026-03-08T01:30:00-05:00", "2026-03-08T03:30:00-04:00",
            ])
    }

    @Test func fixedTimeInRepeatedHourRunsOnce() throws {
        #expect(
            try next("30 1 * * *", from: "2026-11-01T00:00:00-04:00", count: 2, zone: "America/New_York") == [
                "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00",
            ])
        // Starting inside the repeated hour: the 01:45 run already happened before the change.
        #expect(
            try next("45 1 * * *", from: "2026-11-01T01:10:00-05:00", count: 1, zone: "America/New_York") == [
                "2026-11-02T01:45:00-05:00"
            ])
        #expect(
            try next("0 2 * * *", from: "2026-11-01T00:00:00-04:00", count: 1, zone: "America/New_York") == [
                "2026-11-01T02:00:00-05:00"
            ])
    }

    @Test func wildcardInRepeatedHourRunsInBoth() throws {
        #expect(
            try next("30 * * * *", from: "2026-11-01T00:00:00-04:00", count: 4, zone: "America/New_York") == [
                "2026-11-01T00:30:00-04:00", "2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00",
                "2026-11-01T02:30:00-05:00",
            ])
    }

    @Test func berlinSpringForward() throws {
        // 2026-03-29 02:00 CET jumps to 03:00 CEST.
        #expect(
            try next("15 2 * * *", from: "2026-03-29T00:00:00+01:00", count: 2, zone: "Europe/Berlin") == [
                "2026-03-29T03:00:00+02:00", "2026-03-30T02:15:00+02:00",
            ])
    }

    @Test func everySecondsToExpression() {
        #expect(CronSchedule.expression(everySeconds: 60) == "* * * * *")
        #expect(CronSchedule.expression(everySeconds: 300) == "*/5 * * * *")
        #expect(CronSchedule.expression(everySeconds: 3600) == "0 * * * *")
        #expect(CronSchedule.expression(everySeconds: 7200) == "0 */2 * * *")
        #expect(CronSchedule.expression(everySeconds: 86400) == "0 0 * * *")
        #expect(CronSchedule.expression(everySeconds: 420) == nil)
        #expect(CronSchedule.expression(everySeconds: 90) == nil)
        #expect(CronSchedule.expression(everySeconds: 0) == nil)
    }
}
