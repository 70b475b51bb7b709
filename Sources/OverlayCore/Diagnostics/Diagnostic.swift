/// How serious a finding is; errors fail validation, warnings only with `--strict`.
public enum Severity: String, Sendable, Comparable {
    case error, warning, info

    private var rank: Int {
        switch self {
        case .error: return 0
        case .warning: return 1
        case .info: return 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One problem found in the overlay repo: where it is, how bad, which rule, what to do.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    /// Path relative to the repo root, with `/` separators.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// Error or warning.
    public var severity: Severity
    /// Stable rule id, e.g. `schema.unknown-key` (see docs/rules.md).
    public var rule: String
    /// What is wrong and how to fix it.
    public var message: String
    /// The inventory hosts this problem belongs to, when it came from rendering them (a
    /// template variable one host lacks, a host's own vars naming a banned provider); empty
    /// for a problem of the repo itself. Converge fails those hosts and goes on with the others.
    public var hosts: [String] = []

    /// Creates a diagnostic at a mark in a file.
    public init(file: String, at mark: Mark, _ severity: Severity = .error, rule: String, _ message: String) {
        // Every rule is declared in RuleCatalog (and documented): tests run debug builds, so an
        // undeclared id fails them; a release build does not check.
        assert(RuleCatalog.contains(rule), "rule '\(rule)' is not declared in RuleCatalog (and docs/rules.md)")
        self.file = file
        self.line = mark.line
        self.column = mark.column
        self.severity = severity
        self.rule = rule
        self.message = message
    }

    /// The text form: `FILE:LINE:COL: error: MESSAGE [RULE]`.
    public var description: String {
        "\(file):\(line):\(column): \(severity.rawValue): \(message) [\(rule)]"
    }
}

extension Array where Element == Diagnostic {
    /// Sorted by file, then position, then rule: a stable report order.
    public func sortedForReport() -> [Diagnostic] {
        sorted {
            ($0.file, $0.line, $0.column, $0.rule, $0.message) < ($1.file, $1.line, $1.column, $1.rule, $1.message)
        }
    }

    /// Number of errors.
    public var errorCount: Int { reduce(0) { $0 + ($1.severity == .error ? 1 : 0) } }
    /// Number of warnings.
    public var warningCount: Int { reduce(0) { $0 + ($1.severity == .warning ? 1 : 0) } }
}
