import Foundation
import OverlayCore

/// The overlay repo as a command reads it: a root folder and the inventory to use with it.
public struct RepoSource: Sendable {
    /// The repo's root folder (absolute).
    public var root: URL
    /// `-i FILE` as the user wrote it, when given (relative to `workingDirectory`).
    public var inventory: String?
    /// Where a relative `-i` is resolved from.
    public var workingDirectory: String

    /// The repo at `root` with the inventory of `-i` (default: the repo's own).
    public init(root: URL, inventory: String? = nil, workingDirectory: String = FileManager.default.currentDirectoryPath) {
        self.root = root
        self.inventory = inventory
        self.workingDirectory = workingDirectory
    }

    /// True when the repo has its own inventory file.
    public var hasOwnInventory: Bool {
        Inventory.repoPaths.contains { FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path) }
    }

    /// Loads the repo and builds the validation context. A `-i` file outside the repo is read
    /// with its `group_vars/` and `host_vars/`, and its problems are reported like the repo's
    /// own; a missing file or a folder is an error.
    public func context(hostScope: Set<String>? = nil) throws(SourceError) -> ValidationContext {
        let repo = LoadedRepo(root: root)
        guard let option = inventory else { return ValidationContext(repo: repo, hostScope: hostScope) }
        let url = URL(fileURLWithPath: option, relativeTo: URL(fileURLWithPath: workingDirectory)).standardizedFileURL
        let own = Inventory.repoPaths.map { root.appendingPathComponent($0).standardizedFileURL.path }
        if own.contains(url.path) { return ValidationContext(repo: repo, hostScope: hostScope) }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else { throw .inventoryNotFound(option) }
        if isDir.boolValue { throw .inventoryIsFolder(option) }
        return ValidationContext(repo: repo, inventoryFile: url, reportedAs: option, hostScope: hostScope)
    }
}
