import Foundation

/// The generations under a state dir: listing, known-good marks, crash cleanup and pruning.
public struct GenerationStore: Sendable {
    /// The state dir the generations live in.
    public let state: StateDirectory

    public init(state: StateDirectory) { self.state = state }

    /// Committed generation numbers, ascending (staging and trash folders are not generations).
    public func numbers() -> [Int] {
        POSIX.listDirectory(state.generationsPath).compactMap { Int($0) }.sorted()
    }

    /// The live generation, or nil before the first apply.
    public func currentNumber() -> Int? { AtomicSwitch.current(in: state) }

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

    /// The number the next generation gets (never reuses a committed or pruned-above number).
    func nextNumber() -> Int { (numbers().last ?? 0) + 1 }

    /// Removes what a crashed run left: staging folders, trash, `current.tmp`.
    /// Returns what was removed, for the log.
    @discardableResult
    func cleanLeftovers() -> [String] {
        var removed: [String] = []
        for name in POSIX.listDirectory(state.generationsPath)
        where name.hasPrefix(".staging-") || name.hasPrefix(".trash-") {
            POSIX.removeTree(state.generationsPath + "/" + name)
            removed.append(state.generationsPath + "/" + name)
        }
        let tmp = state.path + "/current.tmp"
        if (try? POSIX.lstatEntry(tmp)) != .absent {
            try? POSIX.unlinkIfPresent(tmp)
            removed.append(tmp)
        }
        return removed
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
