import Foundation
import Testing

@testable import OverlayCore

/// YAML read as PyYAML's SafeLoader and Ansible's constructor read it. Every expected
/// value here was checked against ansible-inventory 2.19 (the end-to-end parity tests
/// run the same scalars through it).
@Suite struct YAMLResolutionTests {
    static let scalars: [(String, Value)] = [
        // Base 60 only when every segment after the first is 0–59 and the first starts 1–9.
        ("18:60:24:24:81:86", .string("18:60:24:24:81:86")), ("52:54:00:12:34:56", .int(41_135_085_296)),
        ("1:30", .int(90)), ("1:2", .int(62)), ("0:30", .string("0:30")), ("1:60", .string("1:60")),
        ("-1:00", .int(-60)), ("1_0:3_0", .string("1_0:3_0")), ("190:20:30", .int(685_230)),
        // Base-60 floats.
        ("20:30.15", .double(1230.15)), ("1:2:3.5", .double(3723.5)), ("-1:30.5", .double(-90.5)),
        ("1:00:00.0e+3", .string("1:00:00.0e+3")),
        // Floats need a dot; the exponent needs a sign; a sign needs a digit before the dot.
        ("1e3", .string("1e3")), ("1.0e3", .string("1.0e3")), ("1.5e+3", .double(1500)), ("1.e+3", .double(1000)),
        (".5", .double(0.5)), ("-.5", .string("-.5")), ("+.5", .string("+.5")), ("0.", .double(0)), ("._", .string("._")),
        ("1_000.5_0", .double(1000.5)), ("_1.5", .string("_1.5")), ("08.5", .double(8.5)),
        (".inf", .double(.infinity)), ("-.Inf", .double(-.infinity)), ("+.INF", .double(.infinity)),
        (".NaN", .double(.nan)), ("-.nan", .string("-.nan")),
        // Integers: octal, hex, binary, underscores, and any size.
        ("0644", .int(420)), ("09", .string("09")), ("00", .int(0)), ("0o14", .string("0o14")), ("0x1F", .int(31)),
        ("+0x1F", .int(31)), ("0x_1A", .int(26)), ("-0b11", .int(-3)), ("0b1010_0111", .int(167)), ("1__0", .int(10)),
        ("1_", .int(1)), ("_1", .string("_1")), ("0x", .string("0x")),
        ("9223372036854775807", .int(Int.max)), ("9223372036854775808", .bigInt("9223372036854775808")),
        ("-9223372036854775809", .bigInt("-9223372036854775809")),
        ("0xFFFFFFFFFFFFFFFFFFFF", .bigInt("1208925819614629174706175")),
        // Timestamps, as Python's isoformat() prints them.
        ("2002-12-14", .string("2002-12-14")), ("2001-12-14 21:59:43.10 -5", .string("2001-12-14T21:59:43.100000-05:00")),
        ("2001-12-14t21:59:43.10-05:00", .string("2001-12-14T21:59:43.100000-05:00")),
        ("2001-12-15T02:59:43.1Z", .string("2001-12-15T02:59:43.100000+00:00")),
        ("2001-12-14 21:59:43", .string("2001-12-14T21:59:43")), ("2001-1-4 1:59:43", .string("2001-01-04T01:59:43")),
        ("2001-12-14T21:59:43.123456789Z", .string("2001-12-14T21:59:43.123456+00:00")),
        ("2001-12-14 21:59:43 +5:30", .string("2001-12-14T21:59:43+05:30")), ("2001-1-4", .string("2001-1-4")),
        // Booleans and nulls, YAML 1.1 spellings only.
        ("yes", .bool(true)), ("NO", .bool(false)), ("tRUE", .string("tRUE")), ("y", .string("y")), ("~", .null),
        ("nULL", .string("nULL")), ("", .null),
    ]

    @Test func plainScalarsResolveAsPyYAML() {
        for (text, expected) in Self.scalars {
            #expect(Value.resolveScalar(text, style: .plain, tag: nil) == expected, "\(text)")
        }
    }

