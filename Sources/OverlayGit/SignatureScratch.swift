import Foundation

/// The signature in a private temp folder for `ssh-keygen -s`, removed after the check.
struct SignatureScratch {
    let folder: String
    var path: String { folder + "/commit.sig" }

    init(_ signature: Data, commit: String) throws(SignatureError) {
        var template = Array((FileManager.default.temporaryDirectory.path + "/overlay-sig-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw .verifierFailed(commit: commit, reason: "cannot create a temp folder: \(String(cString: strerror(errno)))")
        }
        folder = String(cString: made)
        guard FileManager.default.createFile(atPath: folder + "/commit.sig", contents: signature, attributes: [.posixPermissions: 0o600])
        else {
            remove()
            throw .verifierFailed(commit: commit, reason: "cannot write the signature to \(folder)")
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }
}
