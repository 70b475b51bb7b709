import Foundation

/// Where and how a host's golden state is rendered.
public struct RenderEnvironment: Sendable {
    /// What `~` means for the host (its `overlay_home`, else the user's `$HOME`).
    public var home: String
    /// Folder of secret files (`$OVERLAY_SECRETS_DIR`, default `~/.config/overlay/secrets`).
    public var secretsDir: String
    /// The process environment (for `OVERLAY_SECRET_<NAME>`).
    public var environment: [String: String]
    /// True for apply: read file contents and resolve secrets. False for validation.
    public var forApply: Bool
    /// True when `home` is a stand-in (validation without `overlay_home`): messages then
    /// show paths under it as `~/…`, the way the playbook wrote them.
    public var homeIsStandIn = false
    /// overlay's state dir for the host, when known (absolute, normalised): no dest may fall
    /// inside it, and no home may hold it. Validation uses `overlay_state_dir`, else the
    /// default `~/.local/state/overlay`; apply leaves it to the runtime guard, which knows
    /// the real one.
    public var stateDir: String?
    /// The running overlay binary, absolute: what a scheduled job playbook's cron entry runs
    /// on a local host without `overlay_bin` (nil: a stand-in is used).
    public var overlayBinary: String?
    /// The harness's managed-scope folder this machine's environment names
    /// (`$HERMES_MANAGED_DIR`, the harness's own override), for a local apply only; a host's
    /// `managed_dir` wins, and without either it is `/etc/hermes`.
    public var managedDir: String?

    /// An environment for applying on this machine.
    public init(home: String, secretsDir: String, environment: [String: String], forApply: Bool = true) {
        self.home = home
        self.secretsDir = secretsDir
        self.environment = environment
        self.forApply = forApply
    }

    /// The environment of this process for a host whose vars may set `overlay_home`.
    public static func local(
        hostVars: Value, processEnvironment env: [String: String] = ProcessInfo.processInfo.environment
    )
        -> RenderEnvironment
    {
        let userHome = env["HOME"] ?? NSHomeDirectory()
        let home = HomePath.expandTilde(hostVars["overlay_home"]?.stringValue ?? userHome, home: userHome)
        let secrets = env["OVERLAY_SECRETS_DIR"] ?? (userHome + "/.config/overlay/secrets")
        var local = RenderEnvironment(home: home, secretsDir: secrets, environment: env, forApply: true)
        local.overlayBinary = currentExecutable()
        return local
    }

    /// The managed-scope folder `$HERMES_MANAGED_DIR` names in `env` (absolute, normalised), if any:
    /// what a local apply uses for a host without `managed_dir` (an SSH host's render does not).
    public static func managedDirOverride(_ env: [String: String]) -> String? {
        guard let given = env["HERMES_MANAGED_DIR"]?.trimmingCharacters(in: .whitespaces), given.hasPrefix("/") else { return nil }
        return HomePath.normalize(given)
    }

    /// This process's executable, absolute (`/proc/self/exe`, else argv[0] made absolute).
    public static func currentExecutable() -> String? {
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"), exe.hasPrefix("/") { return exe }
        guard let first = CommandLine.arguments.first, first.contains("/") else { return nil }
        return URL(fileURLWithPath: first, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
            .path
    }

    /// A stand-in environment for validating a host without touching it.
    public static func validation(host: String, hostVars: Value) -> RenderEnvironment {
        let given = hostVars["overlay_home"]?.stringValue
        // `~` in overlay_home is the connecting user's home, unknown until apply: a stand-in.
        let userHome = "/home/\(hostVars["ansible_user"]?.stringValue ?? host)"
        let home = HomePath.expandTilde(given ?? userHome, home: userHome)
        var env = RenderEnvironment(home: home, secretsDir: "/nonexistent", environment: [:], forApply: false)
        env.homeIsStandIn = given.map { $0 == "~" || $0.hasPrefix("~/") } ?? true
        env.stateDir = defaultStateDir(hostVars: hostVars, home: home)
        return env
    }

    /// The state dir a host uses unless its environment says otherwise: `overlay_state_dir`
    /// (`~` is the host's home), else `~/.local/state/overlay`. Nil when it cannot be known
    /// here (a relative path, or one still holding `{{`).
    static func defaultStateDir(hostVars: Value, home: String) -> String? {
        guard let declared = hostVars["overlay_state_dir"] else { return HomePath.normalize(home + "/.local/state/overlay") }
        guard let text = declared.stringValue, !text.isEmpty, !text.contains("{{") else { return nil }
        return HomePath.resolve(text, home: home)
    }

    /// `path` as a message shows it: `~/…` under a stand-in home, else unchanged.
    public func shown(_ path: String) -> String {
        guard homeIsStandIn else { return path }
        if path == home { return "~" }
        return path.hasPrefix(home + "/") ? "~" + path.dropFirst(home.count) : path
    }
}

/// Rendering failed for a host: every problem found, each located in the repo.
public struct RenderError: Error, Sendable, CustomStringConvertible {
    /// The problems (errors), in report order.
    public var diagnostics: [Diagnostic]

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
