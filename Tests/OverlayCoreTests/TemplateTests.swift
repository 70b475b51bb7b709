import Testing

@testable import OverlayCore

@Suite struct TemplateTests {
    let vars: Value = .object([
        ("name", .string("timmy")), ("model", .object([("name", .string("hermes-4"))])), ("ports", .array([.int(8642)])),
        ("providers", .array([.string("custom"), .string("ollama")])),
    ])

    @Test func substitutesDottedPathsAndLeavesHarnessReferences() throws {
        let t = try Template("{{ name }}: {{model.name}} on {{ ports.0 }} key ${MODEL_API_KEY} ${secret:K}")
        #expect(try t.render(vars).get() == "timmy: hermes-4 on 8642 key ${MODEL_API_KEY} ${secret:K}")
    }

    @Test func undefinedIsAnErrorWithPosition() throws {
        let t = try Template("a\n  x: {{ missing.path }}")
        guard case .failure(let e) = t.render(vars) else {
            Issue.record("expected an undefined variable")
            return
        }
        #expect(e.references.map(\.name) == ["missing.path"])
        #expect(e.references.first?.line == 1 && e.references.first?.column == 5)
    }

    @Test func wholeExpressionKeepsTheValueType() throws {
        #expect(try Template("{{ providers }}").renderValue(vars).get() == .array([.string("custom"), .string("ollama")]))
    }

    @Test func filtersAndUnclosedAreSyntaxErrors() {
        #expect(throws: TemplateError.self) { try Template("{{ name | upper }}") }
        #expect(throws: TemplateError.self) { try Template("{{ name ") }
    }

    @Test func secretsResolveFromEnvironmentOrReportMissing() {
        let r = SecretResolver(directory: "/nonexistent", environment: ["OVERLAY_SECRET_MODEL_API_KEY": "s3cr3t"])
        let out = r.resolve("k: ${secret:MODEL_API_KEY}\nj: ${secret:OTHER}\n")
        #expect(out.text == "k: s3cr3t\nj: ${secret:OTHER}\n")
        #expect(out.missing == ["OTHER"])
    }

    @Test func durations() {
        #expect(DurationParser.seconds("30s") == 30)
        #expect(DurationParser.seconds("5m") == 300)
        #expect(DurationParser.seconds("4h") == 14400)
        #expect(DurationParser.seconds("1d") == 86400)
        #expect(DurationParser.seconds("90") == 90)
        #expect(DurationParser.seconds("5 min") == nil)
    }

    /// An unknown unit is not read as seconds: `2w` would otherwise mean two seconds.
    @Test func unknownDurationUnitsAreRejected() {
        for text in ["3x", "2w", "10q", "3mm", "3ms", "5M", "s", "-5s"] {
            #expect(DurationParser.seconds(text) == nil, "\(text)")
        }
    }
}
