/// Why a host's managed crontab cannot be used: found before anything is switched, so the
/// apply changes nothing.
public enum CrontabSetupError: Error, Sendable, CustomStringConvertible {
    /// The target (`overlay_crontab`, `$OVERLAY_CRONTAB`) or the `crontab` command is unusable.
    case target(String)
    /// A `file:` target whose folder does not exist.
    case missingFolder(path: String, folder: String)
    /// The deadman check cannot be put on a crontab line.
    case deadmanCheck(String)

    public var description: String {
        switch self {
        case .target(let why):
            return "crontab: \(why)"
        case .missingFolder(let path, let folder):
            return "crontab target file:\(path): the folder \(folder) does not exist; create it or set overlay_crontab / OVERLAY_CRONTAB"
        case .deadmanCheck(let why):
            return "crontab: the deadman check: \(why)"
        }
    }
}
