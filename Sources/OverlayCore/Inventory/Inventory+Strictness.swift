extension Inventory {
    /// Rules that `validate` (and so `apply` and `converge`) enforce because overlay needs
    /// them, where Ansible only warns or does not look: a duplicate key, a connection
    /// variable of the wrong type, a host name that cannot stand in a crontab marker.
    public static let rulesStricterThanAnsible: Set<String> = [
        "yaml.duplicate-key", "inventory.connection-type", "inventory.var-type", "inventory.host-name",
    ]

    /// `diagnostics` as `overlay inventory` reports them: it refuses no more than
    /// ansible-inventory does, so the stricter rules are warnings there.
    public static func asAnsibleReadsThem(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.map { d in
            guard d.severity == .error, rulesStricterThanAnsible.contains(d.rule) else { return d }
            var d = d
            d.severity = .warning
            d.message += " (an error in 'overlay validate'; ansible-inventory accepts it)"
            return d
        }
    }
}
