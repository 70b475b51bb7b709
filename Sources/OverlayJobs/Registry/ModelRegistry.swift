import Foundation
import OverlayCore

/// The versions behind a promote target: `registry/current` is a symlink to
/// `current.versions/N`, and every promoted candidate is a new, read-only `N` beside it.
///
/// A promotion copies the candidate into a staging folder, makes it durable, renames it to
/// its number and then switches the symlink with one `rename(2)`: a promote killed at any
/// instant leaves either the old or the new version live, never a mix.
public struct ModelRegistry: Sendable {
    /// The target symlink, absolute.
    public let target: String

    public init(target: String) {
        self.target = target
    }

    /// Where the versions live: `<target>.versions/`.
    public var versionsDirectory: String { target + ".versions" }

    var linkPrefix: String { (target as NSString).lastPathComponent + ".versions/" }

    /// The version the target points at (nil: no target yet). A target that is not a symlink
    /// into the versions folder is refused: overlay would not know what it replaces.
    public func liveVersion() throws(JobsError) -> Int? {
        var st = stat()
        guard lstat(target, &st) == 0 else {
            if errno == ENOENT { return nil }
            throw .registry("cannot read \(target): \(ErrnoText.describe(errno))")
        }
        guard st.st_mode & S_IFMT == S_IFLNK else {
            throw .registry(
                "\(target) is a real \((st.st_mode & S_IFMT) == S_IFDIR ? "folder" : "file"), not the symlink promote switches; move it aside (mv \(target) \(target).old) and promote again"
            )
        }
        let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: target)) ?? ""
        guard link.hasPrefix(linkPrefix), let n = Int(link.dropFirst(linkPrefix.count)) else {
            throw .registry("\(target) points at \(link), not at a version overlay placed in \(linkPrefix); remove the link to start over")
        }
        return n
    }

    /// The versions present, ascending.
    public func versions() -> [Int] {
        ((try? FileManager.default.contentsOfDirectory(atPath: versionsDirectory)) ?? []).compactMap { name in
            name.allSatisfy(\.isNumber) ? Int(name) : nil
        }.sorted()
    }

    /// Places `source` (a folder or a file) as the next version and switches the target to it.
    public func promote(from source: String) throws(JobsError) -> (version: Int, previous: Int?) {
        let previous = try liveVersion()
        guard FileManager.default.fileExists(atPath: source) else {
            throw .registry("nothing to promote: \(source) does not exist (did the step that builds the candidate write it?)")
        }
        let fm = FileManager.default
        do { try fm.createDirectory(atPath: versionsDirectory, withIntermediateDirectories: true) } catch {
            throw .registry("cannot create \(versionsDirectory): \(error.localizedDescription)")
        }
        removeStaleStaging()
        let staging = versionsDirectory + "/.staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do { try fm.copyItem(atPath: source, toPath: staging) } catch {
            try? fm.removeItem(atPath: staging)
            throw .registry("cannot copy \(source) into \(versionsDirectory): \(error.localizedDescription)")
        }
        Durability.makeReadOnly(staging)
        try Durability.syncFileSystem(containing: staging)
        var version = (versions().last ?? 0) + 1
        while rename(staging, versionsDirectory + "/\(version)") != 0 {
            guard errno == EEXIST || errno == ENOTEMPTY, version < Int(Int32.max) else {
                let code = errno
                try? fm.removeItem(atPath: staging)
                throw .registry("cannot place version \(version) in \(versionsDirectory): \(ErrnoText.describe(code))")
            }
            version += 1
        }
        try Durability.fsyncDirectory(versionsDirectory)
        try switchTarget(to: version)
        return (version, previous)
    }

    /// Points the target at an existing version with one `rename(2)`; returns the version
    /// that was live.
    @discardableResult
    public func switchTarget(to version: Int) throws(JobsError) -> Int? {
        let previous = try liveVersion()
        guard versions().contains(version) else {
            let known = versions().map(String.init).joined(separator: ", ")
            throw .registry("\(target) has no version \(version) (versions: \(known.isEmpty ? "none" : known))")
        }
        let parent = (target as NSString).deletingLastPathComponent
        let temporary = parent + "/." + (target as NSString).lastPathComponent + ".switch-\(getpid())"
        unlink(temporary)
        guard symlink(linkPrefix + "\(version)", temporary) == 0 else {
            throw .registry("cannot create \(temporary): \(ErrnoText.describe(errno))")
        }
        guard rename(temporary, target) == 0 else {
            let code = errno
            unlink(temporary)
            throw .registry("cannot switch \(target) to version \(version): \(ErrnoText.describe(code))")
        }
        try Durability.fsyncDirectory(parent)
        return previous
    }

    /// Staging folders are only ever left by a killed promote (the playbook lock keeps two
    /// promotes of one target apart).
    private func removeStaleStaging() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: versionsDirectory)) ?? [] where name.hasPrefix(".staging-") {
            try? FileManager.default.removeItem(atPath: versionsDirectory + "/" + name)
        }
    }
}
