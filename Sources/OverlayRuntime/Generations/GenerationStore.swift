import Foundation

/// The generations under a state dir: listing, known-good marks, crash cleanup and pruning.
public struct GenerationStore: Sendable {
    /// The state dir the generations live in.
    public let state: StateDirectory

    public init(state: StateDirectory) { self.state = state }

    /// Generation numbers, ascending: every generation that went live or is live. Staging and
    /// trash folders are not generations, and neither is one a run built but never switched to
    /// (a pending `LedgerIntent` names it until the next run removes it).
    public func numbers() -> [Int] {
        let all = folderNumbers()
        guard LedgerIntent.exists(state), let intent = try? LedgerIntent.read(state) else { return all }
        let live = currentNumber()
        return all.filter { !intent.hides($0, live: live) }
    }

    /// Every numbered folder under `generations/`, ascending.
    func folderNumbers() -> [Int] {
        POSIX.listDirectory(state.generationsPath).compactMap { Int($0) }.sorted()
    }

    /// The live generation, or nil before the first apply.
    public func currentNumber() -> Int? { AtomicSwitch.current(in: state) }

    /// What `current` points at.
    public enum Live: Sendable, Equatable {
        /// No `current` yet: before the first apply.
        case none
        /// Generation N, whose record is there.
        case generation(Int)
        /// Generation N, whose folder or record is missing (removed behind overlay's back);
        /// the next apply or rollback switches to `fallback`, the newest complete generation.
        case dangling(Int, fallback: Int?)
    }

    /// What `current` points at, checking that the generation is still there.
    public func live() -> Live {
        guard let n = currentNumber() else { return .none }
        if hasRecord(n) { return .generation(n) }
        return .dangling(n, fallback: newestComplete())
    }

    /// True when generation `n` has its folder and record.
    func hasRecord(_ n: Int) -> Bool {
        let folder = state.generationPath(n)
        return FileManager.default.fileExists(atPath: folder + "/" + Generation.recordName)
    }

    /// The newest generation whose record loads and whose every file is there with its
    /// recorded size: what a dangling `current` is switched back to.
    public func newestComplete() -> Int? {
        for n in numbers().reversed() where hasRecord(n) {
            guard let record = try? Generation.load(folder: state.generationPath(n)) else { continue }
            let files = state.generationPath(n) + "/files/"
            let whole = record.files.allSatisfy { POSIX.statFile(files + $0.home + "/" + $0.path)?.size == Int64($0.size) }
            if whole { return n }
        }
        return nil
    }

    /// The record of generation `n`.
    public func load(_ n: Int) throws(ApplyError) -> Generation {
        guard numbers().contains(n) else { throw .noSuchGeneration(n) }
        return try Generation.load(folder: state.generationPath(n))
    }

    /// When the live generation went live: the `current` link's own mtime, since every switch
    /// (apply or rollback) creates that link afresh and renames it into place. Nil before the
    /// first apply.
    public func switchTime() -> Date? {
        var st = stat()
        guard lstat(state.currentLink, &st) == 0 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(st.st_mtim.tv_sec) + TimeInterval(st.st_mtim.tv_nsec) / 1e9)
    }

    /// The live generation's record, or nil before the first apply.
    public func current() throws(ApplyError) -> Generation? {
        guard let n = currentNumber() else { return nil }
        return try load(n)
    }

    /// The live generation's homes, or nil before the first apply (its header alone is read).
    public func currentHomes() throws(ApplyError) -> [String: String]? {
        guard let n = currentNumber() else { return nil }
        guard numbers().contains(n) else { throw .noSuchGeneration(n) }
        return try Generation.homes(folder: state.generationPath(n))
    }

    /// The generation a run plans against: the live one, or — while `current` dangles — the one
    /// the next locked run will switch to (a dry run then shows what that run will do).
    func plannedCurrent() throws(ApplyError) -> Generation? {
        switch live() {
        case .none: return nil
        case .generation(let n): return try load(n)
        case .dangling(_, let fallback): return try fallback.map(load)
        }
    }

    /// Generations marked known-good (the deadman marks them once the agent is seen alive).
    public func knownGood() -> Set<Int> {
        guard let data = try? POSIX.readFile(state.knownGoodPath),
            let list = try? JSONDecoder().decode([Int].self, from: data)
        else { return [] }
        return Set(list)
    }

    /// Sets or clears the known-good mark of generation `n`.
    public func setKnownGood(_ n: Int, _ good: Bool = true) throws(ApplyError) {
        guard numbers().contains(n) else { throw .noSuchGeneration(n) }
        var set = knownGood()
        if good { set.insert(n) } else { set.remove(n) }
        let data = (try? JSONEncoder().encode(set.sorted())) ?? Data("[]".utf8)
        try DurableFile.replace(state.knownGoodPath, with: data, mode: 0o600)
    }

    /// The newest known-good generation that still exists.
    public func lastKnownGood() -> Int? {
        let existing = Set(numbers())
        return knownGood().filter(existing.contains).max()
    }

    /// The number the next generation gets: above every folder, so a number is never reused
    /// (not even one a failed run built and could not remove).
    func nextNumber() -> Int { (folderNumbers().last ?? 0) + 1 }

    /// Removes what a crashed run left: staging folders, trash, `current.tmp`, temporary files
    /// of the state dir's own records. Returns what was removed, for the log.
    @discardableResult
    func cleanLeftovers() -> [String] {
        var removed: [String] = []
        for name in POSIX.listDirectory(state.generationsPath)
        where name.hasPrefix(".staging-") || name.hasPrefix(".trash-") {
            POSIX.removeTree(state.generationsPath + "/" + name)
            removed.append(state.generationsPath + "/" + name)
        }
        for name in POSIX.listDirectory(state.path) where name == "current.tmp" || name.hasSuffix(DurableFile.temporarySuffix) {
            let path = state.path + "/" + name
            if (try? POSIX.unlinkIfPresent(path)) != nil { removed.append(path) }
        }
        return removed
    }

    /// Removes generation `n` (renamed to `.trash-N` first, so a crash mid-delete never leaves
    /// half a generation under its number).
    func discard(_ n: Int) throws(ApplyError) {
        let folder = state.generationPath(n)
        guard (try? POSIX.lstatEntry(folder)) != .absent else { return }
        let trash = state.generationsPath + "/.trash-\(n)"
        try POSIX.rename(folder, trash)
        POSIX.removeTree(trash)
    }

    /// Removes generations beyond the newest `keep`, never the current or last known-good one.
    /// Backups in a pruned generation move to `backups/gen-N/` so no user file is lost.
    @discardableResult
    public func prune(keep: Int) -> [Int] {
        let all = numbers()
        guard all.count > keep else { return [] }
        var keepSet = Set(all.suffix(max(keep, 1)))
        if let c = currentNumber() { keepSet.insert(c) }
        if let g = lastKnownGood() { keepSet.insert(g) }
        var pruned: [Int] = []
        for n in all where !keepSet.contains(n) {
            let folder = state.generationPath(n)
            let backups = folder + "/backups"
            if FileManager.default.fileExists(atPath: backups) {
                try? POSIX.makeDirectory(state.backupsPath, mode: 0o700)
                try? POSIX.rename(backups, state.backupsPath + "/gen-\(n)")
            }
            // Rename first: a crash mid-delete leaves a `.trash-` folder, never half a generation.
            let trash = state.generationsPath + "/.trash-\(n)"
            if (try? POSIX.rename(folder, trash)) != nil {
                POSIX.removeTree(trash)
                pruned.append(n)
            }
        }
        return pruned
    }
}
