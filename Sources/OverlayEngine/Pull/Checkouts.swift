import Foundation
import OverlayGit
import OverlayRuntime

/// Materialised commits under the pull state dir (`checkouts/<commit>`): the one being
/// applied, the one before it, and every one a kept generation was built from (its cron
/// entries and job schedules run from there, and a rollback makes it live again); older ones
/// are removed. A checkout is written once and never changed, so a commit checked out before
/// is reused as it is.
struct Checkouts {
    var state: StateDirectory
    var folder: String { state.path + "/checkouts" }

    /// The checkout of `commit`, materialised from `mirror` when it is not there yet.
    /// `generations`: the state dirs whose generations' commits must keep their checkouts.
    func materialize(_ commit: String, from mirror: GitMirror, generations: [StateDirectory]) throws(GitError) -> String {
        let path = folder + "/" + commit
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw .io(operation: "mkdir", path: folder, errno: EACCES)
        }
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) || !isDir.boolValue {
            _ = try mirror.materialize(commit: commit, into: path)
        }
        prune(keeping: path, referenced: Self.commits(of: generations))
        return path
    }

    /// The commits the generations in `stateDirs` were built from.
    static func commits(of stateDirs: [StateDirectory]) -> Set<String> {
        var commits: Set<String> = []
        for dir in stateDirs {
            let store = GenerationStore(state: dir)
            for n in store.numbers() { if let commit = (try? store.load(n))?.commit { commits.insert(commit) } }
        }
        return commits
    }

    /// Removes every checkout but `path` and the newest other one (and leftovers of an
    /// interrupted materialise).
    private func prune(keeping path: String, referenced: Set<String>) {
        let fm = FileManager.default
        let names = (try? fm.contentsOfDirectory(atPath: folder)) ?? []
        let others = names.filter { !referenced.contains($0) }.map { folder + "/" + $0 }.filter { $0 != path }
        let dated = others.map { ($0, (try? fm.attributesOfItem(atPath: $0)[.modificationDate] as? Date) ?? .distantPast) }
        let newest = dated.filter { !($0.0 as NSString).lastPathComponent.hasPrefix(".") }.max { $0.1 < $1.1 }?.0
        for (other, _) in dated where other != newest { try? fm.removeItem(atPath: other) }
    }
}
