import Foundation
import OverlayCore

/// How converge reaches a host, from its connection vars (SPEC §2.4, Ansible's names).
enum HostConnection: Equatable {
    /// In this process, with the host's `overlay_home` and `overlay_state_dir`.
    case local
    /// The system OpenSSH client; the rendered bundle goes to `overlay apply --bundle -` there.
    case ssh(SSHTarget)

    /// `ansible_connection` (`local` or `ssh`); without it, Ansible's default: `ssh`, except
    /// for a host named `localhost`.
    static func of(host: String, vars: Value) throws(CommandFailure) -> HostConnection {
        let kind = vars["ansible_connection"]?.stringValue ?? (host == "localhost" ? "local" : "ssh")
        switch kind {
        case "local": return .local
        case "ssh", "smart", "paramiko": return .ssh(try SSHTarget(host: host, vars: vars))
        default:
            throw CommandFailure(
                description: "host '\(host)': ansible_connection '\(kind)' is not supported; use 'local' or 'ssh'")
        }
    }
}

/// Where and as whom to reach a host over SSH, and how to run overlay there.
struct SSHTarget: Equatable {
    var address: String
    var port: Int?
    var user: String?
    var keyFile: String?
    /// `ansible_ssh_common_args` and `ansible_ssh_extra_args`, split on spaces.
    var extraArguments: [String] = []
    /// The overlay command on the host (`overlay_bin`, default `overlay` on its PATH).
    var overlayCommand = "overlay"

    init(host: String, vars: Value) throws(CommandFailure) {
        address = vars["ansible_host"]?.stringValue ?? host
        user = vars["ansible_user"]?.stringValue
        keyFile = vars["ansible_ssh_private_key_file"]?.stringValue
        if let raw = vars["ansible_port"] {
            let number: Int? = if case .int(let i) = raw { i } else { raw.stringValue.flatMap { Int($0) } }
            guard let port = number, (1...65535).contains(port) else {
                throw CommandFailure(description: "host '\(host)': ansible_port must be a port number (1-65535)")
            }
            self.port = port
        }
        for key in ["ansible_ssh_common_args", "ansible_ssh_extra_args"] {
            if let args = vars[key]?.stringValue {
                guard let words = ShellWords.split(args) else {
                    throw CommandFailure(description: "host '\(host)': \(key) has an unclosed quote")
                }
                extraArguments += words
            }
        }
        if let command = vars["overlay_bin"]?.stringValue { overlayCommand = command }
    }

    /// The `ssh` arguments that run `command` (one shell string) on the host: no prompts
    /// (BatchMode), and one reused connection per host for the run (`controlDir`).
    /// `control` is a control request (`-O exit`) instead of a command.
    func arguments(controlDir: String, command: String? = nil, control: String? = nil) -> [String] {
        var args = [
            "-o", "BatchMode=yes", "-o", "ConnectTimeout=15", "-o", "ControlMaster=auto",
            "-o", "ControlPath=\(controlDir)/%C", "-o", "ControlPersist=60",
            // A peer that vanishes mid-apply is noticed in about a minute, not at the time limit.
            "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4",
        ]
        if let port { args += ["-p", String(port)] }
        if let user { args += ["-l", user] }
        if let keyFile { args += ["-i", keyFile, "-o", "IdentitiesOnly=yes"] }
        if let control { args += ["-O", control] }
        return args + extraArguments + ["--", address] + (command.map { [$0] } ?? [])
    }

    /// How the target is named in messages.
    var shown: String { (user.map { $0 + "@" } ?? "") + address + (port.map { ":\($0)" } ?? "") }
}
