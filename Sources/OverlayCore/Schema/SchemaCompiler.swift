import Foundation

/// Turns a schema's node tree into `JSONSchema` values, reporting broken keywords as
/// `schema.invalid-schema` in the schema file and compiling what it can.
struct SchemaCompiler {
    let file: String
    private(set) var byPointer: [String: JSONSchema] = [:]
    private(set) var diagnostics: [Diagnostic] = []
    private var refs: [(ref: String, mark: Mark)] = []

    init(file: String) { self.file = file }

    /// Keywords that only annotate; they never affect validity.
    static let annotations: Set<String> = [
        "$schema", "$id", "$comment", "$anchor", "$vocabulary", "title", "description", "default", "examples",
        "deprecated", "readOnly", "writeOnly", "format", "contentMediaType", "contentEncoding",
        "markdownDescription", "deprecationMessage", "errorMessage", "defaultSnippets", "doNotSuggest", "enumDescriptions",
    ]
    /// Every keyword overlay understands, for "did you mean" on misspelled keywords.
    static let keywords: [String] =
        [
            "type", "properties", "patternProperties", "additionalProperties", "propertyNames", "required",
            "dependentRequired", "minProperties", "maxProperties", "enum", "const", "minimum", "maximum",
            "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern", "prefixItems",
            "items", "contains", "minContains", "maxContains", "minItems", "maxItems", "uniqueItems", "allOf", "anyOf",
            "oneOf", "not", "if", "then", "else", "$ref", "$defs", "definitions",
        ] + annotations.sorted()

    mutating func invalid(_ mark: Mark, _ message: String, _ severity: Severity = .error) {
        diagnostics.append(Diagnostic(file: file, at: mark, severity, rule: "schema.invalid-schema", message))
    }

    /// Compiles the schema at `node`, registering it under `pointer`.
    mutating func compile(_ node: Node, pointer: String) -> JSONSchema {
        var rules = JSONSchema.Rules()
        switch node.kind {
        case .mapping(let pairs):
            for pair in pairs {
                let key = pair.key.value.keyString
                compileKeyword(key, pair.value, keyMark: pair.key.mark, pointer: pointer, into: &rules)
            }
        case .scalar:
            if case .bool(let accept) = node.value {
                rules.rejectsAll = !accept
            } else {
                invalid(node.mark, "a schema must be a JSON object or true/false, not \(node.typeName); wrap it in {…}")
            }
        case .sequence:
            invalid(node.mark, "a schema must be a JSON object or true/false, not a list; wrap it in {…}")
        }
        let schema = JSONSchema(mark: node.mark, pointer: pointer, rules: rules)
        byPointer[pointer] = schema
        return schema
    }

    /// Compiles `$defs`-style maps and records `$ref`s; the rest is in `compileKeyword`.
    mutating func compileKeyword(_ key: String, _ value: Node, keyMark: Mark, pointer: String, into rules: inout JSONSchema.Rules) {
        let here = pointer + "/" + SchemaCompiler.escape(key)
        switch key {
        case "$ref":
            guard let ref = value.string, ref.hasPrefix("#") else {
                invalid(
                    value.mark, "$ref must be a local reference such as \"#/$defs/name\"; overlay resolves references inside this file only"
                )
                return
            }
            let decoded = ref.removingPercentEncoding ?? ref
            rules.ref = decoded
            rules.refMark = value.mark
            refs.append((decoded, value.mark))
        case "$defs", "definitions":
            guard let pairs = value.pairs else { return invalid(value.mark, "\(key) must map names to schemas") }
            for pair in pairs {
                let name = pair.key.value.keyString
                _ = compile(pair.value, pointer: here + "/" + SchemaCompiler.escape(name))
            }
        case "deprecated":
            rules.deprecated = boolean(value, key) ?? false
        case "description":
            rules.description = value.string
        case "errorMessage":
            rules.errorMessage = value.string
        default:
            if compileAssertion(key, value, pointer: here, into: &rules) { return }
            if compileApplicator(key, value, pointer: here, into: &rules) { return }
            if SchemaCompiler.annotations.contains(key) { return }
            // Unknown keywords are annotations in JSON Schema; flag only likely typos.
            if let near = Suggest.closest(key, in: SchemaCompiler.keywords), near != key {
                invalid(keyMark, "unknown keyword '\(key)' is ignored; did you mean '\(near)'?", .warning)
            }
        }
    }

    /// Checks that every `$ref` names a compiled schema.
    mutating func checkReferences() {
        for (ref, mark) in refs where byPointer[ref] == nil {
            invalid(mark, "$ref '\(ref)' does not point at a schema in this file; define it under $defs or fix the path")
        }
    }

    /// Escapes a key as a JSON pointer segment.
    static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
