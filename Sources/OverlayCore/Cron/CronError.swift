/// Why a cron expression was rejected, with the rule id and where in the text it went wrong.
public struct CronError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable rule id (`cron.syntax`, `cron.range`, `cron.never-fires`; see docs/rules.md).
    public var rule: String
    /// What is wrong and what to write instead.
    public var message: String
    /// 0-based character offset of the offending field or item inside the expression.
    ///
    /// A caller locates a diagnostic at the schedule node's column + `offset`
    /// (+1 when the YAML scalar is quoted).
    public var offset: Int

    /// Creates an error.
    public init(rule: String, message: String, offset: Int) {
        self.rule = rule
        self.message = message
        self.offset = offset
    }

    /// `MESSAGE [RULE]`.
    public var description: String { "\(message) [\(rule)]" }
}

/// Something legal but probably not what the author meant (the day-field quirk).
public struct CronWarning: Sendable, Equatable {
    /// Stable rule id (`cron.day-quirk`).
    public var rule: String
    /// What the expression really means and how to say what was meant.
    public var message: String
    /// 0-based character offset of the field the warning is about.
    public var offset: Int

    /// Creates a warning.
    public init(rule: String, message: String, offset: Int) {
        self.rule = rule
        self.message = message
        self.offset = offset
    }
}
