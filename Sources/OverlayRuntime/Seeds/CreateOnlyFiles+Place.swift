import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension CreateOnlyFiles {
    /// A path that could not be written, and why (the rest of the run stands).
    public struct Failure: Sendable {
        public var path: String
        public var error: ApplyError
    }

    /// Writes what `plan` says and records it. A missing file is created with a hard link of a
    /// synced temporary file, so one that appeared meanwhile is never overwritten (it is then left
    /// as it is); a re-seed keeps what was there under `backups/force-create-TIME/` first. Each
    /// path is placed on its own: a failure is returned, and the other paths are still placed.
    public func place(_ plan: [SeedItem], clock: any WallClock) -> (items: [SeedItem], failures: [Failure]) {
        var items = plan
        var failures: [Failure] = []
        var record: SeedRecord
        do { record = try SeedRecord.load(state) } catch { return (items, [Failure(path: SeedRecord.path(state), error: error)]) }
        let before = record
        let time = GenerationBuilder.iso8601(clock.now())
        // Checked again at the write: the home's folders may have changed since the plan.
        var guardrail = PathGuard(homes: homes, protected: protected, stateDir: state.path)
        let backups = state.backupsPath + "/force-create-\(Int(clock.now().timeIntervalSince1970))"
        for i in items.indices {
            let item = items[i]
            switch item.action {
            case .kept:
                record.seeds[item.path] = nil
                continue
            case .unchanged:
                if item.adopt { record.seeds[item.path] = SeedRecord.Seed(sha256: item.sha256, source: item.source, time: time) }
                continue
            default:
                break
            }
            do throws(ApplyError) {
                _ = try guardrail.locate(item.path)
                if try write(item, backups: backups) {
                    record.seeds[item.path] = SeedRecord.Seed(sha256: item.sha256, source: item.source, time: time)
                    if item.action == .updated && item.oldContentPath != nil {
                        let kept = backups + "/" + item.home + "/" + item.relative
                        items[i].reason = "re-seeded (--force-create); the previous file is kept in \(kept)"
                        items[i].oldContentPath = kept
                    }
                } else {
                    items[i].action = .unchanged
                    items[i].reason = "appeared while this run was writing it: left as it is"
                }
            } catch {
                failures.append(Failure(path: item.path, error: error))
            }
        }
        if record != before {
            do throws(ApplyError) { try record.save(state) } catch { failures.append(Failure(path: SeedRecord.path(state), error: error)) }
        }
        return (items, failures)
    }

    /// Writes one file; false when a file appeared at a dest that was missing.
    ///
    /// The file is the program's from now on: run as root (the managed scope needs it), the file
    /// and the folders made for it get the owner of their home, or the agent could not rewrite
    /// what it owns (its memory tool replaces `memories/USER.md` and locks beside it).
    private func write(_ item: SeedItem, backups: String) throws(ApplyError) -> Bool {
        guard let content = item.content else { return true }
        let dir = (item.path as NSString).deletingLastPathComponent
        let owner = try SeedOwner(home: homes[item.home])
        try owner.makeDirectories(dir)
        if item.replaceExisting {
            if item.action == .updated {
                let kept = backups + "/" + item.home + "/" + item.relative
                try POSIX.makeDirectories((kept as NSString).deletingLastPathComponent, mode: 0o700)
                try GenerationBuilder.copyEntry(from: item.path, to: kept, sync: true)
            }
            let tmp = DurableFile.temporaryPath(for: item.path)
            try POSIX.unlinkIfPresent(tmp)
            defer { try? POSIX.unlinkIfPresent(tmp) }
            try DurableFile.create(content, at: tmp, mode: item.mode, sync: true)
            try owner.give(tmp)
            try POSIX.rename(tmp, item.path)
            try POSIX.fsyncPath(dir)
            return true
        }
        let tmp = DurableFile.temporaryPath(for: item.path)
        try POSIX.unlinkIfPresent(tmp)
        defer { try? POSIX.unlinkIfPresent(tmp) }
        try DurableFile.create(content, at: tmp, mode: item.mode, sync: true)
        try owner.give(tmp)
        // link(2) never replaces: the dest stays whatever appeared there since the plan.
        if link(tmp, item.path) != 0 {
            if errno == EEXIST { return false }
            throw .io(operation: "link", path: item.path, errno: errno)
        }
        try POSIX.fsyncPath(dir)
        return true
    }
}
