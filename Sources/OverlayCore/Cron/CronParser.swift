/// Reads cron expressions exactly as Debian's cron (Vixie cron 3.0pl1) reads a crontab line's
/// schedule, and rejects what other crons accept but Debian's does not.
enum CronParser {
    /// The macros Debian cron knows (compared case-sensitively, as it does) and their meaning.
    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *", "@reboot": "",
    ]

    /// Parses a five-field expression or a macro.
    static func parse(_ text: String) throws(CronError) -> CronSchedule {
        let scalars = Array(text.unicodeScalars)
        let fields = split(scalars)
        guard let first = fields.first else {
            throw CronError(
                rule: "cron.syntax",
                message: "the schedule is empty; write five fields (minute hour day-of-month month day-of-week) or a macro such as @daily",
                offset: 0)
        }
        if scalars[first.lowerBound] == "@" { return try parseMacro(text, scalars: scalars, fields: fields) }
        if fields.count > 5 {
            throw CronError(
                rule: "cron.syntax",
                message:
                    "\(fields.count) fields: Debian cron takes exactly five (minute hour day-of-month month day-of-week); a seconds or year field is not supported",
                offset: fields[5].lowerBound)
        }
        if fields.count < 5 {
            throw CronError(
                rule: "cron.syntax",
                message:
                    "\(fields.count) field\(fields.count == 1 ? "" : "s"): a schedule needs five (minute hour day-of-month month day-of-week), e.g. \"30 4 * * *\"",
                offset: fields.last.map { $0.lowerBound } ?? 0)
        }
        var masks: [UInt64] = []
        for (index, field) in CronField.allCases.enumerated() {
            var reader = CronFieldReader(scalars: scalars, range: fields[index], field: field)
            masks.append(try reader.read())
        }
        var weekdays = masks[4]
        if weekdays & (1 << 7) != 0 { weekdays = (weekdays | 1) & ~(1 << 7) }
        let texts = fields.map { String(String.UnicodeScalarView(scalars[$0.lowerBound..<$0.upperBound])) }
        let schedule = CronSchedule(
            text: text, minutes: masks[0], hours: masks[1], days: masks[2], months: masks[3], weekdays: weekdays,
            fieldTexts: texts, fieldOffsets: fields.map(\.lowerBound), macro: nil)
        try CronFeasibility.check(schedule)
        return schedule
    }

    /// Parses `@name`, which must be the whole schedule.
    static func parseMacro(_ text: String, scalars: [Unicode.Scalar], fields: [Range<Int>]) throws(CronError) -> CronSchedule {
        let name = String(String.UnicodeScalarView(scalars[fields[0]]))
        guard let expansion = macros[name] else {
            let lowered = name.lowercased()
            if lowered.hasPrefix("@every") {
                throw CronError(
                    rule: "cron.syntax",
                    message:
                        "'@every' is not Debian cron (it comes from Go cron libraries); write a five-field expression such as \"*/5 * * * *\"",
                    offset: fields[0].lowerBound)
            }
            let hint: String
            if macros[lowered] != nil {
                hint = " — Debian cron matches macros case-sensitively: write '\(lowered)'"
            } else if let close = Suggest.closest(name, in: macros.keys.sorted()) {
                hint = " — did you mean '\(close)'?"
            } else {
                hint = "; use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @reboot"
            }
            throw CronError(rule: "cron.syntax", message: "unknown macro '\(name)'\(hint)", offset: fields[0].lowerBound)
        }
        if fields.count > 1 {
            throw CronError(
                rule: "cron.syntax", message: "nothing may follow \(name); the macro is the whole schedule",
                offset: fields[1].lowerBound)
        }
        if name == "@reboot" {
            return CronSchedule(
                text: text, minutes: 0, hours: 0, days: 0, months: 0, weekdays: 0, fieldTexts: [], fieldOffsets: [],
                macro: name)
        }
        // The expansions are constants that parse; keep the macro's own text and flags.
        guard let expanded = try? parse(expansion) else {
            throw CronError(rule: "cron.syntax", message: "internal: macro \(name) did not expand", offset: 0)
        }
        return CronSchedule(
            text: text, minutes: expanded.minutes, hours: expanded.hours, days: expanded.days, months: expanded.months,
            weekdays: expanded.weekdays, fieldTexts: expanded.fieldTexts, fieldOffsets: Array(repeating: fields[0].lowerBound, count: 5),
            macro: name)
    }

    /// The ranges of whitespace-separated fields (spaces and tabs, as crontab lines use).
    static func split(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start: Int?
        for (i, c) in scalars.enumerated() {
            if c == " " || c == "\t" {
                if let s = start { out.append(s..<i) }
                start = nil
            } else if start == nil {
                start = i
            }
        }
        if let s = start { out.append(s..<scalars.count) }
        return out
    }
}
