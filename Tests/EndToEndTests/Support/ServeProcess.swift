import Foundation

/// A running `overlay serve` for end-to-end tests: started with a pull fixture's environment,
/// its port read from its `listening HOST:PORT` line, stopped by pid.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let stderrPath: String

    /// Starts `overlay serve --listen 127.0.0.1:0 --secret-file SECRET --repo ORIGIN` plus `extra`.
    init(_ fixture: PullFixture, secretFile: String, repo: String? = nil, extra: [String] = []) throws {
        process.executableURL = PackagePaths.binary
        process.arguments =
            ["serve", "--listen", "127.0.0.1:0", "--secret-file", secretFile, "--repo", repo ?? fixture.origin] + extra
        var env = ProcessInfo.processInfo.environment
        for (k, v) in fixture.env { env[k] = v }
        env["OVERLAY_HOSTNAME"] = "overlay-test-machine"
        process.environment = env
        process.currentDirectoryURL = fixture.root
        let out = Pipe()
        process.standardOutput = out
        stderrPath = fixture.root.path + "/serve-\(UUID().uuidString.prefix(6)).err"
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
        // The first stdout line names the bound port.
        var line = Data()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("listening "), let port = Int(text.split(separator: ":").last ?? "") else {
            process.terminate()
            throw ScenarioError("overlay serve did not start: '\(text)' \(try String(contentsOfFile: stderrPath, encoding: .utf8))")
        }
        self.port = port
    }

    /// SIGTERM, then waits (at most `timeout` seconds) and returns the exit status.
    @discardableResult
    func stop(timeout: Double = 60) -> Int32? {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationStatus
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    /// How a delivery is signed: the five senders of SPEC §3.5.
    enum Sender: String, CaseIterable {
        case github, gitea, forgejo, gitlab, generic
    }

    /// Sends a push delivery (`ref`, signed with `secret` as `sender` signs) and returns the
    /// HTTP status and body. `signature` overrides the computed one ("" sends none).
    func push(
        _ sender: Sender, secret: String, delivery: String = UUID().uuidString, ref: String = "refs/heads/main",
        body: String? = nil, signature: String? = nil
    ) throws -> (status: Int, body: String) {
        let payload = body ?? #"{"ref":"\#(ref)","after":"0000000000000000000000000000000000000000"}"#
        let hex = signature ?? Self.hmac(payload, secret: secret)
        var headers: [String]
        switch sender {
        case .github: headers = ["X-GitHub-Event: push", "X-GitHub-Delivery: \(delivery)", "X-Hub-Signature-256: sha256=\(hex)"]
        case .gitea: headers = ["X-Gitea-Event: push", "X-Gitea-Delivery: \(delivery)", "X-Gitea-Signature: \(hex)"]
        case .forgejo: headers = ["X-Forgejo-Event: push", "X-Forgejo-Delivery: \(delivery)", "X-Forgejo-Signature: \(hex)"]
        case .gitlab: headers = ["X-Gitlab-Event: Push Hook", "X-Gitlab-Event-UUID: \(delivery)", "X-Gitlab-Token: \(signature ?? secret)"]
        case .generic: headers = ["X-Overlay-Event: push", "X-Overlay-Delivery: \(delivery)", "X-Overlay-Signature: sha256=\(hex)"]
        }
        if signature == "" { headers.removeAll { $0.contains("Signature") || $0.contains("Token") } }
        return try request("POST", "/hooks/push", headers: headers + ["Content-Type: application/json"], body: payload)
    }

    /// One HTTP request through curl (a real client over loopback).
    func request(_ method: String, _ path: String, headers: [String] = [], body: String? = nil) throws -> (status: Int, body: String) {
        var args = ["-s", "-o", "-", "-w", "\n%{http_code}", "-X", method, "--max-time", "60"]
        for h in headers { args += ["-H", h] }
        if let body { args += ["--data-binary", body] }
        args.append("http://127.0.0.1:\(port)\(path)")
        let r = try runProcess("/usr/bin/curl", args)
        var lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.popLast() ?? "") ?? 0
        return (status, lines.joined(separator: "\n"))
    }

    /// `GET /status` as JSON.
    func status() throws -> [String: Any] {
        let r = try request("GET", "/status")
        return (try? JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any]) ?? [:]
    }

    /// Hex HMAC-SHA256 of `body` with `secret` (openssl, as a sender computes it).
    static func hmac(_ body: String, secret: String) -> String {
        let input = Pipe()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = ["dgst", "-sha256", "-hmac", secret, "-r"]
        p.standardInput = input
        let out = Pipe()
        p.standardOutput = out
        try? p.run()
        input.fileHandleForWriting.write(Data(body.utf8))
        try? input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }

    /// Polls `condition` every 50 ms for up to `timeout` seconds.
    static func eventually(_ timeout: Double = 60, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }
}
