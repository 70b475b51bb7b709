/// How overlay reaches a host, from Ansible's connection variables.
public enum HostConnection: Sendable, Equatable {
    /// In process on this machine (`ansible_connection: local`).
    case local
    /// Through the system OpenSSH client.
    case ssh(SSHTarget)

    /// Where and as whom to connect over SSH.
    public struct SSHTarget: Sendable, Equatable {
        /// `ansible_host`, else the inventory name.
        public var host: String
        /// `ansible_port`, when set.
        public var port: Int?
        /// `ansible_user`, when set.
        public var user: String?
        /// `ansible_ssh_private_key_file`, when set.
        public var keyFile: String?

        /// Creates a target.
        public init(host: String, port: Int? = nil, user: String? = nil, keyFile: String? = nil) {
            self.host = host
            self.port = port
            self.user = user
            self.keyFile = keyFile
        }
    }

    /// The connection Ansible would use for `name` with resolved variables `vars`
    /// (ssh unless `ansible_connection` says `local`, as for any inventory host).
    public init(host name: String, vars: HostVariables) {
        if vars["ansible_connection"]?.value.stringValue == "local" {
            self = .local
            return
        }
        var port: Int?
        switch vars["ansible_port"]?.value {
        case .int(let p): port = p
        case .string(let s): port = Int(s)
        default: port = nil
        }
        self = .ssh(
            SSHTarget(
                host: vars["ansible_host"]?.value.stringValue ?? name, port: port,
                user: vars["ansible_user"]?.value.stringValue,
                keyFile: vars["ansible_ssh_private_key_file"]?.value.stringValue))
    }
}
