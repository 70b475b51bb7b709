import Foundation
import OverlayRuntime

/// An SSH host key looked up in known_hosts files the way OpenSSH does it: `ssh-keygen -F`
/// finds hashed names and `[host]:port` entries; the key blob is compared here.
struct KnownHosts {
    /// What the files say about one host key.
    enum Verdict: Equatable {
        case match, mismatch, revoked, unknown
    }

    let files: [String]
    let sshKeygen: String

    /// Whether `keyBase64` (the host key blob, base64) is known for `host` on `port`.
    func check(host: String, port: Int, keyBase64: String) -> Verdict {
        let name = port == 22 ? host : "[\(host)]:\(port)"
        var sawHost = false
        var matched = false
        for file in files where FileManager.default.isReadableFile(atPath: file) {
            var child = ChildProcess(sshKeygen, ["-F", name, "-f", file])
            child.timeout = .seconds(10)
            guard let result = try? child.run(), result.status == 0 else { continue }
            for line in String(decoding: result.output, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
                var fields = line.split(separator: " ", omittingEmptySubsequences: true)
                let marker = fields.first?.hasPrefix("@") == true ? fields.removeFirst() : nil
                guard fields.count >= 3, marker != "@cert-authority" else { continue }
                sawHost = true
                guard fields[2] == keyBase64 else { continue }
                // A revocation anywhere wins over a match elsewhere, as in OpenSSH.
                if marker == "@revoked" { return .revoked }
                matched = true
            }
        }
        return matched ? .match : sawHost ? .mismatch : .unknown
    }
}
