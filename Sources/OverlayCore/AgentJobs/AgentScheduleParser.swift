/// `parse_schedule` of the harness, step by step, with messages that say what to write.
struct AgentScheduleParser {
    let text: String

    /// The longest interval accepted: about 4,900 years, well inside what the harness can add
    /// to today's date (Python's datetime stops at year 9999).
    static let maxMinutes = 2_600_000_000

    func parse() -> Result<AgentSchedule, AgentScheduleError> {
        let stripped = HarnessText.strip(text)
        let lead = text.unicodeScalars.prefix { HarnessText.isSpace($0) }.count
        if stripped.isEmpty { return fail("the schedule is empty; write e.g. 'every 30m', '0 9 * * *' or 2026-03-01T09:00", 0) }
        if stripped.lowercased().hasPrefix("every ") {
            let rest = String(String.UnicodeScalarView(stripped.unicodeScalars.dropFirst(6)))
            guard let minutes = Self.durationMinutes(rest) else {
                return fail(
                    "'\(HarnessText.strip(rest))' is not a duration; the harness reads 'every' followed by a number and m, h or d (every 30m, every 2h, every 1d)",
                    lead + 6)
            }
            guard minutes <= Self.maxMinutes else {
                return fail(
                    "an interval of \(minutes) minutes is beyond what the harness can schedule; use at most \(Self.maxMinutes)", lead + 6)
            }
            let zero = AgentScheduleError(
                rule: "agentjobs.every-zero",
                message: "'every 0m' runs on every tick of the harness's scheduler (once a minute); write 'every 1m' if that is meant",
                offset: lead)
            return .success(AgentSchedule(text: text, kind: .interval(minutes: minutes), warnings: minutes == 0 ? [zero] : []))
        }
        let parts = HarnessText.split(stripped).map { ($0.text, $0.offset + lead) }
        let cronChars: Set<Unicode.Scalar> = ["*", "-", ",", "/"]
        if parts.count >= 5 && parts.prefix(5).allSatisfy({ HarnessText.all($0.0, digitsOr: cronChars) }) {
            switch HarnessCron.expand(text: stripped, parts: parts) {
            case .failure(let error): return .failure(error)
            case .success(let cron):
                guard cron.canFire else {
                    return fail(
                        "'\(stripped)' never fires (croniter finds no time within 50 years); the harness refuses to create the job", lead)
                }
                return .success(AgentSchedule(text: text, kind: .cron(cron), warnings: []))
            }
        }
        if let why = Self.namedCron(parts) { return fail(why.message, why.offset) }
        if stripped.contains("T") || Self.startsWithDate(stripped) {
            switch HarnessDateTime.parse(stripped.replacingOccurrences(of: "Z", with: "+00:00")) {
            case .success(let time): return .success(AgentSchedule(text: text, kind: .once(time), warnings: []))
            case .failure(let why): return fail("'\(stripped)' is not an ISO 8601 time the harness reads: \(why.why)", lead)
            }
        }
        if Self.durationMinutes(stripped) != nil {
            return .failure(
                AgentScheduleError(
                    rule: "agentjobs.relative-once",
                    message:
                        "'\(stripped)' is a one-shot \(stripped) after whenever the job is created, so every apply would mean another time; write 'every \(stripped)' for a recurring job or an ISO time such as 2026-03-01T09:00 for a one-shot",
                    offset: lead))
        }
        if stripped.hasPrefix("@") {
            return fail("the harness has no cron macros such as \(stripped); write the five fields (@daily is '0 0 * * *')", lead)
        }
        return fail(
            "'\(stripped)' is none of the harness's schedule forms: 'every 30m' (interval), '0 9 * * *' (numeric cron fields) or 2026-03-01T09:00 (one-shot)",
            lead)
    }

    private func fail(_ message: String, _ offset: Int) -> Result<AgentSchedule, AgentScheduleError> {
        .failure(AgentScheduleError(rule: "agentjobs.schedule", message: message, offset: offset))
    }

    /// `parse_duration`: `^(\d+)\s*(m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days)$`
    /// after strip and lower; minutes.
    static func durationMinutes(_ raw: String) -> Int? {
        let s = HarnessText.strip(raw).lowercased().unicodeScalars
        let digits = s.prefix { HarnessText.isDigit($0) }
        guard !digits.isEmpty, let value = HarnessText.integer(digits) else { return nil }
        let unit = String(String.UnicodeScalarView(s.dropFirst(digits.count).drop { HarnessText.isSpace($0) }))
        let multiplier: Int
        switch unit {
        case "m", "min", "mins", "minute", "minutes": multiplier = 1
        case "h", "hr", "hrs", "hour", "hours": multiplier = 60
        case "d", "day", "days": multiplier = 1440
        default: return nil
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? Int.max : product
    }

    /// `^\d{4}-\d{2}-\d{2}` (any script's digits, as Python's `re`).
    static func startsWithDate(_ s: String) -> Bool {
        let scalars = Array(s.unicodeScalars.prefix(10))
        guard scalars.count == 10 else { return false }
        return scalars.enumerated().allSatisfy { i, c in i == 4 || i == 7 ? c == "-" : HarnessText.isDigit(c) }
    }

    /// Five fields with month or weekday names: the harness does not treat them as cron at all.
    static func namedCron(_ parts: [(String, Int)]) -> (message: String, offset: Int)? {
        guard parts.count == 5 || parts.count == 6 else { return nil }
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        var numeric = parts.map(\.0)
        for index in [3, 4] {
            let names = index == 3 ? months : days
            var field = parts[index].0.lowercased()
            var replaced = false
            for (i, name) in names.enumerated() where field.contains(name) {
                field = field.replacingOccurrences(of: name, with: String(index == 3 ? i + 1 : i))
                replaced = true
            }
            if replaced { numeric[index] = field }
        }
        let cronChars: Set<Unicode.Scalar> = ["*", "-", ",", "/"]
        guard numeric != parts.map(\.0), numeric.prefix(5).allSatisfy({ HarnessText.all($0, digitsOr: cronChars) }) else { return nil }
        let offset = parts[3].0 != numeric[3] ? parts[3].1 : parts[4].1
        return (
            "the harness accepts only numeric cron fields (it does not read '\(parts.map(\.0).joined(separator: " "))' as cron at all); write \(numeric.joined(separator: " "))",
            offset
        )
    }
}