    @Test func explicitTagsAndAnsibleTags() throws {
        let doc = parse(
            """
            s: !!str 0644
            i: !!int "0x10"
            f: !!float 7
            b: !!bool Off
            n: !!null anything
            t: !!timestamp 2020-02-29
            v: !vault |
              $ANSIBLE_VAULT;1.1;AES256
              6162
            u: !unsafe "12"
            set: !!set {a, b}
            omap: !!omap [a: 1, b: 2]
            """)
        #expect(doc.diagnostics.isEmpty, "\(doc.diagnostics)")
        let v = try #require(doc.root?.value)
        #expect(v["s"] == .string("0644"))
        #expect(v["i"] == .int(16))
        #expect(v["f"] == .double(7))
        #expect(v["b"] == .bool(false))
        #expect(v["n"] == .null)
        #expect(v["t"] == .string("2020-02-29"))
        #expect(v["v"]?.vaultCiphertext == "$ANSIBLE_VAULT;1.1;AES256\n6162\n")
        #expect(v["u"] == .int(12), "!unsafe re-resolves its scalar as plain")
        #expect(v["set"] == .array([.string("a"), .string("b")]))
        #expect(v["omap"] == .array([.array([.string("a"), .int(1)]), .array([.string("b"), .int(2)])]))
    }

    @Test func unsafeStringsAreWrappedOnlyInTheListing() throws {
        let node = try #require(parse("x: !unsafe {a: '{{ b }}', n: 1, l: [c]}\n").root?["x"])
        #expect(node.value == .object([("a", .string("{{ b }}")), ("n", .int(1)), ("l", .array([.string("c")]))]))
        let wrap = { (s: String) in Value.object([("__ansible_unsafe", .string(s))]) }
        #expect(Value.listing(node) == .object([("a", wrap("{{ b }}")), ("n", .int(1)), ("l", .array([wrap("c")]))]))
        #expect(Value.listing(try #require(parse("x: plain\n").root?["x"])) == nil)
    }

    @Test(arguments: [
        ("v: !custom x\n", "yaml.tag", 1, 4), ("v: 2001-02-30\n", "yaml.value", 1, 4), ("v: !vault 12\n", "yaml.tag", 1, 4),
        ("v: !!int 1.5\n", "yaml.tag", 1, 4), ("v: [=]\n", "yaml.value", 1, 5), ("v: <<\n", "yaml.value", 1, 4),
        ("v: !!binary aGk=\n", "yaml.tag", 1, 4), ("v: 2001-12-14 21:59:43 +24\n", "yaml.value", 1, 4),
        ("a: &s 1\nb:\n  <<: *s\n", "yaml.merge-key", 3, 7), ("v: !!omap [a, b: 1]\n", "yaml.tag", 1, 12),
        ("v: \(String(repeating: "9", count: 4301))\n", "yaml.value", 1, 4),
    ])
    func valuesPyYAMLCannotConstructAreErrorsThatKeepTheTree(_ text: String, _ rule: String, _ line: Int, _ column: Int) {
        let doc = parse(text)
        #expect(doc.diagnostics.map(\.rule) == [rule], "\(doc.diagnostics)")
        #expect(doc.diagnostics.first.map { [$0.line, $0.column] } == [line, column])
        #expect(doc.diagnostics.first?.severity == .error)
        #expect(doc.root != nil)
    }

    @Test func equalsAsAKeyAndQuotedMergeAreStrings() throws {
        let doc = parse("=: 1\n'<<': 2\n")
        #expect(doc.diagnostics.isEmpty)
        #expect(doc.root?.value == .object([("=", .int(1)), ("<<", .int(2))]))
    }

    @Test func mergeKeysFollowPyYAML() throws {
        let doc = parse(
            """
            a: &a {x: 1, y: 1}
            b: &b {y: 2, z: 2}
            one: {<<: *a, y: 9}
            list: {<<: [*a, *b]}
            two: {<<: *a, <<: *b}
            hosts: {<<: *a}
            """)
        #expect(doc.diagnostics.isEmpty, "an explicit key overriding a merged one is no duplicate: \(doc.diagnostics)")
        let v = try #require(doc.root?.value)
        #expect(v["one"] == .object([("x", .int(1)), ("y", .int(9))]))
        // Of a list, the earlier mapping wins; its keys keep the position they first had.
        #expect(v["list"] == .object([("y", .int(1)), ("z", .int(2)), ("x", .int(1))]))
        #expect(v["two"] == .object([("x", .int(1)), ("y", .int(2)), ("z", .int(2))]))
        #expect(doc.root?["hosts"]?.pairs?.map(\.key.scalarText) == ["x", "y"])
    }

    @Test func explicitDuplicateIsStillReported() {
        let doc = parse("m: {<<: {a: 1}, b: 1, b: 2}\n")
        #expect(doc.diagnostics.map(\.rule) == ["yaml.duplicate-key"])
    }

