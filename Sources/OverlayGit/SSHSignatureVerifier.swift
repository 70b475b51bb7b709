import Foundation
import OverlayRuntime

/// Checks a commit's SSH signature (git's `gpg.format ssh`) the way `git verify-commit`
/// does: `ssh-keygen -Y find-principals` names the signer from the allowed-signers file,
/// then `ssh-keygen -Y verify -n git` checks the signed payload as that principal, both at
/// the committer's time (so `valid-after`/`valid-before` in the file apply).
public struct SSHSignatureVerifier: Sendable {
    /// The OpenSSH allowed-signers file (`ssh-keygen(1)`, ALLOWED SIGNERS).
    public var allowedSigners: String
    /// An optional OpenSSH key revocation list or file of revoked keys (`ssh-keygen -Y verify -r`).
    public var revocationFile: String?
    /// `ssh-keygen`.
    public var sshKeygen: String
    /// How long one `ssh-keygen` run may take.
    public var timeout: Duration

    public init(
        allowedSigners: String, revocationFile: String? = nil, sshKeygen: String = "/usr/bin/ssh-keygen",
        timeout: Duration = .seconds(10)
    ) {
        self.allowedSigners = allowedSigners
        self.revocationFile = revocationFile
        self.sshKeygen = sshKeygen
        self.timeout = timeout
    }

    /// Who signed `commit`, or why its signature (nil: none) is refused.
    public func verify(commit: String, signature: CommitSignature?) throws(SignatureError) -> VerifiedSignature {
        guard let signature else { throw .unsigned(commit: commit) }
        // An SSH signature is under 2 KB even for RSA-4096; a huge one is not a signature.
        guard signature.signature.count <= 64 << 10 else {
            throw .badSignature(
                commit: commit, reason: "the signature is \(signature.signature.count) bytes, far more than any SSH signature")
        }
        let armor = String(decoding: signature.signature.prefix(64), as: UTF8.self)
        guard armor.hasPrefix("-----BEGIN SSH SIGNATURE-----") else {
            let format = armor.hasPrefix("-----BEGIN PGP") ? "OpenPGP" : armor.hasPrefix("-----BEGIN SIGNED MESSAGE") ? "X.509" : "unknown"
            throw .unsupportedFormat(commit: commit, format: format)
        }
        do {
            _ = try FileHandle(forReadingFrom: URL(fileURLWithPath: allowedSigners)).close()
        } catch {
            throw .allowedSignersUnreadable(path: allowedSigners, reason: (error as NSError).localizedDescription)
        }
        let scratch = try SignatureScratch(signature.signature, commit: commit)
        defer { scratch.remove() }
        let time = "-Overify-time=" + Self.verifyTime(signature.committerTime)
        let found = try run(["-Y", "find-principals", "-f", allowedSigners, "-s", scratch.path, time], commit: commit)
        // One line per matching allowed-signers line; a line may list several principals.
        let principals = String(decoding: found.output, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "," })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard found.status == 0, !principals.isEmpty else {
            throw try unknownOrBad(commit: commit, scratch: scratch, payload: signature.payload)
        }
        var reasons: [String] = []
        for principal in principals {
            var args = ["-Y", "verify", "-f", allowedSigners, "-I", principal, "-n", "git", "-s", scratch.path, time]
            if let revocationFile { args += ["-r", revocationFile] }
            let result = try run(args, commit: commit, input: signature.payload)
            let said = Self.text(result.output + result.errors)
            if result.status == 0 { return VerifiedSignature(commit: commit, principal: principal, key: Self.keyDescription(said)) }
            reasons.append(said)
        }
        // The signature holds over the payload, yet the file does not allow it (namespace,
        // options): a refusal by the file, not a forgery.
        let reason = reasons.last ?? "ssh-keygen refused it"
        let check = try run(["-Y", "check-novalidate", "-n", "git", "-s", scratch.path], commit: commit, input: signature.payload)
        if check.status == 0 {
            throw .signerNotAllowed(commit: commit, principal: principals.joined(separator: ", "), reason: reason)
        }
        throw .badSignature(commit: commit, reason: reason)
    }

    /// A signature from no allowed signer: still well-formed over the payload (an unknown
    /// signer, named by its key), or not even that (bad).
    private func unknownOrBad(commit: String, scratch: SignatureScratch, payload: Data) throws(SignatureError) -> SignatureError {
        let check = try run(["-Y", "check-novalidate", "-n", "git", "-s", scratch.path], commit: commit, input: payload)
        let said = Self.text(check.output + check.errors)
        guard check.status == 0 else { return .badSignature(commit: commit, reason: said) }
        return .unknownSigner(commit: commit, key: Self.keyDescription(said), allowedSigners: allowedSigners)
    }

    private func run(_ args: [String], commit: String, input: Data? = nil) throws(SignatureError) -> ChildResult {
        var child = ChildProcess(
            sshKeygen, args, environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": NSHomeDirectory()], input: input)
        child.timeout = timeout
        child.outputLimit = 64 << 10
        let result: ChildResult
        do { result = try child.run() } catch { throw .verifierFailed(commit: commit, reason: error.description) }
        if result.timedOut { throw .verifierFailed(commit: commit, reason: "ssh-keygen took longer than \(timeout)") }
        return result
    }

    /// `ED25519 key SHA256:…` out of ssh-keygen's "Good … signature … with ED25519 key SHA256:…".
    static func keyDescription(_ text: String) -> String? {
        guard let with = text.range(of: " with ", options: .backwards) else { return nil }
        let key = text[with.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        return key.contains("SHA256:") ? key : nil
    }

    /// ssh-keygen's words, on one line, printable and short.
    static func text(_ data: Data) -> String {
        let lines = String(decoding: data.prefix(2048), as: UTF8.self).split(whereSeparator: \.isNewline)
        return CommitInfo.printable(lines.joined(separator: "; "), limit: 300)
    }

    /// `YYYYMMDDHHMMSSZ` in UTC, as `ssh-keygen -Overify-time` reads it.
    static func verifyTime(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMddHHmmss"
        return f.string(from: date) + "Z"
    }
}

/// Who signed a commit, once verified.
public struct VerifiedSignature: Sendable, Equatable {
    /// The commit's full id.
    public var commit: String
    /// The principal from the allowed-signers file (usually an email address).
    public var principal: String
    /// The key, as ssh-keygen names it (`ED25519 key SHA256:…`).
    public var key: String?
}
