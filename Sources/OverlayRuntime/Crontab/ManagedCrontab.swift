import Foundation
import OverlayCore

/// Installs, compares and removes one host's managed block in a target crontab.
///
/// Every operation reads the whole crontab, changes only the host's block and
/// writes the whole crontab back — and writes nothing when the result is the
/// same text. Lines outside the block are kept byte for byte.
public struct ManagedCrontab: Sendable {
    /// The crontab this instance edits.
    public let target: CrontabTarget
    let store: any CrontabStore
    let userName: @Sendable () -> String?

    /// Edits `target` through the real `crontab` command or file.
    public init(target: CrontabTarget, timeout: Double = 30) throws(CrontabError) {
        let store: any CrontabStore
        switch target {
        case .user: store = try UserCrontabStore(timeout: timeout)
        case .file(let path): store = FileCrontabStore(path: path)
        }
        self.init(target: target, store: store)
    }

    /// Edits `target` through `store` (tests pass their own).
    public init(
        target: CrontabTarget, store: any CrontabStore, userName: @escaping @Sendable () -> String? = ManagedCrontab.currentUserName
    ) {
        self.target = target
        self.store = store
        self.userName = userName
    }

    /// Makes the host's block hold exactly `jobs`; with `dryRun` it only reports what would change.
    ///
    /// Refuses (throws, writes nothing) when a job would not parse or the existing block is damaged.
    @discardableResult
    public func install(jobs: [RenderedCronJob], host: String, dryRun: Bool = false) throws(CrontabError) -> CrontabChange {
        let declared = try declaredBlock(jobs: jobs, host: host)
        return try CrontabLock.withLock(target) { () throws(CrontabError) -> CrontabChange in
            let text = try store.read()
            let document = try CrontabDocument.parse(text, host: host)
            let newText = document.replacingBlock(with: declared.entries.isEmpty && document.block == nil ? nil : declared)
            var change = Self.change(from: document.block, to: declared)
            if newText != text {
                if !dryRun { try store.write(newText) }
                change.written = !dryRun
            }
            return change
        }
    }

    /// Compares the declared jobs with the host's installed block.
    public func diff(jobs: [RenderedCronJob], host: String) throws(CrontabError) -> CrontabDrift {
        let declared = try declaredBlock(jobs: jobs, host: host)
        let document = try CrontabDocument.parse(try store.read(), host: host)
        return CrontabDrift(installed: document.block, declared: declared, target: target.description)
    }

    /// Deletes the host's block, leaving every other line as it was.
    @discardableResult
    public func remove(host: String, dryRun: Bool = false) throws(CrontabError) -> CrontabChange {
        try CrontabLock.withLock(target) { () throws(CrontabError) -> CrontabChange in
            let document = try CrontabDocument.parse(try store.read(), host: host)
            guard let block = document.block else { return CrontabChange() }
            if !dryRun { try store.write(document.replacingBlock(with: nil)) }
            return CrontabChange(removed: block.entries.map(\.name), written: !dryRun)
        }
    }

    /// The block `jobs` render to for this target, after checking every line.
    public func declaredBlock(jobs: [RenderedCronJob], host: String) throws(CrontabError) -> CrontabBlock {
        try CrontabDocument.checkHost(host)
        var seen: Set<String> = []
        var lines: [(name: String, line: String)] = []
        for job in jobs {
            guard seen.insert(job.name).inserted else { throw .duplicateJob(job.name) }
            var user: String?
            if target.hasUserColumn {
                user = job.user ?? userName()
                if user == nil {
                    guard case .failure(let failure) = EffectiveUser.name() else {
                        throw .invalidJob(name: job.name, reason: "no user column: set the job's user")
                    }
                    throw .userUnknown(job: job.name, reason: failure.description)
                }
            }
            lines.append((job.name, try CrontabLine.render(job, user: user)))
        }
        return CrontabBlock.rendering(host: host, lines: lines)
    }

    /// The name of the effective user, for the /etc/cron.d user column (safe from parallel workers).
    public static let currentUserName: @Sendable () -> String? = { try? EffectiveUser.name().get() }

    static func change(from installed: CrontabBlock?, to declared: CrontabBlock) -> CrontabChange {
        let old = installed?.entries ?? []
        var change = CrontabChange()
        for entry in declared.entries {
            let matches = old.filter { $0.name == entry.name }
            if matches.isEmpty {
                change.added.append(entry.name)
            } else if matches.count == 1 && matches[0].line == entry.line {
                change.unchanged.append(entry.name)
            } else {
                change.updated.append(entry.name)
            }
        }
        let names = Set(declared.entries.map(\.name))
        for entry in old where !names.contains(entry.name) && !change.removed.contains(entry.name) {
            change.removed.append(entry.name)
        }
        return change
    }
}
