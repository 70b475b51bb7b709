import OverlayCore

/// Renders a validation report in the four formats of `overlay validate`.
enum DiagnosticRenderer {
    /// `FILE:LINE:COL: error: MESSAGE [RULE]` lines and a summary line.
    static func text(_ report: ValidationReport, strict: Bool) -> String {
        var out = ""
        for d in report.diagnostics { out += d.description + "\n" }
        let e = report.diagnostics.errorCount
        let w = report.diagnostics.warningCount
        let verdict = report.passed(strict: strict) ? "ok" : "failed"
        out += "\(verdict): \(report.files) files checked, \(e) error\(e == 1 ? "" : "s"), \(w) warning\(w == 1 ? "" : "s")\n"
        return out
    }

    /// The SPEC §3.1 JSON object.
    static func json(_ report: ValidationReport, strict: Bool) -> String {
        let diags = report.diagnostics.map(object)
        let obj: Value = .object([
            ("ok", .bool(report.passed(strict: strict))), ("files", .int(report.files)),
            ("errors", .int(report.diagnostics.errorCount)), ("warnings", .int(report.diagnostics.warningCount)),
            ("diagnostics", .array(diags)),
        ])
        return JSONWriter.string(obj, pretty: true) + "\n"
    }

    /// One diagnostic as a JSON object (validate, apply and converge failures share it).
    static func object(_ d: Diagnostic) -> Value {
        .object([
            ("file", .string(d.file)), ("line", .int(d.line)), ("column", .int(d.column)),
            ("severity", .string(d.severity.rawValue)), ("rule", .string(d.rule)), ("message", .string(d.message)),
        ])
    }

    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::…`).
    static func github(_ report: ValidationReport, strict: Bool) -> String {
        var out = ""
        for d in report.diagnostics {
            let level = d.severity == .error ? "error" : (d.severity == .warning ? "warning" : "notice")
            out +=
                "::\(level) file=\(escapeProperty(d.file)),line=\(d.line),col=\(d.column),title=\(escapeProperty(d.rule))::\(escapeData(d.message))\n"
        }
        let e = report.diagnostics.errorCount
        let w = report.diagnostics.warningCount
        out += "\(report.passed(strict: strict) ? "ok" : "failed"): \(report.files) files checked, \(e) errors, \(w) warnings\n"
        return out
    }

    /// SARIF 2.1.0 with one run, the rules used and one result per diagnostic.
    static func sarif(_ report: ValidationReport, version: String) -> String {
        let ruleIDs = Array(Set(report.diagnostics.map(\.rule))).sorted()
        let rules: [Value] = ruleIDs.map { id in
            var pairs: [(String, Value)] = [("id", .string(id))]
            if let rule = RuleCatalog.rule(id) {
                pairs.append(("shortDescription", .object([("text", .string(rule.summary))])))
            }
            pairs.append(("helpUri", .string("docs/rules.md#\(id.replacingOccurrences(of: ".", with: ""))")))
            return .object(pairs)
        }
        let results: [Value] = report.diagnostics.map { d in
            .object([
                ("ruleId", .string(d.rule)),
                ("ruleIndex", .int(ruleIDs.firstIndex(of: d.rule) ?? 0)),
                ("level", .string(d.severity == .error ? "error" : (d.severity == .warning ? "warning" : "note"))),
                ("message", .object([("text", .string(d.message))])),
                (
                    "locations",
                    .array([
                        .object([
                            (
                                "physicalLocation",
                                .object([
                                    ("artifactLocation", .object([("uri", .string(d.file)), ("uriBaseId", .string("SRCROOT"))])),
                                    ("region", .object([("startLine", .int(d.line)), ("startColumn", .int(d.column))])),
                                ])
                            )
                        ])
                    ])
                ),
            ])
        }
        let log: Value = .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            (
                "runs",
                .array([
                    .object([
                        (
                            "tool",
                            .object([
                                (
                                    "driver",
                                    .object([
                                        ("name", .string("overlay")), ("version", .string(version)),
                                        ("informationUri", .string("https://example.invalid/overlay/docs/rules.md")),
                                        ("rules", .array(rules)),
                                    ])
                                )
                            ])
                        ),
                        ("results", .array(results)),
                    ])
                ])
            ),
        ])
        return JSONWriter.string(log, pretty: true) + "\n"
    }

    private static func escapeData(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    private static func escapeProperty(_ s: String) -> String {
        escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
