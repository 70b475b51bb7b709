import Foundation

/// A text with `{{ name }}` substitutions (dotted paths allowed), parsed once.
///
/// Deliberately tiny: no filters, no logic. An undefined variable is an error, never
/// an empty string. `${VAR}` and `${secret:NAME}` are left alone here (secrets are
/// resolved at apply time by `SecretResolver`, `${VAR}` belongs to the harness).
public struct Template: Sendable {
    /// One `{{ … }}` reference and where it is in the text.
    public struct Reference: Sendable, Equatable {
        /// The path as written, e.g. `local_model.name`.
        public var name: String
        /// Offset of the `{{` in characters from the start of the text.
        public var offset: Int
        /// 0-based line and column of the `{{` within the text.
        public var line: Int
        public var column: Int
    }

    enum Segment: Sendable {
        case literal(String)
        case reference(Reference)
    }

    let segments: [Segment]

    /// Every reference in order.
    public var references: [Reference] {
        segments.compactMap { if case .reference(let r) = $0 { return r } else { return nil } }
    }

    /// True when the text has no `{{`.
    public var isLiteral: Bool { references.isEmpty }

    /// Parses `text`; a `{{` without `}}`, an empty or filtered expression is an error.
    public init(_ text: String) throws(TemplateError) {
        var segments: [Segment] = []
        var literal = ""
        var line = 0
        var column = 0
        var offset = 0
        func advance(_ c: Character) {
            offset += 1
            if c == "\n" {
                line += 1
                column = 0
            } else {
                column += 1
            }
        }
        var i = text.startIndex
        while i < text.endIndex {
            if text[i] == "{", text.index(after: i) < text.endIndex, text[text.index(after: i)] == "{" {
                let startLine = line
                let startColumn = column
                let startOffset = offset
                let exprStart = text.index(i, offsetBy: 2)
                guard let close = text.range(of: "}}", range: exprStart..<text.endIndex) else {
                    throw TemplateError.syntax("'{{' is never closed with '}}'", line: startLine, column: startColumn)
                }
                let expr = text[exprStart..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                guard Template.isValidPath(expr) else {
                    let why = expr.contains("|") ? "filters are not supported" : "expected a variable name or dotted path"
                    throw TemplateError.syntax("'{{ \(expr) }}': \(why)", line: startLine, column: startColumn)
                }
                if !literal.isEmpty {
                    segments.append(.literal(literal))
                    literal = ""
                }
                segments.append(
                    .reference(Reference(name: String(expr), offset: startOffset, line: startLine, column: startColumn)))
                for c in text[i..<close.upperBound] { advance(c) }
                i = close.upperBound
                continue
            }
            literal.append(text[i])
            advance(text[i])
            i = text.index(after: i)
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        self.segments = segments
    }

    static func isValidPath(_ expr: String) -> Bool {
        guard !expr.isEmpty else { return false }
        for part in expr.split(separator: ".", omittingEmptySubsequences: false) {
            guard let first = part.first, first.isLetter || first == "_" || first.isNumber else { return false }
            guard part.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { return false }
        }
        return true
    }

    /// Renders with `vars`; returns the text or every reference that is undefined or
    /// holds an Ansible Vault value (overlay never decrypts one, so it is never rendered).
    public func render(_ vars: Value) -> Result<String, UndefinedVariables> {
        var out = ""
        var failed = UndefinedVariables(references: [])
        for segment in segments {
            switch segment {
            case .literal(let s): out += s
            case .reference(let r):
                if let v = Template.lookup(r.name, in: vars) {
                    if v.containsVault { failed.vaulted.append(r) } else { out += v.renderedText }
                } else {
                    failed.references.append(r)
                }
            }
        }
        return failed.isEmpty ? .success(out) : .failure(failed)
    }

    /// Renders a value: a text that is exactly one `{{ x }}` yields x's value itself
    /// (a list stays a list), anything else yields a string.
    public func renderValue(_ vars: Value) -> Result<Value, UndefinedVariables> {
        if segments.count == 1, case .reference(let r) = segments[0] {
            guard let v = Template.lookup(r.name, in: vars) else { return .failure(UndefinedVariables(references: [r])) }
            if v.containsVault { return .failure(UndefinedVariables(references: [], vaulted: [r])) }
            return .success(v)
        }
        return render(vars).map(Value.string)
    }

    /// Looks up a dotted path (`a.b.0`) in an object.
    public static func lookup(_ path: String, in vars: Value) -> Value? {
        var current = vars
        for part in path.split(separator: ".") {
            switch current {
            case .object:
                guard let next = current[String(part)] else { return nil }
                current = next
            case .array(let items):
                guard let i = Int(part), items.indices.contains(i) else { return nil }
                current = items[i]
            default:
                return nil
            }
        }
        return current
    }
}

/// The references a render could not resolve.
public struct UndefinedVariables: Error, Sendable {
    /// References to variables the host does not have.
    public var references: [Template.Reference]
    /// References to values encrypted with Ansible Vault (`!vault`), which overlay never decrypts.
    public var vaulted: [Template.Reference] = []

    /// Creates the failure of a render.
    public init(references: [Template.Reference], vaulted: [Template.Reference] = []) {
        self.references = references
        self.vaulted = vaulted
    }

    var isEmpty: Bool { references.isEmpty && vaulted.isEmpty }

    /// What to tell the user about `reference` when it is vaulted (nil when it is only undefined).
    public func vaultMessage(_ reference: Template.Reference, host: String) -> String? {
        guard vaulted.contains(reference) else { return nil }
        return
            "variable '\(reference.name)' of host '\(host)' is encrypted with Ansible Vault (!vault); overlay never decrypts vault values — give the template its secret with ${secret:NAME} instead"
    }
}

/// A template that cannot be parsed.
public enum TemplateError: Error, Sendable, CustomStringConvertible {
    /// Bad `{{ }}` syntax at a 0-based line and column of the text.
    case syntax(String, line: Int, column: Int)

    public var description: String {
        switch self {
        case .syntax(let m, _, _): return m
        }
    }
}
