/// How overlay reaches an inventory host, from Ansible's connection variables (SPEC §2.4).
///
/// The one connection model: `converge` picks its transport from it, and the inventory check
/// (`ConnectionVariableRule`) types the same variables.
public enum HostConnection: Sendable, Equatable {
    /// In process on this machine, with the host's `overlay_home` and `overlay_state_dir`.
    case local
    /// The system OpenSSH client; the rendered bundle goes to `overlay apply --bundle -` there.
    case ssh(SSHTarget)

    /// Ansible's names for the SSH transport (`smart` picks ssh; overlay has no paramiko, and
    /// the system client does the same job).
    public static let sshNames: Set<String> = ["ssh", "smart", "paramiko"]

    /// The transport for `host` with resolved variables `vars`: `ansible_connection`, else
    /// Ansible's default — ssh, except for a host named `localhost`.
    public static func of(host: String, vars: Value) throws(ConnectionError) -> HostConnection {
        let kind = vars["ansible_connection"]?.stringValue ?? (host == "localhost" ? "local" : "ssh")
        if kind == "local" { return .local }
        guard sshNames.contains(kind) else { throw .unsupported(host: host, connection: kind) }
        return .ssh(try SSHTarget(host: host, vars: vars))
    }
}

/// Why a host's connection variables cannot be used.
public enum ConnectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `ansible_connection` names a transport overlay does not have (`winrm`, `network_cli`, …).
    case unsupported(host: String, connection: String)
    /// `ansible_port` is not a port number.
    case badPort(host: String)
    /// `ansible_ssh_common_args` / `ansible_ssh_extra_args` leave a quote open.
    case unclosedQuote(host: String, variable: String)

    public var description: String {
        switch self {
        case .unsupported(let host, let connection):
            return "host '\(host)': ansible_connection '\(connection)' is not supported; use 'local' or 'ssh'"
        case .badPort(let host):
            return "host '\(host)': ansible_port must be a port number (1-65535)"
        case .unclosedQuote(let host, let variable):
            return "host '\(host)': \(variable) has an unclosed quote"
        }
    }
}

/// Where and as whom to reach a host over SSH, and how to run overlay there.
public struct SSHTarget: Sendable, Equatable {
    /// `ansible_host`, else the inventory name.
    public var address: String
    /// `ansible_port`, when set.
    public var port: Int?
    /// `ansible_user`, when set.
    public var user: String?
    /// `ansible_ssh_private_key_file`, when set.
    public var keyFile: String?
    /// `ansible_ssh_common_args` and `ansible_ssh_extra_args`, split as a shell splits them.
    public var extraArguments: [String] = []
    /// The overlay command on the host (`overlay_bin`, default `overlay` on its PATH).
    public var overlayCommand = "overlay"

    /// The target Ansible would connect to for `host` with resolved variables `vars`.
    public init(host: String, vars: Value) throws(ConnectionError) {
        address = vars["ansible_host"]?.stringValue ?? host
        user = vars["ansible_user"]?.stringValue
        keyFile = vars["ansible_ssh_private_key_file"]?.stringValue
        if let raw = vars["ansible_port"] {
            let number: Int? = if case .int(let i) = raw { i } else { raw.stringValue.flatMap { Int($0) } }
            guard let port = number, (1...65535).contains(port) else { throw .badPort(host: host) }
            self.port = port
        }
        for key in ["ansible_ssh_common_args", "ansible_ssh_extra_args"] {
            if let args = vars[key]?.stringValue {
                guard let words = ShellWords.split(args) else { throw .unclosedQuote(host: host, variable: key) }
                extraArguments += words
            }
        }
        if let command = vars["overlay_bin"]?.stringValue { overlayCommand = command }
    }

    /// How the target is named in messages: `user@address:port`.
    public var shown: String { (user.map { $0 + "@" } ?? "") + address + (port.map { ":\($0)" } ?? "") }
}
