extension CronSchedule {
    /// The cron expression that runs exactly every `seconds` (60 → `* * * * *`, 300 →
    /// `*/5 * * * *`, 3600 → `0 * * * *`, 86400 → `0 0 * * *`), or nil when cron cannot.
    ///
    /// Cron steps restart at each hour or day boundary, so only periods that divide the
    /// next larger unit are exact: `*/7` minutes runs at :56 and then :00, four minutes apart.
    public static func expression(everySeconds seconds: Int) -> String? {
        guard seconds > 0, seconds % 60 == 0 else { return nil }
        let minutes = seconds / 60
        if minutes == 1 { return "* * * * *" }
        if minutes < 60 { return 60 % minutes == 0 ? "*/\(minutes) * * * *" : nil }
        guard minutes % 60 == 0 else { return nil }
        let hours = minutes / 60
        if hours == 1 { return "0 * * * *" }
        if hours < 24 { return 24 % hours == 0 ? "0 */\(hours) * * *" : nil }
        if hours == 24 { return "0 0 * * *" }
        if hours == 24 * 7 { return "0 0 * * 0" }
        return nil
    }
}
