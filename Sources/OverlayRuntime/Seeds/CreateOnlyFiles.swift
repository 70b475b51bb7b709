import Foundation
import OverlayCore

#if canImport(Glibc)
    import Glibc
#endif

/// The create-only files of a rendered state (`create_only: true`): each written where its dest
/// is missing, never overwritten, never drift, never removed — a program owns it after the
/// first write. They are not part of a generation, so a rollback never touches them.
/// `--force-create` re-seeds them on purpose (what was there is kept under `backups/`).
public struct CreateOnlyFiles: Sendable {
    let state: StateDirectory
    let files: [RenderedFile]
    let homes: [String: String]
    let protected: [String]
    /// The dests the generation manages now (a seed dropped because it became one is not reported).
    let managedDests: Set<String>

    /// The create-only files of `rendered`, placed against `state`.
    public init(_ rendered: RenderedState, state: StateDirectory) {
        self.state = state
        files = rendered.files.filter(\.createOnly)
        homes = rendered.homes
        protected = rendered.protected
        managedDests = Set(rendered.files.filter { !$0.createOnly }.map(\.dest))
    }

    /// What a run would do to each file, checked against the disk: a dest outside the homes,
    /// behind a symlink or taken by a folder throws (before anything changes).
    public func plan(forceCreate: Bool) throws(ApplyError) -> [SeedItem] {
        var guardrail = PathGuard(homes: homes, protected: protected, stateDir: state.path)
        let record = try SeedRecord.load(state)
        var out: [SeedItem] = []
        for f in files {
            let (home, relative) = try guardrail.locate(f.dest)
            let sha = ContentHash.sha256(f.content)
            var item = SeedItem(
                path: f.dest, action: .created, secret: f.containsSecret, content: f.content, redactedContent: f.redactedContent,
                mode: TargetFiles.effectiveMode(f.mode, secret: f.containsSecret, groupReadable: f.groupReadable), home: home,
                relative: relative, source: f.source, sha256: sha)
            let entry = try POSIX.lstatEntry(f.dest)
            switch entry {
            case .directory:
                throw .directoryInTheWay(path: f.dest)
            case .absent:
                break
            case .symlink(let target) where target.hasPrefix(state.currentLink + "/files/"):
                // overlay's own link from when the entry was not create-only: replaced by the file.
                item.replaceExisting = true
                item.reason = "was a link into overlay's generation; now create-only, written as a file the harness owns"
            default:
                if forceCreate {
                    item.action = .updated
                    item.replaceExisting = true
                    item.reason = "re-seeded (--force-create)"
                    // Only a regular file is read for the diff: a link the program (or anyone who
                    // can write its home) put there could point at any file, a FIFO would block.
                    if case .file = entry {
                        item.oldContentPath = f.dest
                    } else {
                        item.reason = "re-seeded (--force-create); what was there, not a regular file, is replaced unread"
                    }
                } else {
                    item.action = .unchanged
                    item.content = nil
                    item.reason = "create-only: present, left as it is"
                    try judgePresent(&item, seeded: record.seeds[f.dest])
                }
            }
            out.append(item)
        }
        let declared = Set(files.map(\.dest))
        for dest in record.seeds.keys.sorted() where !declared.contains(dest) && !managedDests.contains(dest) {
            out.append(
                SeedItem(
                    path: dest, action: .kept, reason: "no longer create-only in the overlay: left in place, and forgotten", secret: false))
        }
        return out
    }

    /// A present file: left as it is, with a warning when the source moved on since overlay seeded
    /// it; one that already holds exactly the source's bytes is recorded as seeded.
    private func judgePresent(_ item: inout SeedItem, seeded: SeedRecord.Seed?) throws(ApplyError) {
        if let seeded {
            guard seeded.sha256 != item.sha256 else { return }
            item.sourceChanged =
                "\(item.path) is create-only: its source \(item.source) changed since overlay seeded it (\(seeded.time)); this host keeps its copy — 'overlay apply --force-create' re-seeds it (the old file is kept under backups/)"
            return
        }
        if case .file = try POSIX.lstatEntry(item.path), (try? POSIX.readFile(item.path)).map(ContentHash.sha256) == item.sha256 {
            item.adopt = true
        }
    }
}
