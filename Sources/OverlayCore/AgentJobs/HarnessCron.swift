/// A cron expression as the harness reads it: five to seven numeric fields expanded the way
/// its `croniter` (6.x) expands them.
///
/// croniter is not Vixie cron: a reversed range wraps (`50-10` in the minute field is 50–59
/// and 0–10), a range whose ends are equal means the whole field (`5-5` is every minute), a
/// sixth field is seconds and a seventh is the year, `0` in the day-of-month field becomes 1
/// only with six fields, `7` is Sunday only with five, and the day fields are ORed whenever
/// both are restricted (no Vixie star quirk). `next(after:in:)` follows those rules.
public struct HarnessCron: Sendable, Equatable {
    /// The expression as stored in `jobs.json` (the schedule text, stripped).
    public let text: String
    /// 5, 6 or 7.
    public let fieldCount: Int
    /// Allowed values per field (minute, hour, day, month, weekday, second, year); nil is `*`.
    let fields: [Set<Int>?]

    /// Each field's bounds, as croniter's `RANGES`.
    static let bounds = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6), (0, 59), (1970, 2099)]
    /// How many values make a field "all" (croniter's `LEN_MEANS_ALL`).
    static let lenMeansAll = [60, 24, 31, 12, 7, 60, 130]
    static let names = ["minute", "hour", "day-of-month", "month", "day-of-week", "second", "year"]

    init(text: String, fields: [Set<Int>?]) {
        self.text = text
        self.fieldCount = fields.count
        self.fields = fields
    }

    /// Expands `parts` (the whitespace-split expression with each part's offset), or says which
    /// field croniter refuses and why.
    static func expand(text: String, parts: [(text: String, offset: Int)]) -> Result<HarnessCron, AgentScheduleError> {
        guard (5...7).contains(parts.count) else {
            return .failure(
                AgentScheduleError(
                    rule: "agentjobs.schedule",
                    message:
                        "'\(text)' has \(parts.count) fields; the harness's croniter takes 5 (minute hour day month weekday), 6 (+ seconds) or 7 (+ year)",
                    offset: parts.count > 7 ? parts[7].offset : 0))
        }
        let lowered = parts.map { $0.text.lowercased() }
        var fields: [Set<Int>?] = []
        for (i, part) in parts.enumerated() {
            if i >= 5, !HarnessText.all(part.text, digitsOr: ["*", "-", ",", "/"]) {
                return .failure(
                    AgentScheduleError(
                        rule: "agentjobs.schedule",
                        message:
                            "the \(names[i]) field '\(part.text)' is not numeric; write numbers with *, -, ',' and / only (overlay refuses croniter's letters in the sixth and seventh fields)",
                        offset: part.offset))
            }
            switch FieldExpansion(index: i, count: parts.count).expand(lowered[i]) {
            case .failure(let why):
                return .failure(
                    AgentScheduleError(
                        rule: "agentjobs.schedule", message: "the \(names[i]) field '\(part.text)': \(why.why)", offset: part.offset))
            case .success(let values):
                fields.append(wildcard(values, index: i, expressions: lowered) ? nil : values.set)
            }
        }
        return .success(HarnessCron(text: text, fields: fields))
    }

    /// croniter turns a full set into `*`, except a full day field when the other day field has
    /// no `*` in its text (so the two stay ORed).
    private static func wildcard(_ values: FieldExpansion.Values, index: Int, expressions: [String]) -> Bool {
        if values.star { return true }
        guard values.set.count == lenMeansAll[index] else { return false }
        if index == 2 && !expressions[4].contains("*") { return false }
        if index == 4 && !expressions[2].contains("*") { return false }
        return true
    }

    /// True when the day-of-month and day-of-week fields are both restricted (then either may match).
    var daysORed: Bool { fields[2] != nil && fields[4] != nil }

    /// The five standard fields as a Vixie `CronSchedule` with croniter's day rule, for the explainer.
    var asCronSchedule: CronSchedule {
        func mask(_ i: Int) -> UInt64 {
            guard let set = fields[i] else {
                return (UInt64(Self.bounds[i].0)...UInt64(Self.bounds[i].1)).reduce(0) { $0 | (1 << $1) }
            }
            return set.reduce(0) { $0 | (1 << UInt64($1)) }
        }
        // The explainer ANDs the day fields when either text starts with `*`, ORs them otherwise.
        let dayTexts = daysORed ? ["1", "1"] : [fields[2] == nil ? "*" : "1", fields[4] == nil ? "*" : "1"]
        return CronSchedule(
            text: text, minutes: mask(0), hours: mask(1), days: mask(2), months: mask(3), weekdays: mask(4),
            fieldTexts: [fields[0] == nil ? "*" : "0", fields[1] == nil ? "*" : "0", dayTexts[0], "*", dayTexts[1]],
            fieldOffsets: [0, 0, 0, 0, 0], macro: nil)
    }
}
