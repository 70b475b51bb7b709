/// A whole file encrypted with `ansible-vault encrypt`: its text is the vault envelope
/// (`$ANSIBLE_VAULT;1.1;AES256` and hex lines), which YAML reads as one string.
///
/// overlay never decrypts Ansible Vault, and Ansible itself refuses such a file without
/// the vault password, so it is an error that says what the file is.
enum VaultFile {
    /// The vault envelope's first bytes.
    static let header = "$ANSIBLE_VAULT;"

    /// The error for a document whose root is a vault envelope, else nil.
    static func problem(_ root: Node, file: String, what: String) -> Diagnostic? {
        guard let text = root.scalarText, !root.isTagged,
            text.drop(while: { $0 == " " || $0 == "\n" }).hasPrefix(header)
        else { return nil }
        return Diagnostic(
            file: file, at: root.mark, rule: "inventory.vault-encrypted",
            "this \(what) is encrypted with Ansible Vault; overlay never decrypts vault data (Ansible too refuses it without the vault password) — decrypt the file, or encrypt only the secret values with 'ansible-vault encrypt_string' (overlay keeps those as opaque !vault values)"
        )
    }
}
