import Foundation
import OverlayCore
import Testing

@testable import OverlayRuntime

@Suite struct PathGuardTests {
    /// Everything under the home, listed with file contents, to prove a refusal changed nothing.
    func snapshot(_ f: RuntimeFixture) -> [String] {
        let items = (FileManager.default.enumerator(atPath: f.root.path + "/home")?.allObjects as? [String]) ?? []
        return items.sorted()
    }

    @Test func destOutsideTheHomesIsRefused() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        var s = f.rendered(["a.txt": "a\n"])
        s.files.append(RenderedFile(dest: f.root.path + "/elsewhere.txt", content: Data(), source: "x"))
        #expect(throws: ApplyError.outsideHomes(path: f.root.path + "/elsewhere.txt", homes: [f.home])) { try f.apply(s) }
        #expect(snapshot(f) == [".hermes"])
    }

    @Test func destInsideProtectedIsRefused() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let s = f.rendered(["hermes-agent/run.py": "x"], protected: [f.home + "/hermes-agent"])
        #expect(throws: ApplyError.insideProtected(path: f.home + "/hermes-agent/run.py", protected: f.home + "/hermes-agent")) {
            try f.apply(s)
        }
        #expect(snapshot(f) == [".hermes"])
    }

    @Test func dotDotEscapeIsRefused() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let s = f.rendered(["../../escape.txt": "x"])
        #expect(throws: ApplyError.unnormalizedPath(path: f.home + "/../../escape.txt")) { try f.apply(s) }
        #expect(!FileManager.default.fileExists(atPath: f.root.path + "/escape.txt"))
    }

    @Test func symlinkPlantedInTheHomeIsNeverFollowed() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let outside = f.root.path + "/etc"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: f.home + "/conf", withDestinationPath: outside)
        let s = f.rendered(["conf/passwd": "pwned\n"])
        #expect(throws: ApplyError.symlinkInPath(path: f.home + "/conf/passwd", link: f.home + "/conf", target: outside)) {
            try f.apply(s)
        }
        #expect(POSIX.listDirectory(outside).isEmpty)
        #expect(GenerationStore(state: f.state).numbers().isEmpty)
    }
}