    /// Each alias re-uses a 95-deep list inside another: 145 of them would nest 13,000
    /// levels (a stack overflow, then gigabytes of indented output). The depth limit counts
    /// what an alias brings, so the second one already stops the read.
    @Test func aliasChainCannotNestPastTheDepthLimit() {
        let lines = (0..<145).map { i in
            "v\(i): &a\(i) " + String(repeating: "[", count: 95) + (i == 0 ? "x" : "*a\(i - 1)") + String(repeating: "]", count: 95)
        }
        let doc = parse(lines.joined(separator: "\n") + "\n")
        #expect(doc.diagnostics.map(\.rule) == ["yaml.depth"])
        #expect(doc.diagnostics.first?.line == 2)
        #expect(doc.root == nil)
    }

    @Test func aliasUsedWithinTheDepthLimitIsFine() throws {
        let doc = parse("a: &a [[[1]]]\nb: {c: {d: *a}}\n")
        #expect(doc.diagnostics.isEmpty)
        #expect(doc.root?["b"]?["c"]?["d"]?.value == .array([.array([.array([.int(1)])])]))
    }

    @Test func jsonIntegersOfAnySizeStayExact() throws {
        let doc = parse("{\"big\": 98765432109876543210987654321, \"inf\": 1E400, \"f\": 1e3}", path: "t.json")
        let v = try #require(doc.root?.value)
        #expect(v["big"] == .bigInt("98765432109876543210987654321"))
        #expect(v["inf"] == .double(.infinity))
        #expect(v["f"] == .double(1000))
    }

    @Test(arguments: [
        (1.0, "1.0"), (100.0, "100.0"), (1e16, "1e+16"), (1e15, "1000000000000000.0"), (123456789.123, "123456789.123"),
        (0.0001, "0.0001"), (0.00001, "1e-05"), (1.5e300, "1.5e+300"), (2.5e-300, "2.5e-300"), (-0.0, "-0.0"),
        (12345678901234567.0, "1.2345678901234568e+16"), (0.1, "0.1"), (1230.15, "1230.15"), (5e-324, "5e-324"),
    ])
    func floatsPrintAsPythonsRepr(_ value: Double, _ text: String) {
        #expect(PythonFloatText.repr(value) == text)
    }

    @Test func nonFiniteNumbersAsPythonOrNull() {
        let v = Value.array([.double(.infinity), .double(-.infinity), .double(.nan)])
        #expect(JSONWriter.string(v) == "[null,null,null]")
        #expect(JSONWriter.string(v, pythonNonFinite: true) == "[Infinity,-Infinity,NaN]")
    }
}

/// A template never renders an Ansible Vault value: overlay does not decrypt them.
@Suite struct VaultTemplateTests {
    @Test func templateUsingAVaultValueNamesTheVariable() throws {
        let vars = Value.object([
            ("pw", .object([("__ansible_vault", .string("$ANSIBLE_VAULT;1.1;AES256\n6162\n"))])),
            ("db", .object([("user", .string("app")), ("pw", .object([("__ansible_vault", .string("x"))]))])),
            ("user", .string("app")),
        ])
        guard case .failure(let failed) = try Template("u={{ user }} p={{ pw }} {{ db.user }} {{ db }}").render(vars) else {
            Issue.record("rendered a vault value")
            return
        }
        #expect(failed.references.isEmpty)
        #expect(failed.vaulted.map(\.name) == ["pw", "db"])
        #expect(failed.vaultMessage(failed.vaulted[0], host: "h1")?.contains("'pw' of host 'h1' is encrypted with Ansible Vault") == true)
    }

    @Test func validateReportsTheVaultValueWhereTheTemplateUsesIt() throws {
        var files = MinimalRepo.files
        files["inventory/host_vars/timmy.yml"] = "model_key: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\n"
        files["playbooks/site.yaml"] = """
            hosts: all
            homes:
              hermes: "{{ hermes_home }}"
            files:
              - {template: playbooks/templates/p.yaml, dest: "{{ hermes_home }}/p.yaml"}
            """
        files["playbooks/templates/p.yaml"] = "key: {{ model_key }}\n"
        let repo = try TempRepo(files)
        defer { repo.remove() }
        let hit = repo.validate().diagnostics.filter { $0.rule == "playbook.vault-value" }
        #expect(hit.count == 1, "\(repo.validate().diagnostics)")
        #expect(hit.first?.file == "playbooks/templates/p.yaml")
        #expect(hit.first.map { [$0.line, $0.column] } == [1, 6])
        #expect(hit.first?.message.contains("'model_key'") == true)
    }
}
