/// POSIX shell words: quoting a word for a remote command, and splitting an option string
/// the way Ansible's `ansible_ssh_common_args` is split (shlex).
public enum ShellWords {
    /// `word` in single quotes, safe anywhere in a `/bin/sh` command line.
    public static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// Splits on blanks outside quotes; `'…'` is literal, `"…"` and bare words honour `\\`.
    /// Nil when a quote is left open.
    public static func split(_ text: String) -> [String]? {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for c in text {
            if escaped {
                word.append(c)
                escaped = false
            } else if let q = quote {
                if c == q {
                    quote = nil
                } else if c == "\\" && q == "\"" {
                    escaped = true
                } else {
                    word.append(c)
                }
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c == "\\" {
                escaped = true
                inWord = true
            } else if c == " " || c == "\t" || c == "\n" {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(c)
                inWord = true
            }
        }
        guard quote == nil && !escaped else { return nil }
        if inWord { words.append(word) }
        return words
    }
}
