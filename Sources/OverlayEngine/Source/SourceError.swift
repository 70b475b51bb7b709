import OverlayCore

/// Why there is no golden state to act on: the inventory, the host or the repo is not usable.
/// Every case says what to do.
public enum SourceError: Error, Sendable, CustomStringConvertible {
    /// `-i FILE` does not exist.
    case inventoryNotFound(String)
    /// `-i` names a folder.
    case inventoryIsFolder(String)
    /// The command needs an inventory and the repo has none.
    case noInventory(purpose: Purpose)
    /// The inventory has errors, so the host (or its state dir) cannot be found.
    case inventoryBroken(problems: [Diagnostic])
    /// `playbooks/site.yaml` is missing.
    case noGoldenState(purpose: Purpose)
    /// `--host` names a host the inventory does not have.
    case unknownHost(String, suggestion: String?, hosts: [String])
    /// The host exists but the golden state does not target it.
    case hostNotTargeted(String, targets: [String])
    /// No `--host` and the inventory has no host to act for.
    case noHostToActFor
    /// No `--host` and several candidates: this machine's name matches none.
    case cannotTellHost(hostName: String, candidates: [String])
    /// `--host` for a state command outside an overlay repo.
    case hostNeedsInventory(String)
    /// `--bundle` with `--host`: a bundle is already one host's.
    case bundleWithHost(String)
    /// The bundle file cannot be read.
    case bundleUnreadable(String)
    /// The bundle is not one overlay wrote.
    case bundleInvalid(String)
    /// `converge --limit` selects no host the golden state targets.
    case limitMatchesNothing(String, targets: [String])
    /// Validation (or the host's render) found errors: nothing was changed.
    case rejected(host: String?, diagnostics: [Diagnostic])
    /// The golden state cannot be rendered for `host`.
    case renderFailed(host: String, diagnostics: [Diagnostic])

    /// What the golden state was wanted for (it is named in messages).
    public enum Purpose: String, Sendable {
        case apply, converge, cron
    }

    public var description: String {
        switch self {
        case .inventoryNotFound(let option):
            return "inventory file \(option) not found (-i); nothing was changed"
        case .inventoryIsFolder(let option):
            return "-i \(option) is a folder; pass the inventory file itself (-i \(option)/hosts.yml)"
        case .noInventory(.converge):
            return "there is no inventory to converge: add \(Inventory.defaultPath) or pass -i FILE"
        case .noInventory:
            return "no inventory: add \(Inventory.defaultPath) to the repo"
        case .inventoryBroken(let problems):
            let listed =
                problems.isEmpty
                ? "\(Inventory.defaultPath) does not parse; run overlay validate" : problems.map(\.description).joined(separator: "\n")
            return "the inventory has errors, so the host cannot be found; fix them first (overlay validate):\n\(listed)"
        case .noGoldenState(.cron):
            return "the repo has no playbooks/site.yaml, so no cron jobs are declared"
        case .noGoldenState(let purpose):
            return "\(GoldenStateFile.path) is missing: there is no golden state to \(purpose.rawValue)"
        case .unknownHost(let host, let suggestion, let hosts):
            let hint = suggestion.map { " — did you mean '\($0)'?" } ?? ""
            return "host '\(host)' is not in the inventory\(hint) (hosts: \(hosts.joined(separator: ", ")))"
        case .hostNotTargeted(let host, let targets):
            return "host '\(host)' is not targeted by \(GoldenStateFile.path) (hosts: \(targets.joined(separator: ", ")))"
        case .noHostToActFor:
            return "no inventory host to act for; add inventory/hosts.yml or pass --host NAME"
        case .cannotTellHost(let name, let candidates):
            return "cannot tell which host this machine (\(name)) is; pass --host NAME (hosts: \(SourceError.listed(candidates)))"
        case .hostNeedsInventory(let host):
            return "--host \(host) needs the inventory that names its state dir: run in the overlay repo (--root DIR) or pass -i FILE"
        case .bundleWithHost(let host):
            return
                "--host \(host) cannot be used with --bundle: a bundle is already rendered for one host; drop --host (or render the host's bundle)"
        case .bundleUnreadable(let path):
            return "cannot read the bundle \(path)"
        case .bundleInvalid(let why):
            return why
        case .limitMatchesNothing(let limit, let targets):
            let near = Suggest.closest(limit, in: targets).map { "did you mean '\($0)'? " } ?? ""
            return "--limit '\(limit)' matches no host the playbook targets (\(near)targets: \(SourceError.listed(targets)))"
        case .rejected(_, let diagnostics):
            return "validation failed: \(diagnostics.count) error(s); nothing was changed"
        case .renderFailed(let host, let diagnostics):
            return "cannot render the golden state of host '\(host)':\n" + diagnostics.map(\.description).joined(separator: "\n")
        }
    }

    /// Names for a message: all of a short list, the first 20 of a long one and how many more
    /// (a 1,000-host fleet made a one-line error of 7,000 characters).
    static func listed(_ names: [String], limit: Int = 20) -> String {
        guard names.count > limit else { return names.joined(separator: ", ") }
        return names.prefix(limit).joined(separator: ", ") + ", … (\(names.count - limit) more)"
    }
}
