import Foundation

/// One compiled JSON Schema (a schema object or `true`/`false`), ready to validate nodes.
///
/// Compiled once per run by `CompiledSchema`; regexes are built at compile time and
/// `$ref`s are kept as JSON pointers resolved through `CompiledSchema`.
public final class JSONSchema: Sendable {
    /// The JSON types a `type` keyword can name.
    public enum JSONType: String, Sendable, CaseIterable {
        case null, boolean, integer, number, string, array, object
    }

    /// Where the schema starts in the schema file.
    public let mark: Mark
    /// The schema's JSON pointer (`#/$defs/port`), used to resolve `$ref`.
    public let pointer: String
    /// The assertions and applicators of this schema.
    let rules: Rules

    init(mark: Mark, pointer: String, rules: Rules) {
        self.mark = mark
        self.pointer = pointer
        self.rules = rules
    }

    /// True when the schema carries `deprecated: true`.
    public var isDeprecated: Bool { rules.deprecated }
    /// The schema's `description`, if any.
    public var summary: String? { rules.description }

    /// The keywords overlay implements, as compiled values.
    struct Rules: Sendable {
        /// `false` schemas reject everything; `true` and `{}` accept everything.
        var rejectsAll = false
        var types: [JSONType]?
        var properties: [String: JSONSchema] = [:]
        /// Property names in schema order, for suggestions and messages.
        var propertyOrder: [String] = []
        var patternProperties: [(SchemaPattern, JSONSchema)] = []
        var additionalProperties: JSONSchema?
        var propertyNames: JSONSchema?
        var required: [String] = []
        var dependentRequired: [(String, [String])] = []
        var minProperties: Int?
        var maxProperties: Int?
        var enumValues: [Value]?
        var constValue: Value??
        var minimum: Double?
        var maximum: Double?
        var exclusiveMinimum: Double?
        var exclusiveMaximum: Double?
        var multipleOf: Double?
        var minLength: Int?
        var maxLength: Int?
        var pattern: SchemaPattern?
        var prefixItems: [JSONSchema] = []
        var items: JSONSchema?
        var contains: JSONSchema?
        var minContains: Int?
        var maxContains: Int?
        var minItems: Int?
        var maxItems: Int?
        var uniqueItems = false
        var allOf: [JSONSchema] = []
        var anyOf: [JSONSchema] = []
        var oneOf: [JSONSchema] = []
        var not: JSONSchema?
        var ifSchema: JSONSchema?
        var thenSchema: JSONSchema?
        var elseSchema: JSONSchema?
        /// A `$ref` as a JSON pointer into the same document.
        var ref: String?
        /// Where the `$ref` was written, for reporting a dangling one.
        var refMark: Mark?
        var deprecated = false
        var description: String?
        /// `errorMessage` (as editors read it): replaces the report of a failed `type` or
        /// `pattern` of this schema, so a coercion rule can say what it accepts.
        var errorMessage: String?
    }
}

/// A compiled `pattern` (ECMA-262 semantics: an unanchored search).
struct SchemaPattern: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented as thread safe.
    let source: String
    let regex: NSRegularExpression

    /// Compiles `source`; nil when it is not a valid regular expression.
    init?(_ source: String) {
        guard let regex = try? NSRegularExpression(pattern: source) else { return nil }
        self.source = source
        self.regex = regex
    }

    /// True when the pattern matches anywhere in `text`.
    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
