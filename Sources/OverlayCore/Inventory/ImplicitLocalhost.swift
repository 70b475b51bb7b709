import Foundation

/// Ansible's implicit localhost: a pattern naming `localhost`, `127.0.0.1` or `::1`
/// that matches no inventory host gets a host of that name anyway, connected locally,
/// with the inline vars of `all`, `group_vars/all` and its own `host_vars/` file. It is
/// in no group (so `all` never selects it) and `--list` does not show it.
enum ImplicitLocalhost {
    /// The names Ansible creates an implicit host for (constants.LOCALHOST).
    static let names = ["localhost", "127.0.0.1", "::1"]

    /// The variables Ansible sets on the implicit host, at the level of inline host vars.
    static func definitions(file: String) -> [VariableDefinition] {
        let at = Node.scalar("")
        return [
            VariableDefinition(name: "ansible_connection", value: .string("local"), file: file, keyNode: at, valueNode: at),
            VariableDefinition(
                name: "ansible_python_interpreter", value: .string(ControllerPython.path), file: file, keyNode: at, valueNode: at),
        ]
    }
}

/// The Python that runs Ansible on this machine (its `sys.executable`), which Ansible
/// gives the implicit localhost as `ansible_python_interpreter`.
///
/// Found the way the shell finds `python3`: the first on `PATH`, where a pyenv shim
/// stands for the version pyenv selects (`PYENV_VERSION`, else `$PYENV_ROOT/version`).
/// Read once from the environment, like the inventory files themselves.
enum ControllerPython {
    static let path: String = find(environment: ProcessInfo.processInfo.environment)

    static func find(environment: [String: String]) -> String {
        let fm = FileManager.default
        for dir in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/python3"
            guard fm.isExecutableFile(atPath: candidate) else { continue }
            guard dir.hasSuffix("/shims"), dir.contains("pyenv") else { return candidate }
            let root = environment["PYENV_ROOT"] ?? String(dir.dropLast("/shims".count))
            let chosen =
                environment["PYENV_VERSION"]
                ?? (try? String(contentsOfFile: root + "/version", encoding: .utf8))?.split(whereSeparator: \.isNewline).first.map(
                    String.init)
            guard let version = chosen?.trimmingCharacters(in: .whitespaces), version != "system" else { continue }
            let real = "\(root)/versions/\(version)/bin/python3"
            if fm.isExecutableFile(atPath: real) { return real }
        }
        return "/usr/bin/python3"
    }
}
