/// `${secret:NAME}` is resolved only in templates: anywhere a command is written (a cron
/// command or env value, a handler's `run`, the deadman's `restart` and `alert`, a job step's
/// `run`), it would reach `/bin/sh` as written — never resolved, and a "Bad substitution".
enum SecretPlacement {
    /// The first secret reference in `text`: its name and the offset of its `$` in Unicode scalars.
    static func first(in text: String) -> (name: String, offset: Int)? {
        guard let ref = SecretResolver.references(in: text).first else { return nil }
        let index = text.index(text.startIndex, offsetBy: ref.offset)
        return (ref.name, text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: index))
    }

    /// The diagnostic for a secret reference in `text`, the value of `node`; `what` names the
    /// field ("the command", "handler 'x' run"); `host` is set when a host's variable put it there.
    static func diagnostic(
        _ text: String, node: Node, what: String, rule: String, file: String, host: String? = nil
    ) -> Diagnostic? {
        guard let (name, offset) = first(in: text) else { return nil }
        let origin = host.map { " once rendered for host '\($0)' (a variable's value brings it)" } ?? ""
        let mark = host == nil ? CronText.mark(of: offset, in: node) : node.mark
        return Diagnostic(
            file: file, at: mark, rule: rule,
            "\(what) contains ${secret:\(name)}\(origin), but secrets are resolved only in templates (template: entries of \(GoldenStateFile.path)); here it would reach the shell as written (/bin/sh: Bad substitution) — render the secret into a file with a template and have the command read that file, or read $OVERLAY_SECRETS_DIR/\(name) in the command itself"
        )
    }
}
