import Foundation
import OverlayRuntime
import Testing

@testable import OverlayGit

/// SSH-signed commits (git's `gpg.format ssh`) checked against an allowed-signers file, with
/// keys made by ssh-keygen in the test's folder and commits signed by the git CLI.
@Suite struct SignedCommitTests {
    /// A fixture with two keys: alice is an allowed signer, mallory is not.
    final class Signers {
        let f: GitFixture
        var alice: String { f.root + "/keys/alice" }
        var mallory: String { f.root + "/keys/mallory" }
        var allowed: String { f.root + "/keys/allowed_signers" }
        var mirror: GitMirror { GitMirror(remote: f.bare, path: f.mirrorPath) }
        var verifier: SSHSignatureVerifier { SSHSignatureVerifier(allowedSigners: allowed) }

        init() throws {
            f = try GitFixture()
            try FileManager.default.createDirectory(atPath: f.root + "/keys", withIntermediateDirectories: true)
            for key in [alice, mallory] {
                let r = try ChildProcess("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", key]).run()
                guard r.status == 0 else { throw FixtureError("ssh-keygen: \(String(decoding: r.errors, as: UTF8.self))") }
            }
            let alicePublic = try String(contentsOfFile: alice + ".pub", encoding: .utf8)
            try "alice@example.invalid namespaces=\"git\" \(alicePublic)".write(toFile: allowed, atomically: true, encoding: .utf8)
        }

        /// Commits and pushes `message`, signed with `key` (git -c gpg.format=ssh commit -S).
        func signedCommit(_ message: String, key: String) throws -> String {
            try f.write("f", Data((message + "\n").utf8))
            try f.git(["add", "-A"])
            try f.git(["-c", "gpg.format=ssh", "-c", "user.signingkey=\(key)", "commit", "-q", "-S", "-m", message])
            try f.git(["push", "-q", "origin", "HEAD:refs/heads/main"])
            return try f.git(["rev-parse", "HEAD"])
        }

        func verify(_ id: String) throws -> VerifiedSignature {
            _ = try mirror.fetch(ref: "main")
            return try verifier.verify(commit: id, signature: try mirror.signature(of: id))
        }

