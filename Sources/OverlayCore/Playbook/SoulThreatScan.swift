import Foundation

/// The harness's prompt-injection scan of `SOUL.md` (hermes-agent 0.19.0,
/// `tools/threat_patterns.py`, scope "context", as `agent/prompt_builder.py` applies it).
///
/// When any pattern matches, the harness loads `[BLOCKED: SOUL.md contained potential prompt
/// injection (…)]` instead of the identity, so an honest sentence such as "I will not pretend
/// to be human" silently costs the agent its whole identity. Same steps as the harness: the
/// text stripped, a leading byte-order mark dropped, the first 65,536 characters, invisible
/// characters looked for first, then the patterns (case-insensitive) on the NFKC form.
enum SoulThreatScan {
    /// One place the harness would block: its pattern id and where it matched.
    struct Finding {
        var id: String
        var mark: Mark
        var excerpt: String
    }

    private static let filler = #"(?:\w+\s+){0,8}"#

    /// (regex, the harness's pattern id).
    static let patterns: [(String, String)] = [
        (#"ignore\s+~F~(previous|all|above|prior)\s+~F~instructions"#, "prompt_injection"),
        (#"system\s+prompt\s+override"#, "sys_prompt_override"),
        (#"disregard\s+~F~(your|all|any)\s+~F~(instructions|rules|guidelines)"#, "disregard_rules"),
        (#"act\s+as\s+(if|though)\s+~F~you\s+~F~(have\s+no|don't\s+have)\s+~F~(restrictions|limits|rules)"#, "bypass_restrictions"),
        (#"<!--[^>]{0,512}(?:ignore|override|system|secret|hidden)[^>]{0,512}-->"#, "html_comment_injection"),
        (#"<\s*div\s+style\s*=\s*["'][^>]{0,2048}display\s*:\s*none"#, "hidden_div"),
        (#"translate\s+[^\n]{0,512}\s+into\s+[^\n]{0,512}\s+and\s+(execute|run|eval)"#, "translate_execute"),
        (#"do\s+not\s+~F~tell\s+~F~the\s+user"#, "deception_hide"),
        (#"you\s+are\s+~F~now\s+(?:a|an|the)\s+"#, "role_hijack"),
        (#"pretend\s+~F~(you\s+are|to\s+be)\s+"#, "role_pretend"),
        (#"output\s+~F~(system|initial)\s+prompt"#, "leak_system_prompt"),
        (#"(respond|answer|reply)\s+without\s+~F~(restrictions|limitations|filters|safety)"#, "remove_filters"),
        (#"you\s+have\s+been\s+~F~(updated|upgraded|patched)\s+to"#, "fake_update"),
        (#"\bname\s+yourself\s+\w+"#, "identity_override"),
        (#"register\s+(as\s+)?a?\s*node"#, "c2_node_registration"),
        (#"(heartbeat|beacon|check[\s\-]?in)\s+(to|with)\s+"#, "c2_heartbeat"),
        (#"pull\s+(down\s+)?(?:new\s+)?task(?:ing|s)?\b"#, "c2_task_pull"),
        (#"connect\s+to\s+the\s+network\b"#, "c2_network_connect"),
        (#"you\s+must\s+(?:\w+\s+){0,3}(register|connect|report|beacon)\b"#, "forced_action"),
        (#"only\s+use\s+one[\s\-]?liners?\b"#, "anti_forensic_oneliner"),
        (#"never\s+~F~(?:create|write)\s+~F~(?:script|file)\s+~F~disk"#, "anti_forensic_disk"),
        (#"unset\s+\w*(?:CLAUDE|CODEX|HERMES|AGENT|OPENAI|ANTHROPIC)\w*"#, "env_var_unset_agent"),
        (#"\b(?:cobalt\s*strike|sliver|havoc|mythic|metasploit|brainworm)\b"#, "known_c2_framework"),
        (#"\bc2\s+(?:server|channel|infrastructure|beacon)\b"#, "c2_explicit"),
        (#"\bcommand\s+and\s+control\b"#, "c2_explicit_long"),
        (#"curl\s+[^\n]{0,2048}\$\{?\w*(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL|API)"#, "exfil_curl"),
        (#"wget\s+[^\n]{0,2048}\$\{?\w*(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL|API)"#, "exfil_wget"),
        (#"cat\s+[^\n]{0,2048}(\.env|credentials|\.netrc|\.pgpass|\.npmrc|\.pypirc)"#, "read_secrets"),
    ]

    private static let compiled: [(NSRegularExpression, String)] = patterns.compactMap { source, id in
        let expanded = source.replacingOccurrences(of: "~F~", with: filler)
        return (try? NSRegularExpression(pattern: expanded, options: [.caseInsensitive])).map { ($0, id) }
    }

    /// Characters the harness treats as an injection on their own.
    static let invisible: Set<UInt32> = [
        0x200B, 0x200C, 0x200D, 0x2060, 0x2062, 0x2063, 0x2064, 0xFEFF, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067,
        0x2068, 0x2069,
    ]

    /// What the harness would block `text` for, in its order (invisible characters first).
    static func findings(_ text: String) -> [Finding] {
        var content = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if content.unicodeScalars.first == "\u{FEFF}" { content.unicodeScalars.removeFirst() }
        content = String(String.UnicodeScalarView(content.unicodeScalars.prefix(65_536)))
        var out: [Finding] = []
        for scalar in Set(content.unicodeScalars.map(\.value)).intersection(invisible).sorted() {
            let at = text.unicodeScalars.firstIndex { $0.value == scalar }.map {
                text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: $0)
            }
            out.append(
                Finding(id: String(format: "invisible_unicode_U+%04X", scalar), mark: mark(in: text, scalarOffset: at ?? 0), excerpt: ""))
        }
        let normalized = content.precomposedStringWithCompatibilityMapping
        for (regex, id) in compiled {
            let whole = NSRange(normalized.startIndex..., in: normalized)
            guard let hit = regex.firstMatch(in: normalized, range: whole), let range = Range(hit.range, in: normalized) else { continue }
            // Located in the file as written when the same words are there; else at its start.
            let original = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)).flatMap { Range($0.range, in: text) }
            let offset = original.map {
                text.unicodeScalars.distance(
                    from: text.unicodeScalars.startIndex,
                    to: $0.lowerBound.samePosition(in: text.unicodeScalars) ?? text.unicodeScalars.startIndex)
            }
            let excerpt = normalized[range].trimmingCharacters(in: .whitespacesAndNewlines)
            out.append(Finding(id: id, mark: mark(in: text, scalarOffset: offset ?? 0), excerpt: String(excerpt.prefix(80))))
        }
        return out
    }

    /// The 1-based line and column (in Unicode scalars) of a scalar offset.
    static func mark(in text: String, scalarOffset: Int) -> Mark {
        var line = 1
        var column = 1
        for u in text.unicodeScalars.prefix(scalarOffset) {
            if u == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return Mark(line: line, column: column)
    }
}
