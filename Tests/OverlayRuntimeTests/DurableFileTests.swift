import Foundation
import Testing

@testable import OverlayRuntime

@Suite struct DurableFileTests {
    @Test func aFailedReplaceLeavesNoTempFileBehind() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        // rename(2) of a file over a non-empty folder fails, for root too.
        let path = f.home + "/in-the-way"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try f.write("in-the-way/x", "x\n")

        #expect(throws: ApplyError.self) { try DurableFile.replace(path, with: Data("new\n".utf8), mode: 0o644) }

        #expect(f.entry(".in-the-way.overlay-tmp") == .absent)
        #expect(f.read("in-the-way/x") == "x\n")
    }

    @Test func aFailedSymlinkReplaceLeavesNoTempLinkBehind() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let path = f.home + "/in-the-way"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try f.write("in-the-way/x", "x\n")

        #expect(throws: ApplyError.self) { try DurableFile.replaceWithSymlink(path, target: "/nowhere") }

        #expect(f.entry(".in-the-way.overlay-tmp") == .absent)
    }

    @Test func aSuccessfulReplaceWritesTheBytesAndMode() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        try f.write("c.txt", "old\n")

        try DurableFile.replace(f.home + "/c.txt", with: Data("new\n".utf8), mode: 0o640)

        #expect(f.read("c.txt") == "new\n" && f.mode("c.txt") == 0o640)
        #expect(f.entry(".c.txt.overlay-tmp") == .absent)
    }
}
