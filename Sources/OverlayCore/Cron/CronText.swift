/// Checks on text that ends up on a crontab line: control characters and cron's `%`.
enum CronText {
    /// Reports a newline or NUL (`cron.newline`); returns true when one was found.
    static func checkControl(_ text: String, node: Node, what: String, file: String, into out: inout [Diagnostic]) -> Bool {
        // All three are single bytes in UTF-8: a text without them needs no scalar walk.
        guard UTF8Bytes.contains(text, where: { $0 == 0x0A || $0 == 0x0D || $0 == 0 }) else { return false }
        for (offset, c) in text.unicodeScalars.enumerated() where c == "\n" || c == "\r" || c == "\0" {
            let name = c == "\0" ? "a NUL byte" : (c == "\n" ? "a newline" : "a carriage return")
            out.append(
                Diagnostic(
                    file: file, at: mark(of: offset, in: node), rule: "cron.newline",
                    "the \(what) contains \(name); a crontab entry is one line, so the rest would become a separate crontab line (an injection) — put it on one line, or move multi-line logic into a script"
                ))
            return true
        }
        return false
    }

    /// Reports the first `%` that cron would turn into a newline (`cron.percent`).
    ///
    /// Vixie cron's do_command: a backslash escapes `%` and `\`; the first unescaped `%`
    /// ends the command and the rest becomes its standard input.
    static func checkPercent(_ command: String, node: Node, file: String, into out: inout [Diagnostic]) {
        guard UTF8Bytes.contains(command, where: { $0 == UInt8(ascii: "%") }) else { return }
        var escaped = false
        for (offset, c) in command.unicodeScalars.enumerated() {
            if escaped {
                escaped = false
                continue
            }
            if c == "\\" {
                escaped = true
            } else if c == "%" {
                out.append(
                    Diagnostic(
                        file: file, at: mark(of: offset, in: node), rule: "cron.percent",
                        "cron turns an unescaped '%' in a command into a newline and feeds the rest to the command's stdin; write '\\%' for a literal percent sign (e.g. date +\\%F)"
                    ))
                return
            }
        }
    }

    /// False when `text` cannot hold a `${secret:NAME}` reference (its bytes never spell
    /// `${secret:`), so the reference search need not run.
    static func mayReferenceSecret(_ text: String) -> Bool {
        UTF8Bytes.with(text) { bytes in
            let needle: StaticString = "${secret:"
            let m = needle.utf8CodeUnitCount
            guard bytes.count >= m else { return false }
            for i in 0...(bytes.count - m) where bytes[i] == UInt8(ascii: "$") {
                var k = 1
                while k < m && bytes[i + k] == needle.utf8Start[k] { k += 1 }
                if k == m { return true }
            }
            return false
        }
    }

    /// False when the bytes of `text` never spell `{{` (so Foundation's `contains("{{")`,
    /// which needs those bytes, is false too and need not run).
    static func mayContainTemplate(_ text: String) -> Bool {
        UTF8Bytes.with(text) { bytes in
            var previous: UInt8 = 0
            for b in bytes {
                if b == UInt8(ascii: "{") && previous == b { return true }
                previous = b
            }
            return false
        }
    }

    /// The position of a character of a single-line scalar (the node's mark for block scalars).
    static func mark(of offset: Int, in node: Node) -> Mark {
        guard case .scalar(let text, let style) = node.kind, style != .literal, style != .folded,
            !text.unicodeScalars.prefix(offset).contains("\n")
        else { return node.mark }
        return Mark(line: node.mark.line, column: node.mark.column + offset + CronJobReader.quoteShift(node))
    }
}
