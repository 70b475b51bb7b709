/// What a home may be: not `/`, not a system folder, and apart from overlay's own state dir.
///
/// The renderer checks the homes as declared (`overlay validate`); the runtime guard checks
/// them again on the disk, with symlinks above the home resolved and the real state dir.
/// The lists are not a sandbox (a home is trusted configuration): they catch the mistakes
/// and the obvious escalations, such as a home of `/` or `/etc` that would let any dest write
/// anywhere. docs/rules.md lists them.
public enum HomeRule {
    /// Folders the operating system, the kernel or the package manager own as a whole:
    /// a home there, or anywhere below, is refused.
    public static let systemTrees = [
        "/bin", "/boot", "/dev", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/run", "/sbin", "/sys",
        "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib32", "/usr/lib64", "/usr/libexec", "/usr/include", "/usr/share",
        "/usr/src", "/var/run", "/var/lock", "/var/spool/cron", "/etc/cron.d", "/etc/cron.hourly", "/etc/cron.daily",
        "/etc/cron.weekly", "/etc/cron.monthly", "/etc/sudoers.d", "/etc/pam.d", "/etc/ssh", "/etc/security",
        "/etc/systemd", "/etc/init.d", "/etc/profile.d", "/etc/ld.so.conf.d",
    ]

    /// Shared folders whose children belong to users, services or packages: the folder
    /// itself is refused as a home, a folder of one's own inside it (`/etc/hermes`,
    /// `/var/lib/hermes`, `/home/timmy`) is not.
    public static let systemFolders = [
        "/", "/etc", "/home", "/root", "/opt", "/srv", "/mnt", "/media", "/tmp", "/usr", "/usr/local",
        "/usr/local/bin", "/usr/local/sbin", "/usr/local/lib", "/usr/local/etc", "/usr/local/share", "/var", "/var/lib",
        "/var/log", "/var/cache", "/var/spool", "/var/mail", "/var/tmp", "/var/backups", "/var/opt",
    ]

    /// Why `home` (absolute, normalised) cannot be a home, or nil when it can. `stateDir`
    /// (absolute, normalised) is overlay's state dir for the host, when known.
    public static func problem(home: String, stateDir: String?) -> HomeProblem? {
        if home == "/" { return .systemFolder("/", inside: false) }
        if let tree = systemTrees.first(where: { HomePath.isInside(home, $0) }) { return .systemFolder(tree, inside: home != tree) }
        if systemFolders.contains(home) { return .systemFolder(home, inside: false) }
        guard let stateDir else { return nil }
        if HomePath.isInside(stateDir, home) { return .holdsStateDir(stateDir) }
        if HomePath.isInside(home, stateDir) { return .insideStateDir(stateDir) }
        return nil
    }

    /// True when writing `dest` would write into the state dir or over one of its parents.
    public static func touchesStateDir(_ dest: String, stateDir: String) -> Bool {
        HomePath.isInside(dest, stateDir) || HomePath.isInside(stateDir, dest)
    }
}

/// Why a folder cannot be a home.
public enum HomeProblem: Sendable, Equatable {
    /// `/`, or a system folder: the listed folder it is, or (`inside`) lies in.
    case systemFolder(String, inside: Bool)
    /// The home contains overlay's state dir (at this path).
    case holdsStateDir(String)
    /// The home lies inside overlay's state dir (at this path).
    case insideStateDir(String)

    /// The stable rule id of the problem.
    public var rule: String {
        switch self {
        case .systemFolder: return "playbook.system-home"
        case .holdsStateDir, .insideStateDir: return "playbook.home-holds-state-dir"
        }
    }

    /// What is wrong and how to fix it, for the home `name` shown as `shown` (of `host`, when
    /// given); `show` turns a path into its displayed form (`~/…` under a stand-in home).
    public func message(home shown: String, name: String? = nil, host: String? = nil, show: (String) -> String = { $0 }) -> String {
        let place = ([shown] + (host.map { ["host '\($0)'"] } ?? [])).joined(separator: ", ")
        let subject = name.map { "home '\($0)' (\(place))" } ?? "home '\(shown)'" + (host.map { " (host '\($0)')" } ?? "")
        switch self {
        case .systemFolder(let folder, inside: false):
            return
                "\(subject) is \(folder == "/" ? "the root folder" : "the system folder \(folder)"); every dest under it could overwrite the system — declare the agent's own folder (e.g. ~/.hermes or /srv/hermes) as the home"
        case .systemFolder(let folder, inside: true):
            return
                "\(subject) lies inside the system folder \(folder), which the operating system owns; declare the agent's own folder (e.g. ~/.hermes or /srv/hermes) as the home"
        case .holdsStateDir(let state):
            return
                "\(subject) contains overlay's state dir \(show(state)) (generations, the ledger, the lock); a dest there would corrupt it — declare a narrower home, or move the state dir out of the home (host var overlay_state_dir, or $OVERLAY_STATE_DIR)"
        case .insideStateDir(let state):
            return
                "\(subject) lies inside overlay's state dir \(show(state)); overlay writes its generations there — choose a home outside it, or move the state dir (host var overlay_state_dir, or $OVERLAY_STATE_DIR)"
        }
    }
}