        func fingerprint(_ key: String) throws -> String {
            let r = try ChildProcess("/usr/bin/ssh-keygen", ["-l", "-f", key + ".pub"]).run()
            return String(decoding: r.output, as: UTF8.self).split(separator: " ")[1].description
        }
    }

    @Test func aCommitSignedByAnAllowedKeyVerifies() throws {
        let s = try Signers()
        defer { s.f.cleanup() }
        let id = try s.signedCommit("signed by alice", key: s.alice)
        let verified = try s.verify(id)
        #expect(verified.principal == "alice@example.invalid")
        #expect(verified.key?.contains(try s.fingerprint(s.alice)) == true)
        // git itself agrees, with the same allowed-signers file.
        try s.f.git(["-c", "gpg.ssh.allowedSignersFile=\(s.allowed)", "verify-commit", id], in: s.f.bare)
        let signature = try #require(try s.mirror.signature(of: id))
        #expect(String(decoding: signature.signature, as: UTF8.self).hasPrefix("-----BEGIN SSH SIGNATURE-----"))
        #expect(!String(decoding: signature.payload, as: UTF8.self).contains("gpgsig"))
    }

    @Test func anUnsignedCommitIsRefused() throws {
        let s = try Signers()
        defer { s.f.cleanup() }
        let id = try s.f.commit("not signed", ["f": "x\n"])
        let error = #expect(throws: SignatureError.unsigned(commit: id)) { try s.verify(id) }
        #expect(error?.description.contains("commit \(id.prefix(12)) is not signed") == true)
    }

    @Test func aCommitSignedByAnotherKeyIsRefusedNamingTheKey() throws {
        let s = try Signers()
        defer { s.f.cleanup() }
        let id = try s.signedCommit("signed by mallory", key: s.mallory)
        let error = #expect(throws: SignatureError.self) { try s.verify(id) }
        guard case .unknownSigner(let commit, let key, let file) = error else {
            Issue.record("expected unknownSigner, got \(String(describing: error))")
            return
        }
        #expect(commit == id && file == s.allowed)
        #expect(key?.contains(try s.fingerprint(s.mallory)) == true)
    }

    @Test func aCommitChangedAfterSigningHasABadSignature() throws {
        let s = try Signers()
        defer { s.f.cleanup() }
        let id = try s.signedCommit("deploy v1", key: s.alice)
        // The same signature over a different message: a forged commit object.
        let raw = try s.f.gitData(["cat-file", "commit", id], in: s.f.bare)
        let forged = String(decoding: raw, as: UTF8.self).replacingOccurrences(of: "deploy v1", with: "deploy evil")
        let forgedID = try s.f.git(["hash-object", "-t", "commit", "-w", "--stdin"], in: s.f.bare, input: Data(forged.utf8))
        try s.f.git(["update-ref", "refs/heads/main", forgedID], in: s.f.bare)
        let error = #expect(throws: SignatureError.self) { try s.verify(forgedID) }
        guard case .badSignature(let commit, _) = error else {
            Issue.record("expected badSignature, got \(String(describing: error))")
            return
        }
        #expect(commit == forgedID)
        #expect(error?.description.contains("BAD signature") == true)
    }

    @Test func aSignerOutsideItsValidityWindowIsRefused() throws {
        let s = try Signers()
        defer { s.f.cleanup() }
        let alicePublic = try String(contentsOfFile: s.alice + ".pub", encoding: .utf8)
        try "alice@example.invalid namespaces=\"git\",valid-before=\"20200101\" \(alicePublic)"
            .write(toFile: s.allowed, atomically: true, encoding: .utf8)
        let id = try s.signedCommit("too late", key: s.alice)
        let error = #expect(throws: SignatureError.self) { try s.verify(id) }
        guard case .unknownSigner = error else {
            Issue.record("expected unknownSigner, got \(String(describing: error))")
            return
        }
        // Inside the window (checked at the committer's time, not the verifier's): accepted.
        try "alice@example.invalid namespaces=\"git\",valid-after=\"20200101\" \(alicePublic)"
            .write(toFile: s.allowed, atomically: true, encoding: .utf8)
        #expect(try s.verify(id).principal == "alice@example.invalid")
    }

    @Test func aKeyAllowedForAnotherNamespaceIsRefused() throws {
        let s = try Signers()
        defer { s.f.cleanup() }
        let alicePublic = try String(contentsOfFile: s.alice + ".pub", encoding: .utf8)
        try "alice@example.invalid namespaces=\"file\" \(alicePublic)".write(toFile: s.allowed, atomically: true, encoding: .utf8)
        let id = try s.signedCommit("wrong namespace", key: s.alice)
        let error = #expect(throws: SignatureError.self) { try s.verify(id) }
        guard case .signerNotAllowed(let commit, let principal, let reason) = error else {
            Issue.record("expected signerNotAllowed, got \(String(describing: error))")
            return
        }
        #expect(commit == id && principal == "alice@example.invalid" && reason.contains("namespace"))
    }

    @Test func anOpenPGPSignatureIsNotCheckedButRefused() throws {
        let s = try Signers()
        defer { s.f.cleanup() }
        let plain = try s.f.commit("plain", ["f": "x\n"])
        let raw = String(decoding: try s.f.gitData(["cat-file", "commit", plain], in: s.f.bare), as: UTF8.self)
        let header = "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n"
        let signed = raw.replacingOccurrences(of: "\n\nplain", with: "\n" + header + "\nplain")
        let id = try s.f.git(["hash-object", "-t", "commit", "-w", "--stdin"], in: s.f.bare, input: Data(signed.utf8))
        try s.f.git(["update-ref", "refs/heads/main", id], in: s.f.bare)
        #expect(throws: SignatureError.unsupportedFormat(commit: id, format: "OpenPGP")) { try s.verify(id) }
    }

    @Test func aMissingAllowedSignersFileIsReported() throws {
        let s = try Signers()
        defer { s.f.cleanup() }
        let id = try s.signedCommit("signed", key: s.alice)
        try FileManager.default.removeItem(atPath: s.allowed)
        let error = #expect(throws: SignatureError.self) { try s.verify(id) }
        guard case .allowedSignersUnreadable(let path, _) = error else {
            Issue.record("expected allowedSignersUnreadable, got \(String(describing: error))")
            return
        }
        #expect(path == s.allowed)
    }
}
