import Foundation
import OverlayCore

#if canImport(Glibc)
    import Glibc
#endif

/// Builds a new generation in a staging folder and makes it durable (`stage`), then commits
/// it as `generations/N` (`commit`). Until the commit the folder is invisible and removed by
/// the next run; a failed stage removes it at once, so a full disk stays as full as it was.
struct GenerationBuilder {
    let state: StateDirectory
    let store: GenerationStore

    /// Checks the room, writes every target file and backup and the record, and syncs them once.
    /// Returns the record and the staging folder.
    func stage(
        number: Int, plan: ApplyPlan, host: String, commit: String?, previous: Int?, time: Date
    ) throws(ApplyError) -> (record: Generation, staging: String) {
        try requireRoom(plan)
        let staging = state.generationsPath + "/.staging-\(number)-\(getpid())"
        POSIX.removeTree(staging)
        try POSIX.makeDirectory(staging, mode: 0o700)
        do throws(ApplyError) {
            return (
                try write(number: number, plan: plan, host: host, commit: commit, previous: previous, time: time, into: staging), staging
            )
        } catch {
            POSIX.removeTree(staging)
            throw error
        }
    }

    /// Renames the staged folder to `generations/N` and makes the rename durable. A failure
    /// leaves neither folder (the caller's intent names N, so a crash here is undone too).
    func commit(_ staging: String, number: Int) throws(ApplyError) {
        do throws(ApplyError) { try POSIX.rename(staging, state.generationPath(number)) } catch {
            POSIX.removeTree(staging)
            throw error
        }
        try POSIX.fsyncPath(state.generationsPath)
    }

    /// Fails with the sizes when the state dir's file system cannot hold the generation.
    private func requireRoom(_ plan: ApplyPlan) throws(ApplyError) {
        var sizes: [Int] = []
        var folders: Set<String> = []
        for t in plan.targets {
            sizes.append(t.content?.count ?? Int(t.contentPath.flatMap(POSIX.statFile)?.size ?? 0))
            folders.insert(t.home + "/" + (t.relative as NSString).deletingLastPathComponent)
        }
        for item in plan.items where item.backup {
            if let path = item.oldContentPath, let st = POSIX.statFile(path) { sizes.append(Int(st.size)) }
        }
        try FreeSpace.require(sizes: sizes, folders: folders.count + 2, in: state.generationsPath)
    }

    private func write(
        number: Int, plan: ApplyPlan, host: String, commit: String?, previous: Int?, time: Date, into staging: String
    ) throws(ApplyError) -> Generation {
        var files: [Generation.File] = []
        files.reserveCapacity(plan.targets.count)
        var made: Set<String> = [staging]
        for t in plan.targets {
            let path = staging + "/files/" + t.home + "/" + t.relative
            try makeParents(of: path, made: &made)
            let data = try t.bytes()
            // Stored read-only: a generation must stay what it was built as (a rollback target).
            try DurableFile.create(data, at: path, mode: Generation.storedMode(t.mode))
            files.append(
                Generation.File(
                    dest: t.dest, home: t.home, path: t.relative, sha256: t.sha256, size: data.count, mode: t.mode,
                    link: t.link, secret: t.secret, stat: POSIX.statFile(path)))
        }
        var backups: [Generation.Backup] = []
        for item in plan.items where item.backup {
            guard let source = item.oldContentPath, let t = item.target else { continue }
            let relative = "backups/" + t.home + "/" + t.relative
            let path = staging + "/" + relative
            try makeParents(of: path, made: &made)
            try Self.copyEntry(from: source, to: path)
            backups.append(Generation.Backup(dest: item.path, path: relative))
        }
        let record = Generation(
            number: number, time: Self.iso8601(time), host: host, commit: commit, homes: plan.homes, protected: plan.protected,
            files: files, backups: backups, previous: previous, cron: plan.cron, handlers: plan.handlers)
        try DurableFile.create(record.encoded(), at: staging + "/" + Generation.recordName, mode: 0o600)
        if let index = GenerationIndex.encode(files) {
            var header = record
            header.files = []
            try DurableFile.create(header.encoded(), at: staging + "/" + Generation.headerName, mode: 0o600)
            try DurableFile.create(index, at: staging + "/" + GenerationIndex.name, mode: 0o600)
        }
        // One syncfs(2) makes every file and folder of the generation durable before it can go live.
        try POSIX.syncFileSystem(containing: staging)
        return record
    }

    private func makeParents(of path: String, made: inout Set<String>) throws(ApplyError) {
        let dir = (path as NSString).deletingLastPathComponent
        if made.contains(dir) { return }
        try POSIX.makeDirectories(dir, mode: 0o700)
        made.insert(dir)
    }

    /// Copies a file as-is, or recreates a symlink as a symlink (never following it).
    /// With `sync`, the copy and its folder are flushed before returning.
    static func copyEntry(from source: String, to path: String, sync: Bool = false) throws(ApplyError) {
        switch try POSIX.lstatEntry(source) {
        case .symlink(let target): try POSIX.symlink(target, at: path)
        case .file(let st): try DurableFile.create(try POSIX.readFile(source), at: path, mode: st.mode, sync: sync)
        default: return
        }
        if sync { try POSIX.fsyncPath((path as NSString).deletingLastPathComponent) }
    }

    static func iso8601(_ date: Date) -> String { UTCTimestamp.string(date) }
}
