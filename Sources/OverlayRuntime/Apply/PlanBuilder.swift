import Foundation

/// Compares the target with the live generation and the disk, and says what to do (render → **plan** → apply).
///
/// It hashes only what stat says may have changed: a generation file whose stat matches
/// its record, or a copy whose stat matches the ledger's, is trusted without reading it.
struct PlanBuilder {
    let state: StateDirectory
    let current: Generation?
    let ledger: ManagedLedger
    let guardrail: PathGuard
    /// The live generation's files by dest.
    let recordIndex: [String: Generation.File]
    /// False on rollback: the generation being left may have been edited; that is not drift of the target.
    var checkGenerationFiles = true

    init(state: StateDirectory, current: Generation?, ledger: ManagedLedger, guardrail: PathGuard) {
        self.state = state
        self.current = current
        self.ledger = ledger
        self.guardrail = guardrail
        var index: [String: Generation.File] = [:]
        for f in current?.files ?? [] { index[f.dest] = f }
        self.recordIndex = index
    }

    func build(host: String, homes: [String: String], targets unhashed: [TargetFile]) throws(ApplyError) -> ApplyPlan {
        let targets = try resolveHashes(unhashed)
        var items: [PlanItem] = []
        var replaced: [String] = []
        items.reserveCapacity(targets.count)
        for t in targets {
            var item = try plan(t)
            if item.reason == Self.replacedReason { replaced.append(t.dest) }
            if item.action == .unchanged, item.reason != nil { item.reason = nil }
            items.append(item)
        }
        let wanted = Set(targets.map(\.dest))
        for dest in ledger.entries.keys.sorted() where !wanted.contains(dest) {
            if let item = try planRemoval(dest) { items.append(item) }
        }
        let needsGeneration = items.contains { $0.backup } || recordDiffers(targets)
        return ApplyPlan(
            host: host, items: items, replaced: replaced, needsGeneration: needsGeneration, homes: homes,
            protected: guardrail.protected, targets: targets, ledger: ledger)
    }

    /// Fills in each target's SHA-256. When the live generation holds a file of the same size whose
    /// stat still matches its record, comparing the bytes proves the hash equal without computing it.
    func resolveHashes(_ targets: [TargetFile]) throws(ApplyError) -> [TargetFile] {
        var out = targets
        for i in out.indices where out[i].sha256.isEmpty {
            let data = try out[i].bytes()
            if let current, let record = recordIndex[out[i].dest], record.size == data.count, let recorded = record.stat {
                let path = state.generationPath(current.number) + "/files/" + record.home + "/" + record.path
                if POSIX.statFile(path) == recorded, (try? POSIX.readFile(path)) == data {
                    out[i].sha256 = record.sha256
                    continue
                }
            }
            out[i].sha256 = ContentHash.sha256(data)
        }
        return out
    }

    static let replacedReason = "replaced behind overlay's back"
    static let repairReason = "edited behind overlay's back, through the symlink; the live generation's file is repaired in place"

    /// True when the target's files, hashes, modes or link flags differ from the live generation's.
    func recordDiffers(_ targets: [TargetFile]) -> Bool {
        guard let current else { return !targets.isEmpty }
        if current.files.count != targets.count { return true }
        for t in targets {
            guard let f = recordIndex[t.dest], f.sha256 == t.sha256, f.mode == t.mode, f.link == t.link, f.home == t.home,
                f.path == t.relative
            else { return true }
        }
        return false
    }

    private func item(
        _ t: TargetFile, _ action: ChangeAction, _ step: HomeStep, reason: String? = nil, old: String? = nil, backup: Bool = false
    ) -> PlanItem {
        var item = PlanItem(
            path: t.dest, action: action, reason: reason, link: t.link, secret: t.secret, oldContentPath: old,
            target: t, step: step, backup: backup)
        item.oldSecret = recordIndex[t.dest]?.secret ?? false
        return item
    }

    private func plan(_ t: TargetFile) throws(ApplyError) -> PlanItem {
        let entry = try POSIX.lstatEntry(t.dest)
        let record = recordIndex[t.dest]
        let managed = ledger.entries[t.dest] != nil || record != nil
        let expected = state.linkTarget(home: t.home, relative: t.relative)
        // The live generation by number, not via `current`: after the switch it still shows the old bytes (diffs).
        let liveFile = record.flatMap { r in
            current.map { state.generationPath($0.number) + "/files/" + r.home + "/" + r.path }
        }
        switch entry {
        case .directory:
            throw .directoryInTheWay(path: t.dest)
        case .absent:
            let why = managed ? "deleted behind overlay's back" : nil
            return item(t, managed ? .restored : .created, t.link ? .linkBeforeSwitch : .copy, reason: why)
        case .symlink(let target) where target.hasPrefix(state.currentLink + "/files/"):
            guard let record, let liveFile else {
                return item(t, .created, t.link ? (target == expected ? .none : .linkAfterSwitch) : .copy)
            }
            if !t.link { return item(t, .updated, .copy, old: liveFile) }
            if target != expected { return item(t, .updated, .linkAfterSwitch, old: liveFile) }
            if record.sha256 != t.sha256 || record.mode != t.mode || !record.link {
                return item(t, .updated, .none, old: liveFile)
            }
            if checkGenerationFiles, try generationFileEdited(record, at: liveFile) {
                // Edited through the symlink, i.e. inside the live generation: the target has the
                // recorded hash, so that file is rewritten in place and the generation stays a
                // faithful rollback target (a new generation would leave the edit in this one).
                var repair = item(t, .restored, .none, reason: Self.repairReason, old: liveFile)
                repair.repair = true
                return repair
            }
            return item(t, .unchanged, .none)
        case .file(let st) where !t.link:
            return try planCopy(t, st, managed: managed, record: record)
        default:
            if case .file = entry, let mine = ledger.entries[t.dest], !mine.link,
                mine.hashes.contains(ContentHash.sha256(try POSIX.readFile(t.dest)))
            {
                // Overlay's own copy becoming a link (or the reverse): an update, not drift.
                return item(t, .updated, t.link ? .linkAfterSwitch : .copy, old: t.dest)
            }
            // A crash between the switch and the takeover leaves the user's file in place: not drift.
            let pending = current.flatMap { c in c.backups.first { $0.dest == t.dest }.map { (c.number, $0) } }
            if managed && pending == nil {
                return item(t, .restored, t.link ? .linkAfterSwitch : .copy, reason: Self.replacedReason, old: t.dest, backup: true)
            }
            if let (n, backup) = pending, Self.sameEntry(t.dest, state.generationPath(n) + "/" + backup.path) {
                // Its backup is already in the live generation: finish the takeover, no new generation.
                return item(
                    t, .backedUp, t.link ? .linkAfterSwitch : .copy, reason: "an unmanaged file was here; it is kept in generation \(n)",
                    old: t.dest)
            }
            return item(t, .backedUp, t.link ? .linkAfterSwitch : .copy, reason: "an unmanaged file was here", old: t.dest, backup: true)
        }
    }

