import Foundation

/// A temporary HOME and state dir for end-to-end apply tests, and bundles to apply into it.
struct ApplySandbox {
    let root: URL
    var home: String { root.path + "/home" }
    var hermes: String { home + "/.hermes" }
    var state: String { stateOverride ?? root.path + "/state" }
    /// A state dir elsewhere (on a file system of its own).
    var stateOverride: String?
    var env: [String: String] {
        // The harness's managed scope (the example's `managed:`) in the sandbox, never /etc/hermes.
        [
            "HOME": home, "OVERLAY_STATE_DIR": state, "OVERLAY_CRONTAB": "file:" + root.path + "/crontab",
            "HERMES_MANAGED_DIR": root.path + "/managed",
        ]
    }

    init() throws {
        root = try makeTempDir("overlay-apply")
        try FileManager.default.createDirectory(atPath: hermes, withIntermediateDirectories: true)
    }

    func cleanup() { try? FileManager.default.removeItem(at: root) }

    /// The sandbox environment plus a secrets folder holding the example's MODEL_API_KEY.
    func envWithSecret(_ value: String = "local-test-key") throws -> [String: String] {
        let secrets = root.path + "/secrets"
        try FileManager.default.createDirectory(atPath: secrets, withIntermediateDirectories: true)
        try (value + "\n").write(toFile: secrets + "/MODEL_API_KEY", atomically: true, encoding: .utf8)
        var env = self.env
        env["OVERLAY_SECRETS_DIR"] = secrets
        return env
    }

    /// A bundle (the `--bundle` JSON) with `files` (path relative to ~/.hermes → content).
    func bundle(
        _ files: [(String, String)], copies: Set<String> = [], handlers: [[String: Any]] = [], protected: [String] = [],
        extraDests: [String: String] = [:]
    ) -> [String: Any] {
        var list: [[String: Any]] = files.map { rel, content in
            ["dest": hermes + "/" + rel, "content": Data(content.utf8).base64EncodedString(), "link": !copies.contains(rel)]
        }
        for (dest, content) in extraDests {
            list.append(["dest": dest, "content": Data(content.utf8).base64EncodedString(), "link": true])
        }
        return [
            "host": "timmy", "homes": ["hermes": hermes], "protected": protected, "files": list, "handlers": handlers,
        ]
    }

    /// Writes a bundle to a file and returns its path.
    func write(_ bundle: [String: Any], name: String = "bundle.json") throws -> String {
        let path = root.path + "/" + name
        try JSONSerialization.data(withJSONObject: bundle).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `overlay apply --bundle PATH` with the sandbox environment.
    func apply(_ bundlePath: String, _ extra: [String] = []) throws -> OverlayResult {
        try runOverlay(["apply", "--bundle", bundlePath] + extra, env: env)
    }

    func read(_ rel: String) -> String? { try? String(contentsOfFile: hermes + "/" + rel, encoding: .utf8) }

    /// Every path under the home with its content (or link target), to prove nothing changed.
    func snapshot() -> [String] {
        let fm = FileManager.default
        let items = (fm.enumerator(atPath: home)?.allObjects as? [String]) ?? []
        return items.sorted().map { rel in
            let path = home + "/" + rel
            if let target = try? fm.destinationOfSymbolicLink(atPath: path) { return "\(rel) -> \(target)" }
            return "\(rel): \(fm.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? "<dir>")"
        }
    }
}
