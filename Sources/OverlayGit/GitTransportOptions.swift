import Foundation

/// How a mirror reaches its remote: SSH identity and host keys, and a bound on what a fetch
/// may download.
public struct GitTransportOptions: Sendable, Equatable {
    /// The private key for SSH remotes. Nil: the SSH agent (`$SSH_AUTH_SOCK`), then
    /// `~/.ssh/id_ed25519`, `id_ecdsa`, `id_rsa` (without a passphrase), in that order.
    public var sshPrivateKey: String?
    /// known_hosts files that may vouch for an SSH host key, besides `~/.ssh/known_hosts`
    /// (which libgit2 reads itself). Looked up with `ssh-keygen -F`, so hashed entries and
    /// `[host]:port` entries work.
    public var knownHostsFiles: [String]
    /// A fetch that receives more than this many bytes is stopped (a hostile or runaway remote).
    public var maxFetchBytes: Int
    /// `ssh-keygen`, for the known_hosts look-up.
    public var sshKeygen: String

    /// Defaults: agent or default keys, the user's and the system's known_hosts, 1 GiB.
    public init(
        sshPrivateKey: String? = nil, knownHostsFiles: [String] = [], maxFetchBytes: Int = 1 << 30,
        sshKeygen: String = "/usr/bin/ssh-keygen"
    ) {
        self.sshPrivateKey = sshPrivateKey
        self.knownHostsFiles = knownHostsFiles
        self.maxFetchBytes = maxFetchBytes
        self.sshKeygen = sshKeygen
    }

    /// The known_hosts files consulted: the given ones, then the user's and the system's.
    var allKnownHostsFiles: [String] {
        knownHostsFiles + [NSHomeDirectory() + "/.ssh/known_hosts", "/etc/ssh/ssh_known_hosts"]
    }

    /// The keys tried, in order, when no key is given.
    var defaultKeys: [String] {
        ["id_ed25519", "id_ecdsa", "id_rsa"].map { NSHomeDirectory() + "/.ssh/" + $0 }
            .filter { FileManager.default.isReadableFile(atPath: $0) }
    }
}
