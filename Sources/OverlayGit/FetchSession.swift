import CLibgit2
import Foundation

/// The state libgit2's callbacks see during one fetch: the options, which credentials were
/// tried, and why the fetch was stopped when a callback stopped it.
///
/// libgit2 calls back on the fetching thread only, so this needs no lock.
final class FetchSession {
    let remote: GitRemote
    let options: GitTransportOptions
    /// Why a callback refused, in words for the error (libgit2's own message is generic).
    var refusal: String?
    private var keysTried: [String] = []
    private var triedAgent = false

    init(remote: GitRemote, options: GitTransportOptions) {
        self.remote = remote
        self.options = options
    }

    /// Fetch options with callbacks bound to this session (valid while `body` runs).
    func withFetchOptions<R>(_ body: (UnsafePointer<git_fetch_options>) -> R) -> R {
        var opts = git_fetch_options()
        git_fetch_options_init(&opts, UInt32(GIT_FETCH_OPTIONS_VERSION))
        opts.prune = GIT_FETCH_PRUNE
        opts.update_fetchhead = 0
        opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        opts.callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        opts.callbacks.transfer_progress = { stats, payload in
            guard let stats, let payload else { return 0 }
            return FetchSession.from(payload).checkSize(received: Int(stats.pointee.received_bytes))
        }
        opts.callbacks.credentials = { out, url, user, allowed, payload in
            guard let out, let payload else { return GIT_PASSTHROUGH.rawValue }
            return FetchSession.from(payload).credential(out, user: user.map { String(cString: $0) }, allowed: allowed)
        }
        opts.callbacks.certificate_check = { cert, valid, host, payload in
            guard let cert, let payload else { return GIT_PASSTHROUGH.rawValue }
            return FetchSession.from(payload).checkCertificate(cert, valid: valid != 0, host: host.map { String(cString: $0) })
        }
        return withExtendedLifetime(self) { body(&opts) }
    }

    private static func from(_ payload: UnsafeMutableRawPointer) -> FetchSession {
        Unmanaged<FetchSession>.fromOpaque(payload).takeUnretainedValue()
    }

    private func checkSize(received: Int) -> Int32 {
        guard received > options.maxFetchBytes else { return 0 }
        refusal = "the remote sent more than \(options.maxFetchBytes) bytes (the fetch limit); stopped"
        return -1
    }

    /// SSH credentials: the configured key, else the agent, else the default keys; each once.
    private func credential(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, user: String?, allowed: UInt32) -> Int32 {
        let name = user ?? ProcessInfo.processInfo.userName
        if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
            return git_credential_username_new(out, name)
        }
        guard allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 else { return GIT_PASSTHROUGH.rawValue }
        let keys = options.sshPrivateKey.map { [$0] } ?? options.defaultKeys
        if options.sshPrivateKey == nil, !triedAgent, ProcessInfo.processInfo.environment["SSH_AUTH_SOCK"] != nil {
            triedAgent = true
            return git_credential_ssh_key_from_agent(out, name)
        }
        guard let key = keys.first(where: { !keysTried.contains($0) }) else {
            let tried = (triedAgent ? ["the SSH agent"] : []) + keysTried
            refusal =
                tried.isEmpty
                ? "no SSH key to offer (no agent, no ~/.ssh/id_* key); pass a key"
                : "SSH authentication as \(name) failed with \(tried.joined(separator: ", "))"
            return GIT_EAUTH.rawValue
        }
        keysTried.append(key)
        let publicKey = FileManager.default.fileExists(atPath: key + ".pub") ? key + ".pub" : nil
        return git_credential_ssh_key_new(out, name, publicKey, key, nil)
    }

    /// HTTPS certificates are libgit2's decision; an SSH host key libgit2 could not vouch for
    /// (it reads only `~/.ssh/known_hosts`, and not every entry form) is looked up with
    /// `ssh-keygen -F` in the configured known_hosts files.
    private func checkCertificate(_ cert: UnsafeMutablePointer<git_cert>, valid: Bool, host: String?) -> Int32 {
        guard cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else { return GIT_PASSTHROUGH.rawValue }
        if valid { return 0 }
        let key = cert.withMemoryRebound(to: git_cert_hostkey.self, capacity: 1) { $0.pointee }
        guard key.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = key.hostkey, let host else {
            refusal = "the SSH host key of \(host ?? "the remote") could not be read"
            return GIT_ECERTIFICATE.rawValue
        }
        let blob = Data(bytes: raw, count: key.hostkey_len).base64EncodedString()
        let port = remote.sshEndpoint?.port ?? 22
        let lookup = KnownHosts(files: options.allKnownHostsFiles, sshKeygen: options.sshKeygen)
        switch lookup.check(host: host, port: port, keyBase64: blob) {
        case .match: return 0
        case .revoked:
            refusal = "the SSH host key of \(host) is marked @revoked in known_hosts; refusing"
        case .mismatch:
            refusal = "the SSH host key of \(host) does NOT match known_hosts (possible man-in-the-middle); refusing"
        case .unknown:
            refusal =
                "the SSH host key of \(host) is not in known_hosts (\(options.allKnownHostsFiles.joined(separator: ", "))); add it (ssh-keyscan) after checking its fingerprint"
        }
        return GIT_ECERTIFICATE.rawValue
    }
}
