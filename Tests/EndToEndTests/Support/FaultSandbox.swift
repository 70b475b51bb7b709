import Foundation

/// A home, a state dir and a crontab in folders of their own (each one a fault scope), on
/// tmpfs when there is one (fsync and syncfs cost nothing there), with two bundles to switch
/// between and helpers to read back what a run left.
struct FaultSandbox {
    let root: URL
    var home: String { root.path + "/home" }
    var hermes: String { home + "/.hermes" }
    var state: String { root.path + "/state" }
    var cronDir: String { root.path + "/cron" }
    var crontab: String { cronDir + "/crontab" }
    var env: [String: String] {
        ["HOME": home, "OVERLAY_STATE_DIR": state, "OVERLAY_CRONTAB": "file:" + crontab, "SWIFT_DETERMINISTIC_HASHING": "1"]
    }

    init(_ name: String) throws {
        // Not /dev/shm: a home there is refused (a system folder, playbook.system-home).
        let base = FileManager.default.temporaryDirectory.path
        root = URL(fileURLWithPath: base + "/overlay-\(name)-\(UUID().uuidString)")
        for dir in [hermes, cronDir] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    }

    func cleanup() { try? FileManager.default.removeItem(at: root) }

    /// Generation 1: two linked files, a copy, a file generation 2 drops, a handler, a daily job.
    var bundleA: [String: Any] {
        bundle(["a.txt": "a1\n", "sub/b.txt": "b\n", "app.json": "{\"v\": 1}\n", "old.txt": "old\n"], schedule: "@daily")
    }

    /// Generation 2: a.txt and the copy change, old.txt leaves, a file in new folders arrives,
    /// and overlay takes over `mine.txt`, which a person wrote; the job runs hourly.
    var bundleB: [String: Any] {
        bundle(
            ["a.txt": "a2\n", "sub/b.txt": "b\n", "app.json": "{\"v\": 2}\n", "new/deep/n.txt": "n\n", "mine.txt": "overlay's\n"],
            schedule: "@hourly")
    }

    private func bundle(_ files: [String: String], schedule: String) -> [String: Any] {
        [
            "host": "timmy", "homes": ["hermes": hermes], "protected": [],
            "files": files.keys.sorted().map { rel in
                [
                    "dest": hermes + "/" + rel, "content": Data((files[rel] ?? "").utf8).base64EncodedString(),
                    "link": rel != "app.json",
                ] as [String: Any]
            },
            "handlers": [["name": "on-a", "run": "echo on-a >> '\(root.path)/ran'", "on_change": [hermes + "/a.txt"]]],
            "cron_jobs": [["name": "beat", "schedule": schedule, "command": "/bin/true"]],
        ]
    }

    /// Writes a bundle under the sandbox and returns its path.
    func write(_ bundle: [String: Any], name: String) throws -> String {
        let path = root.path + "/" + name
        try JSONSerialization.data(withJSONObject: bundle).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `overlay ARGS` in the sandbox, with `extra` environment (the shim's).
    func run(_ args: [String], extra: [String: String] = [:]) throws -> OverlayResult {
        try runOverlay(args, env: env.merging(extra) { _, new in new }, timeout: 60)
    }

    /// The generation `current` points at.
    var live: Int? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: state + "/current")).flatMap {
            Int(($0 as NSString).lastPathComponent)
        }
    }

    /// The dests of generation `n`'s record, nil when its record is missing or unreadable.
    func dests(ofGeneration n: Int) -> Set<String>? {
        let path = state + "/generations/\(n)/generation.json"
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let files = object["files"] as? [[String: Any]]
        else { return nil }
        return Set(files.compactMap { $0["dest"] as? String })
    }

    /// True when every file of generation `n`'s record is in its folder with its recorded size.
    func isComplete(_ n: Int) -> Bool {
        let path = state + "/generations/\(n)"
        guard let data = FileManager.default.contents(atPath: path + "/generation.json"),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let files = object["files"] as? [[String: Any]]
        else { return false }
        return files.allSatisfy { f in
            guard let home = f["home"] as? String, let rel = f["path"] as? String, let size = f["size"] as? Int else { return false }
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/files/" + home + "/" + rel)
            return (attributes?[.size] as? Int) == size
        }
    }

    /// The dests the ledger lists, read as docs/apply.md says: `managed.json`, plus the entries
    /// of a pending switch intent whose switch happened (`current` is its generation) when
    /// `managed.json` was not yet rewritten for that generation.
    var ledger: Set<String> {
        func object(_ name: String) -> [String: Any]? {
            FileManager.default.contents(atPath: state + "/" + name).flatMap {
                try? JSONSerialization.jsonObject(with: $0) as? [String: Any]
            }
        }
        let file = object("managed.json")
        var dests = Set((file?["entries"] as? [String: Any] ?? [:]).keys)
        if let intent = object("pending-switch.json"), let n = intent["generation"] as? Int, n == live,
            file?["generation"] as? Int != n, let entries = (intent["ledger"] as? [String: Any])?["entries"] as? [String: Any]
        {
            dests.formUnion(entries.keys)
        }
        return dests
    }

    /// Staging, trash and temporary files anywhere in the sandbox (none may outlive a run).
    var leftovers: [String] {
        var out: [String] = []
        for dir in [state, home, cronDir] {
            let items = (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String]) ?? []
            for rel in items {
                let name = (rel as NSString).lastPathComponent
                if name.hasPrefix(".staging-") || name.hasPrefix(".trash-") || name == "current.tmp"
                    || name.hasSuffix(".overlay-tmp") || name.hasPrefix(".crontab.overlay-")
                {
                    out.append(dir + "/" + rel)
                }
            }
        }
        return out
    }

    /// Replaces the sandbox's home, state and crontab with those of `snapshot` (see `snapshot()`).
    func restore(_ snapshot: String) throws {
        for dir in [home, state, cronDir] { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runProcess("/bin/cp", ["-a", snapshot + "/home", snapshot + "/state", snapshot + "/cron", root.path])
        if r.status != 0 { throw FaultShim.ShimError(description: "cp -a failed: \(r.stderr)") }
    }

    /// Copies home, state and crontab aside (hard state, to restore before each injected fault).
    func snapshot() throws -> String {
        let dir = root.path + "/snapshot"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let r = try runProcess("/bin/cp", ["-a", home, state, cronDir, dir])
        if r.status != 0 { throw FaultShim.ShimError(description: "cp -a failed: \(r.stderr)") }
        return dir
    }
}
