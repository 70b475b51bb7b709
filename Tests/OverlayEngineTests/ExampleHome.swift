import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime
import TestSupport

/// The bundled example overlay applied by the engine for its workstation wizard (timmy) into a
/// temporary home, with an inventory of its own: the example's wizards with their group and host
/// vars (ezra is never reached), timmy's home, state dir, crontab and managed scope in the
/// temporary folder. With `copy`, the repo is a copy the test may change.
struct ExampleHome {
    let root: URL
    let repo: URL
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
    var home: String { root.path + "/home" }
    var hermes: String { home + "/.hermes" }
    /// The managed scope's folder (`managed_dir`).
    let managed: String
    var state: StateDirectory { StateDirectory(path: root.path + "/state") }
    var inventory: String { root.path + "/fleet/hosts.yml" }

    /// The example's files an apply reads (the rest of the package is not the overlay).
    static let exampleFiles = [
        "config.yaml", "SOUL.md", "channel_aliases.json", "agent-memories", "agent-scripts", "policy", "playbooks", "cron", "inventory",
    ]

    init(copy: Bool = false, managedDir: String = "managed") throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-example-\(UUID().uuidString)")
        managed = root.path + "/" + managedDir
        let fm = FileManager.default
        for dir in ["fleet/group_vars", "fleet/host_vars", "home", "secrets", "controller"] {
            try fm.createDirectory(atPath: root.path + "/" + dir, withIntermediateDirectories: true)
        }
        if copy {
            repo = root.appendingPathComponent("repo")
            try fm.createDirectory(at: repo, withIntermediateDirectories: true)
            for name in Self.exampleFiles {
                try fm.copyItem(at: PackagePaths.root.appendingPathComponent(name), to: repo.appendingPathComponent(name))
            }
        } else {
            repo = PackagePaths.root
        }
        for file in ["group_vars/all.yml", "group_vars/wizards.yml", "host_vars/timmy.yml", "host_vars/ezra.yml"] {
            try fm.copyItem(atPath: PackagePaths.root.path + "/inventory/" + file, toPath: root.path + "/fleet/" + file)
        }
        let hosts = """
            all:
              children:
                wizards:
                  hosts:
                    timmy:
                      ansible_connection: local
                      overlay_home: "\(home)"
                      overlay_state_dir: "\(state.path)"
                      overlay_crontab: "file:\(root.path)/crontab"
                      managed_dir: "\(managed)"
                    ezra:
                      ansible_host: 10.0.0.12

            """
        try hosts.write(toFile: inventory, atomically: true, encoding: .utf8)
        try "local-test-key\n".write(toFile: root.path + "/secrets/MODEL_API_KEY", atomically: true, encoding: .utf8)
    }

    func cleanup() { try? FileManager.default.removeItem(at: root) }

    var engine: Engine {
        let env = ["HOME": root.path + "/controller", "OVERLAY_SECRETS_DIR": root.path + "/secrets", "PATH": "/usr/bin:/bin"]
        return Engine(environment: EngineEnvironment(variables: env, hostName: "example-test-machine", clock: clock))
    }

    func load() throws -> LoadedTarget {
        try engine.load(.repo(RepoSource(root: repo, inventory: inventory)), host: "timmy")
    }

    /// Loads and applies the repo for timmy.
    func apply(_ options: ApplyOptions = ApplyOptions()) throws -> HostApplyResult {
        try engine.apply(try load(), options: options)
    }

    /// Writes a file of the copied repo.
    func write(_ path: String, _ text: String) throws {
        try Data(text.utf8).write(to: repo.appendingPathComponent(path))
    }

    func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    /// The harness commands' extra environment: the managed scope this home was given.
    var harnessExtra: [String: String] { ["HERMES_MANAGED_DIR": managed] }
}