    /// True when `a` and `b` hold the same: two files with the same bytes, or two symlinks to the same target.
    static func sameEntry(_ a: String, _ b: String) -> Bool {
        switch ((try? POSIX.lstatEntry(a)) ?? .absent, (try? POSIX.lstatEntry(b)) ?? .absent) {
        case (.symlink(let x), .symlink(let y)): return x == y
        case (.file(let x), .file(let y)): return x.size == y.size && (try? POSIX.readFile(a)) == (try? POSIX.readFile(b))
        default: return false
        }
    }

    /// A copied (`link: false`) file that is a regular file on disk.
    private func planCopy(_ t: TargetFile, _ st: FileStat, managed: Bool, record: Generation.File?) throws(ApplyError) -> PlanItem {
        let entry = ledger.entries[t.dest]
        if let entry, entry.verified == st, entry.hashes.last == t.sha256, st.mode == t.mode {
            return item(t, .unchanged, .none)
        }
        let hash = ContentHash.sha256(try POSIX.readFile(t.dest))
        if hash == t.sha256 {
            return item(t, st.mode == t.mode ? .unchanged : .updated, st.mode == t.mode ? .none : .copy, old: t.dest)
        }
        if let entry, entry.hashes.contains(hash) || record?.sha256 == hash {
            return item(t, .updated, .copy, old: t.dest)
        }
        if managed {
            return item(t, .restored, .copy, reason: "edited behind overlay's back", old: t.dest, backup: true)
        }
        return item(t, .backedUp, .copy, reason: "an unmanaged file was here", old: t.dest, backup: true)
    }

    /// True when the live generation's copy of a file no longer has the recorded content or mode.
    private func generationFileEdited(_ record: Generation.File, at path: String) throws(ApplyError) -> Bool {
        guard let st = POSIX.statFile(path) else { return true }
        if let recorded = record.stat, recorded == st { return false }
        // Generations built before files were stored read-only keep the declared mode.
        if st.mode != Generation.storedMode(record.mode) && st.mode != record.mode { return true }
        return ContentHash.sha256(try POSIX.readFile(path)) != record.sha256
    }

    /// A path that left the overlay: removed only if it still holds what overlay put there, and
    /// then replaced by the user's original when overlay backed one up before first placing its own.
    private func planRemoval(_ dest: String) throws(ApplyError) -> PlanItem? {
        guard let entry = ledger.entries[dest] else { return nil }
        let record = recordIndex[dest]
        func removal(_ action: ChangeAction, _ step: HomeStep, _ reason: String?, old: String?) -> PlanItem {
            PlanItem(
                path: dest, action: action, reason: reason, link: entry.link, secret: record?.secret ?? false,
                oldContentPath: old, target: nil, step: step, backup: false)
        }
        var check = guardrail
        do { _ = try check.locate(dest) } catch {
            return removal(.kept, .none, "no longer inside a declared home; left in place", old: nil)
        }
        let original = entry.original.flatMap(state.locateBackup)
        // The old bytes by generation number, not via the dest: they must outlive the removal (diffs).
        let old = record.flatMap { r in current.map { state.generationPath($0.number) + "/files/" + r.home + "/" + r.path } }
        func drop() -> PlanItem {
            guard let original else { return removal(.deleted, .remove, nil, old: old ?? dest) }
            var item = removal(
                .restoredBackup, .restoreBackup, "the file that was here before overlay is put back", old: old ?? dest)
            item.backupSource = original
            return item
        }
        switch try POSIX.lstatEntry(dest) {
        case .absent:
            return nil
        case .symlink(let target) where target.hasPrefix(state.currentLink + "/files/"):
            return drop()
        case .file:
            let data = try POSIX.readFile(dest)
            let hash = ContentHash.sha256(data)
            if !entry.link && (entry.hashes.contains(hash) || record?.sha256 == hash) {
                return drop()
            }
            // A run that crashed after putting the original back: done, only the ledger is left.
            if let original, case .file = try POSIX.lstatEntry(original), (try? POSIX.readFile(original)) == data {
                return nil
            }
            return removal(.kept, .none, "changed since overlay wrote it; left in place", old: nil)
        default:
            return removal(.kept, .none, "not what overlay placed; left in place", old: nil)
        }
    }
}
