import Foundation

@testable import OverlayCore

/// A throwaway overlay repo on disk, built from inline files.
struct TempRepo {
    let root: URL

    /// Writes `files` (relative path → text) into a fresh temporary folder.
    init(_ files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-repo-\(UUID().uuidString)")
        for (path, text) in files { try write(path, text) }
    }

    /// Writes one more file.
    func write(_ path: String, _ text: String) throws {
        try write(path, Data(text.utf8))
    }

    /// Writes raw bytes.
    func write(_ path: String, _ data: Data) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Runs every check.
    func validate() -> ValidationReport { Validator().validate(root: root) }

    /// Diagnostics with `rule`.
    func diagnostics(_ rule: String) -> [Diagnostic] { validate().diagnostics.filter { $0.rule == rule } }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// Paths of the test fixtures.
enum Fixtures {
    /// `Tests/Fixtures`.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The example repo's config schema, shared by fixtures that check config.yaml.
    static var repoSchema: Data? {
        FileManager.default.contents(
            atPath: root.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("policy/config.schema.json").path)
    }

    /// Every file under a fixture folder, relative path → text.
    static func files(in folder: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        let base = folder.standardizedFileURL.path + "/"
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = walker?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let rel = String(url.standardizedFileURL.path.dropFirst(base.count))
            out[rel] = FileManager.default.contents(atPath: url.path)
        }
        return out
    }
}

/// A minimal, valid repo (Tests/Fixtures/valid/minimal): policy, soul, inventory, golden state.
enum MinimalRepo {
    static var files: [String: String] {
        Fixtures.files(in: Fixtures.root.appendingPathComponent("valid/minimal")).mapValues { String(decoding: $0, as: UTF8.self) }
    }

    static var inventory: String { files["inventory/hosts.yml"] ?? "" }
}
