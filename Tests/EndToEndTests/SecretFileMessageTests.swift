import Foundation
import Testing

/// A secret file that is there but cannot be used is reported as such — not as "not found …
/// put it in …", which sends the user looking for a file they can see.
@Suite struct SecretFileMessageTests {
    func apply(_ box: ApplySandbox, secrets: String, asNobody: Bool = false) throws -> OverlayResult {
        var env = box.env
        env["OVERLAY_SECRETS_DIR"] = secrets
        let args = ["apply", "--root", PackagePaths.root.path, "--host", "timmy"]
        guard asNobody else { return try runOverlay(args, env: env, timeout: 20) }
        return try runProcess(
            "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", PackagePaths.binary.path] + args, env: env,
            timeout: 20)
    }

    @Test func anUnreadableSecretFileSaysPermissionDenied() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let secrets = box.root.path + "/secrets"
        try FileManager.default.createDirectory(atPath: secrets, withIntermediateDirectories: true)
        try "key\n".write(toFile: secrets + "/MODEL_API_KEY", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: secrets + "/MODEL_API_KEY")
        // Root reads any file: drop to nobody for the run (its home and state must be its own).
        let root = getuid() == 0
        if root {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
            for dir in [box.root.path, box.home, secrets] {
                try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: dir)
            }
        }
        let r = try apply(box, secrets: secrets, asNobody: root)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("\(secrets)/MODEL_API_KEY: permission denied"), "\(r.stdout)\(r.stderr)")
        #expect(!r.stdout.contains("not found"), "\(r.stdout)")
    }

    @Test func aSecretThatIsAFolderOrAFIFOSaysWhatItIsAndDoesNotHang() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let secrets = box.root.path + "/secrets"
        try FileManager.default.createDirectory(atPath: secrets + "/MODEL_API_KEY", withIntermediateDirectories: true)
        let folder = try apply(box, secrets: secrets)
        #expect(folder.status == 1 && folder.stdout.contains("MODEL_API_KEY is a folder"), "\(folder.stdout)\(folder.stderr)")
        try FileManager.default.removeItem(atPath: secrets + "/MODEL_API_KEY")
        #expect(mkfifo(secrets + "/MODEL_API_KEY", 0o600) == 0)
        let start = Date()
        let fifo = try apply(box, secrets: secrets)
        #expect(Date().timeIntervalSince(start) < 15, "reading a FIFO would wait for a writer forever")
        #expect(fifo.status == 1 && fifo.stdout.contains("MODEL_API_KEY is a FIFO (named pipe), not a file"), "\(fifo.stdout)\(fifo.stderr)")
    }
}
