import Foundation
import OverlayCore

@testable import OverlayRuntime

/// A temporary home and state dir, and helpers to build rendered states against them.
struct RuntimeFixture {
    let root: URL
    var home: String { root.path + "/home/.hermes" }
    var state: StateDirectory { StateDirectory(path: root.path + "/state") }
    var executor: ApplyExecutor { ApplyExecutor(state: state) }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-rt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: root.path + "/home/.hermes", withIntermediateDirectories: true)
    }

    func cleanup() { try? FileManager.default.removeItem(at: root) }

    /// A rendered state with `files` (relative path → content) placed in the `hermes` home.
    func rendered(
        _ files: [String: String], copies: Set<String> = [], secrets: Set<String> = [], modes: [String: UInt16] = [:],
        handlers: [RenderedHandler] = [], protected: [String] = []
    ) -> RenderedState {
        RenderedState(
            host: "timmy", homes: ["hermes": home], protected: protected,
            files: files.keys.sorted().map { rel in
                RenderedFile(
                    dest: home + "/" + rel, content: Data(files[rel, default: ""].utf8), mode: modes[rel],
                    link: !copies.contains(rel), containsSecret: secrets.contains(rel), source: rel)
            }, handlers: handlers)
    }

    func apply(_ s: RenderedState, force: Bool = false, keep: Int = 10) throws -> ApplyReport {
        try executor.apply(s, options: ApplyOptions(force: force, keep: keep, lockTimeout: 5))
    }

    func read(_ rel: String) -> String? {
        (try? String(contentsOfFile: home + "/" + rel, encoding: .utf8))
    }

    func entry(_ rel: String) -> PathEntry { (try? POSIX.lstatEntry(home + "/" + rel)) ?? .absent }

    func write(_ rel: String, _ text: String) throws {
        try text.write(toFile: home + "/" + rel, atomically: false, encoding: .utf8)
    }

    func mode(_ rel: String) -> UInt16? { POSIX.statFile(home + "/" + rel)?.mode }
}
