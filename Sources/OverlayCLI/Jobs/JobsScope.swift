import ArgumentParser
import Foundation
import OverlayCore
import OverlayJobs
import OverlayRuntime

/// `--host` and `-i` of the `overlay jobs` subcommands: whose variables and state dir to use.
struct JobsScope: ParsableArguments {
    @Option(help: "The inventory host to run for: its variables fill {{ var }} in run, its state dir holds the ledger.")
    var host: String?

    @Option(
        name: [.customShort("i"), .customLong("inventory")], help: "The inventory file (default: the repo's inventory/hosts.yml).")
    var inventory: String?
}

/// A job playbook loaded for one host: rendered, with the state dir and consent levels it runs with.
struct LoadedJobPlaybook {
    var playbook: JobPlaybook
    var path: String
    var host: String?
    var jobs: JobsDirectory
    var consentLevels: [String]?
}

/// Finds playbooks, hosts and state dirs for the jobs subcommands (the host and state dir
/// are picked as `overlay apply` picks them, among the hosts the playbook targets).
enum JobsLocation {
    /// Loads `path` (absolute, or relative to the repo root, else to the working directory),
    /// refuses it when it has errors, picks the host and renders its `run` commands.
    static func load(
        _ path: String, root: URL, scope: JobsScope, environment: [String: String] = ProcessInfo.processInfo.environment
    )
        throws -> LoadedJobPlaybook
    {
        let url = try locate(path, root: root)
        let shown = url.path.hasPrefix(root.path + "/") ? String(url.path.dropFirst(root.path.count + 1)) : path
        let parse = JobPlaybook.load(url: url, path: shown)
        if !parse.isRunnable { throw JobsError.invalidPlaybook(parse.diagnostics.filter { $0.severity == .error }) }
        let context = try HostSelection.context(root: root, inventory: scope.inventory)
        let (host, vars) = try pickHost(scope.host, context: context, pattern: parse.playbook.hosts ?? "all")
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
            throw CommandFailure(
                description:
                    "\(shown) uses host variables (\(names.joined(separator: ", "))) and no host was given or could be told; pass --host NAME (in the overlay repo, or with -i FILE)"
            )
        }
        let state = vars.map { StateLocation.forHost(vars: $0, environment: environment) } ?? StateLocation.fromEnvironment(environment)
        return LoadedJobPlaybook(
            playbook: playbook, path: url.path, host: host, jobs: JobsDirectory(state: state),
            consentLevels: DataPolicy.of(context.repo)?.consentLevels)
    }

    /// The state dir's jobs area for commands that name a run: `--host`'s, else that of the
    /// host this machine is among those the repo's job playbooks target, else the environment's.
    static func jobs(
        root: URL, scope: JobsScope, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> JobsDirectory {
        let hasInventory = Inventory.repoPaths.contains { FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path) }
        guard scope.inventory != nil || hasInventory else {
            if let host = scope.host {
                throw CommandFailure(
                    description: "--host \(host) needs the inventory: run in the overlay repo (--root DIR) or pass -i FILE")
            }
            return JobsDirectory(state: StateLocation.fromEnvironment(environment))
        }
        let context = try HostSelection.context(root: root, inventory: scope.inventory)
        let patterns = context.repo.structured(under: "playbooks/").filter(JobPlaybook.isJobPlaybook).map {
            JobPlaybook.parse($0).playbook.hosts ?? "all"
        }
        let candidates = Array(Set(patterns.flatMap { context.inventory?.hosts(matching: $0) ?? [] })).sorted()
        do {
            let (_, vars) = try pickHost(scope.host, context: context, candidates: candidates)
            return JobsDirectory(
                state: vars.map { StateLocation.forHost(vars: $0, environment: environment) } ?? StateLocation.fromEnvironment(environment))
        } catch  where scope.host == nil {
            return JobsDirectory(state: StateLocation.fromEnvironment(environment))
        }
    }

    static func pickHost(_ requested: String?, context: ValidationContext, pattern: String) throws -> (String?, Value?) {
        try pickHost(requested, context: context, candidates: context.inventory?.hosts(matching: pattern) ?? [], pattern: pattern)
    }

    /// `--host` (which must be one of `candidates`), else the one apply would pick among them;
    /// (nil, nil) when there is no inventory, or no way to tell and none was asked for.
    static func pickHost(
        _ requested: String?, context: ValidationContext, candidates: [String], pattern: String? = nil
    ) throws -> (String?, Value?) {
        guard let inventory = context.inventory else {
            if let requested {
                throw CommandFailure(description: "--host \(requested): the repo has no inventory (inventory/hosts.yml); pass -i FILE")
            }
            return (nil, nil)
        }
        if let requested, let pattern, inventory.hostNames.contains(requested), !candidates.contains(requested) {
            throw CommandFailure(
                description:
                    "host '\(requested)' is not one the playbook's hosts pattern '\(pattern)' selects (\(candidates.joined(separator: ", ")))"
            )
        }
        do {
            let host = try HostSelection.select(requested: requested, inventory: inventory, candidates: candidates)
            return (host, inventory.vars(for: host))
        } catch  where requested == nil {
            return (nil, nil)
        }
    }

    static func locate(_ path: String, root: URL) throws -> URL {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let candidates =
            path.hasPrefix("/") ? [URL(fileURLWithPath: path)] : [root.appendingPathComponent(path), cwd.appendingPathComponent(path)]
        for url in candidates.map(\.standardizedFileURL) where FileManager.default.fileExists(atPath: url.path) { return url }
        var places: [String] = []
        for url in candidates where !places.contains(url.deletingLastPathComponent().standardizedFileURL.path) {
            places.append(url.deletingLastPathComponent().standardizedFileURL.path)
        }
        throw ValidationError("no such playbook: \(path) (looked in \(places.joined(separator: " and ")))")
    }
}
