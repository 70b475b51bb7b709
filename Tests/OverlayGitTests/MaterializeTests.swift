import Foundation
import Testing

@testable import OverlayGit

/// One commit's tree written into a staging folder, compared with what git itself stores.
@Suite struct MaterializeTests {
    @Test func filesAreByteIdenticalWithTheirModesAndSymlinksStaySymlinks() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        try f.write("SOUL.md", Data("soul\r\nwith CRLF kept as committed\r\n".utf8))
        try f.write("bin/run.sh", Data("#!/bin/sh\necho hi\n".utf8), executable: true)
        try f.write("data/all-bytes.bin", Data((0...255).map { UInt8($0) } + [0, 0, 255]))
        try f.write("data/empty", Data())
        try f.write("deep/a/b/c/d.yaml", Data("k: v\n".utf8))
        try FileManager.default.createSymbolicLink(atPath: f.work + "/data/link", withDestinationPath: "../SOUL.md")
        try FileManager.default.createSymbolicLink(atPath: f.work + "/deep/to-b", withDestinationPath: "a/b")
        // Attributes must not change what is written: overlay writes the blobs as stored.
        try f.write(".gitattributes", Data("*.md text eol=lf\n".utf8))
        let id = try f.commit("tree")
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        _ = try mirror.fetch(ref: "main")

        let staging = f.root + "/state/staging/\(id)"
        let written = try mirror.materialize(commit: id, into: staging)

        // The oracle: every entry git lists, with its mode and its blob's bytes.
        let listing = try f.git(["ls-tree", "-r", "-z", id], in: f.bare).split(separator: "\0")
        var fileBytes = 0
        #expect(written.files + written.symlinks == listing.count)
        for line in listing {
            let parts = line.split(separator: "\t", maxSplits: 1)
            let meta = parts[0].split(separator: " ")
            let (mode, oid, path) = (String(meta[0]), String(meta[2]), String(parts[1]))
            let blob = try f.gitData(["cat-file", "blob", oid], in: f.bare)
            let full = staging + "/" + path
            let attributes = try FileManager.default.attributesOfItem(atPath: full)
            if mode == "120000" {
                #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink, "\(path)")
                #expect(try FileManager.default.destinationOfSymbolicLink(atPath: full) == String(decoding: blob, as: UTF8.self))
            } else {
                #expect(attributes[.type] as? FileAttributeType == .typeRegular, "\(path)")
                #expect(FileManager.default.contents(atPath: full) == blob, "\(path)")
                fileBytes += blob.count
                let perms = (attributes[.posixPermissions] as? Int) ?? 0
                #expect(perms == (mode == "100755" ? 0o755 : 0o644), "\(path) has mode \(String(perms, radix: 8))")
            }
        }
        #expect(written.bytes == fileBytes && fileBytes > 300)
        #expect(FileManager.default.contents(atPath: staging + "/deep/to-b/c/d.yaml") == Data("k: v\n".utf8))
        #expect(f.leftovers(near: staging).isEmpty)
    }

    @Test func anEmptyCommitIsAnEmptyFolder() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        let id = try f.commit("nothing")
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        _ = try mirror.fetch(ref: "main")
        let tree = try mirror.materialize(commit: id, into: f.root + "/staging")
        #expect(tree.files == 0 && tree.directories == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.root + "/staging").isEmpty)
    }

    @Test func anExistingStagingFolderIsNeverWrittenOver() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        let id = try f.commit("c", ["a": "new\n"])
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        _ = try mirror.fetch(ref: "main")
        let staging = f.root + "/staging"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try "mine\n".write(toFile: staging + "/a", atomically: true, encoding: .utf8)
        #expect(throws: GitError.stagingExists(path: staging)) { try mirror.materialize(commit: id, into: staging) }
        #expect(try String(contentsOfFile: staging + "/a", encoding: .utf8) == "mine\n")
        // A dangling symlink counts as something there too.
        try FileManager.default.createSymbolicLink(atPath: f.root + "/dangling", withDestinationPath: f.root + "/nowhere")
        #expect(throws: GitError.self) { try mirror.materialize(commit: id, into: f.root + "/dangling") }
        #expect(!FileManager.default.fileExists(atPath: f.root + "/nowhere"))
    }

    @Test func aCommitThatIsNotInTheMirrorIsReported() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        try f.commit("c", ["a": "a\n"])
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        _ = try mirror.fetch(ref: "main")
        let error = #expect(throws: GitError.self) {
            try mirror.materialize(commit: String(repeating: "ab", count: 20), into: f.root + "/s")
        }
        #expect(error?.description.contains("cannot be read from the mirror") == true)
        #expect(throws: GitError.self) { try mirror.materialize(commit: "HEAD", into: f.root + "/s") }
    }
}
