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

    /// The case: the state dir under a home, and a dest inside it (`managed.json`).
    @Test func destInsideTheStateDirIsRefused() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let state = StateDirectory(path: f.home + "/.state")
        let s = f.rendered(["SOUL.md": "soul\n", ".state/managed.json": "{}\n"])
        #expect(throws: ApplyError.insideStateDir(path: f.home + "/.state/managed.json", stateDir: state.path)) {
            try ApplyExecutor(state: state).apply(s, options: ApplyOptions(lockTimeout: 5))
        }
        #expect(!FileManager.default.fileExists(atPath: f.home + "/SOUL.md"), "nothing was placed")
        #expect(GenerationStore(state: state).numbers().isEmpty)
    }

    /// A home that holds the state dir is refused even when no dest is inside the state dir.
    @Test func aHomeHoldingTheStateDirIsRefused() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let state = StateDirectory(path: f.home + "/.state")
        let error = try #require(throws: ApplyError.self) {
            try ApplyExecutor(state: state).apply(f.rendered(["SOUL.md": "soul\n"]), options: ApplyOptions(lockTimeout: 5))
        }
        guard case .unsafeHome(let name, _, let reason) = error else { throw error }
        #expect(name == "hermes" && reason.contains("contains overlay's state dir"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: f.home + "/SOUL.md"))
    }

    @Test func rootAsAHomeIsRefused() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let s = RenderedState(
            host: "timmy", homes: ["root": "/"], protected: [],
            files: [RenderedFile(dest: f.root.path + "/anywhere.txt", content: Data("x".utf8), source: "x")], handlers: [])
        let error = try #require(throws: ApplyError.self) { try f.apply(s) }
        #expect(error.description.contains("home 'root'") && error.description.contains("the root folder"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: f.root.path + "/anywhere.txt"))
    }

    /// A symlink above the home is followed to judge the home: `sys -> /` makes `sys/proc` /proc.
    @Test func aHomeThatIsReallyASystemFolderIsRefused() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        try FileManager.default.createSymbolicLink(atPath: f.root.path + "/sys", withDestinationPath: "/")
        let home = f.root.path + "/sys/proc"
        let s = RenderedState(
            host: "timmy", homes: ["sys": home], protected: [],
            files: [RenderedFile(dest: home + "/overlay-test", content: Data("x".utf8), source: "x")], handlers: [])
        let error = try #require(throws: ApplyError.self) { try f.apply(s) }
        #expect(error.description.contains("really /proc)") && error.description.contains("is the system folder /proc"), "\(error)")
    }

    /// A home that is itself a symlink is refused (docs/apply.md): writing through it would put
    /// files outside the declared home.
    @Test func aHomeThatIsASymlinkIsRefused() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let real = f.root.path + "/elsewhere"
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
        try FileManager.default.removeItem(atPath: f.home)
        try FileManager.default.createSymbolicLink(atPath: f.home, withDestinationPath: real)
        #expect(throws: ApplyError.homeIsSymlink(home: f.home, target: real)) { try f.apply(f.rendered(["SOUL.md": "x"])) }
        #expect(POSIX.listDirectory(real).isEmpty)
        let message = ApplyError.homeIsSymlink(home: f.home, target: real).description
        #expect(message.contains("declare the real folder (\(real))"))
    }
}
