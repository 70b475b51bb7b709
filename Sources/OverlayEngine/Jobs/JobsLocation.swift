import Foundation
import OverlayCore
import OverlayJobs
import OverlayRuntime

/// A job playbook loaded for one host: rendered, with the state dir and consent levels it runs with.
public struct LoadedJobPlaybook: Sendable {
    public var playbook: JobPlaybook
    public var path: String
    public var host: String?
    public var jobs: JobsDirectory
    public var consentLevels: [String]?
}

/// Why a job playbook, its host or its state dir cannot be found.
public enum JobsLocationError: Error, Sendable, CustomStringConvertible {
    /// No playbook at the path (looked in these folders).
    case noSuchPlaybook(String, places: [String])
    /// The playbook's commands use host variables and no host was given or could be told.
    case hostNeeded(playbook: String, variables: [String])
    /// `--host` names a host the playbook's pattern does not select.
    case hostNotSelected(String, pattern: String, candidates: [String])
    /// `--host` without an inventory.
    case noInventory(host: String)

    public var description: String {
        switch self {
        case .noSuchPlaybook(let path, let places):
            return "no such playbook: \(path) (looked in \(places.joined(separator: " and ")))"
        case .hostNeeded(let playbook, let names):
            return
                "\(playbook) uses host variables (\(names.joined(separator: ", "))) and no host was given or could be told; pass --host NAME (in the overlay repo, or with -i FILE)"
        case .hostNotSelected(let host, let pattern, let candidates):
            return "host '\(host)' is not one the playbook's hosts pattern '\(pattern)' selects (\(candidates.joined(separator: ", ")))"
        case .noInventory(let host):
            return "--host \(host): the repo has no inventory (inventory/hosts.yml); pass -i FILE"
        }
    }
}

extension Engine {
    /// Loads the job playbook at `path` (absolute, or relative to the repo root, else to the
    /// working directory), refuses it when it has errors, picks the host — as `overlay apply`
    /// picks it, among the hosts the playbook targets — and renders its `run` commands.
    public func loadJobPlaybook(_ path: String, source: RepoSource, host requested: String?) throws -> LoadedJobPlaybook {
        let root = source.root
        let url = try JobsLocation.locate(path, root: root, workingDirectory: source.workingDirectory)
        let shown = url.path.hasPrefix(root.path + "/") ? String(url.path.dropFirst(root.path.count + 1)) : path
        let parse = JobPlaybook.load(url: url, path: shown)
        if !parse.isRunnable { throw JobsError.invalidPlaybook(parse.diagnostics.filter { $0.severity == .error }) }
        let context = try source.context()
        let clashes = JobsLocation.nameClashes(parse, repo: context.repo)
        if !clashes.isEmpty { throw JobsError.invalidPlaybook(clashes) }
        let pattern = parse.playbook.hosts ?? "all"
        let (host, vars) = try JobsLocation.pickHost(
            requested, context: context, candidates: context.inventory?.hosts(matching: pattern) ?? [], pattern: pattern,
            hostName: environment.hostName)
        var playbook = parse.playbook
        if let host, let vars {
            switch parse.rendered(host: host, vars: vars) {
            case .success(let rendered): playbook = rendered
            case .failure(let error): throw JobsError.invalidPlaybook(error.diagnostics)
            }
        } else if case .failure = parse.rendered(host: "", vars: .object([])) {
            let texts = parse.playbook.steps.flatMap { step -> [String] in
                var texts = step.env.map(\.value)
                if case .run(let command) = step.action { texts.append(command) }
                return texts
            }
            let names = Set(texts.flatMap { ((try? Template($0))?.references ?? []).map(\.name) }).sorted()
            throw JobsLocationError.hostNeeded(playbook: shown, variables: names)
        }
        let state = vars.map { StateLocation.forHost(vars: $0, environment: environment) } ?? StateLocation.fromEnvironment(environment)
        return LoadedJobPlaybook(
            playbook: playbook, path: url.path, host: host, jobs: JobsDirectory(state: state),
            consentLevels: DataPolicy.of(context.repo)?.consentLevels)
    }

    /// The state dir's jobs area for commands that name a run: `host`'s, else that of the
    /// host this machine is among those the repo's job playbooks target, else the environment's.
    public func jobsDirectory(source: RepoSource, host requested: String?) throws -> JobsDirectory {
        guard source.inventory != nil || source.hasOwnInventory else {
            if let requested { throw SourceError.hostNeedsInventory(requested) }
            return JobsDirectory(state: StateLocation.fromEnvironment(environment))
        }
        let context = try source.context()
        let patterns = context.repo.structured(under: "playbooks/").filter(JobPlaybook.isJobPlaybook).map {
            JobPlaybook.parse($0).playbook.hosts ?? "all"
        }
        let candidates = Array(Set(patterns.flatMap { context.inventory?.hosts(matching: $0) ?? [] })).sorted()
        do {
            let (_, vars) = try JobsLocation.pickHost(requested, context: context, candidates: candidates, hostName: environment.hostName)
            return JobsDirectory(
                state: vars.map { StateLocation.forHost(vars: $0, environment: environment) } ?? StateLocation.fromEnvironment(environment))
        } catch  where requested == nil {
            return JobsDirectory(state: StateLocation.fromEnvironment(environment))
        }
    }
}

/// Finding a job playbook and the host it runs for.
enum JobsLocation {
    /// `requested` (which must be one of `candidates`), else the one apply would pick among them;
    /// (nil, nil) when there is no inventory, or no way to tell and none was asked for.
    static func pickHost(
        _ requested: String?, context: ValidationContext, candidates: [String], pattern: String? = nil, hostName: String
    ) throws -> (String?, Value?) {
        guard let inventory = context.inventory else {
            if let requested { throw JobsLocationError.noInventory(host: requested) }
            return (nil, nil)
        }
        if let requested, let pattern, inventory.hostNames.contains(requested), !candidates.contains(requested) {
            throw JobsLocationError.hostNotSelected(requested, pattern: pattern, candidates: candidates)
        }
        do {
            let host = try HostSelection.select(requested: requested, inventory: inventory, candidates: candidates, hostName: hostName)
            return (host, inventory.vars(for: host))
        } catch  where requested == nil {
            return (nil, nil)
        }
    }

    /// `playbook.duplicate-name` errors when a job playbook of the repo has the same name as
    /// `parse` (they would share its lock, workspace and run history).
    static func nameClashes(_ parse: JobPlaybookParse, repo: LoadedRepo) -> [Diagnostic] {
        let name = parse.playbook.name
        var same = repo.structured(under: "playbooks/").filter(JobPlaybook.isJobPlaybook).map(JobPlaybook.parse)
            .filter { $0.playbook.name == name && $0.playbook.file != parse.playbook.file }
        guard !same.isEmpty else { return [] }
        same.append(parse)
        return JobPlaybook.duplicateNames(same)
    }

    static func locate(_ path: String, root: URL, workingDirectory: String) throws(JobsLocationError) -> URL {
        let cwd = URL(fileURLWithPath: workingDirectory)
        let candidates =
            path.hasPrefix("/") ? [URL(fileURLWithPath: path)] : [root.appendingPathComponent(path), cwd.appendingPathComponent(path)]
        for url in candidates.map(\.standardizedFileURL) where FileManager.default.fileExists(atPath: url.path) { return url }
        var places: [String] = []
        for url in candidates where !places.contains(url.deletingLastPathComponent().standardizedFileURL.path) {
            places.append(url.deletingLastPathComponent().standardizedFileURL.path)
        }
        throw .noSuchPlaybook(path, places: places)
    }
}
