/// Type rules for the variables that decide how and where overlay connects (and the
/// other overlay variables whose type is fixed).
enum ConnectionVariableRule {
    /// Variables that must be strings, with what they are for.
    static let stringVariables: [String: String] = [
        "ansible_host": "the address to connect to",
        "ansible_user": "the SSH user",
        "ansible_ssh_private_key_file": "the SSH key path",
        "overlay_home": "what `~` means on the host",
        "overlay_state_dir": "where overlay keeps generations on the host",
    ]

    /// The problem with one definition, if it has one.
    ///
    /// Any `ansible_connection` is valid inventory data (network_cli, winrm, docker …):
    /// `converge` refuses a host whose transport it lacks, that host alone.
    static func check(_ def: VariableDefinition) -> Diagnostic? {
        func problem(_ message: String) -> Diagnostic {
            Diagnostic(file: def.file, at: def.valueNode.mark, rule: "inventory.connection-type", message)
        }
        // Asked only for the few names that allow a template (this runs on every definition).
        var templated: Bool { def.value.stringValue.map(ConnectionVariableRule.isTemplated) ?? false }
        // The name decides first: a value is resolved only for the names checked here.
        let connects = def.name == "ansible_connection" || def.name == "ansible_port" || stringVariables[def.name] != nil
        guard connects || def.name == "golden_state_providers" || def.name == "overlay_crontab" else { return nil }
        if connects, def.value.vaultCiphertext != nil {
            return problem(
                "\(def.name) is vault-encrypted (!vault); overlay never decrypts Ansible Vault and needs it in clear to reach the host — write it unencrypted"
            )
        }
        switch def.name {
        case "ansible_connection":
            guard def.value.stringValue == nil else { return nil }
            return problem("ansible_connection must be a string such as 'local' or 'ssh', not a \(def.value.typeName)")
        case "ansible_port":
            switch def.value {
            case .int(let p) where (1...65535).contains(p): return nil
            case .string(let s) where templated || Int(s).map({ (1...65535).contains($0) }) == true: return nil
            default:
                return problem(
                    "ansible_port must be a port number from 1 to 65535, not \(def.value.typeName == "integer" ? "\(def.value.renderedText)" : "a \(def.value.typeName)")"
                )
            }
        case "golden_state_providers":
            if case .array(let items) = def.value, items.allSatisfy({ $0.stringValue != nil }) { return nil }
            return Diagnostic(
                file: def.file, at: def.valueNode.mark, rule: "inventory.var-type",
                "golden_state_providers must be a list of provider names, e.g. [custom, ollama], not a \(def.value.typeName)")
        case "overlay_crontab":
            guard def.value.stringValue == nil else { return nil }
            return Diagnostic(
                file: def.file, at: def.valueNode.mark, rule: "inventory.var-type",
                "overlay_crontab must be 'user' or 'file:PATH', not a \(def.value.typeName)")
        default:
            guard let purpose = stringVariables[def.name], def.value.stringValue == nil else { return nil }
            return problem("\(def.name) (\(purpose)) must be a string, not a \(def.value.typeName); quote the value")
        }
    }

    /// True when `text` holds a Jinja expression (`{{`), checked byte by byte.
    static func isTemplated(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "{"), previous == byte { return true }
            previous = byte
        }
        return false
    }
}
