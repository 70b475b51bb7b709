import Foundation
import Testing

/// A state dir on a small file system of its own (a tmpfs mounted for the test when it runs as
/// root; otherwise a folder, whose own usage is measured): an apply that does not fit is
/// refused with the sizes before it writes anything, and one whose writes fail with ENOSPC
/// anyway leaves the disk exactly as full as it was.
@Suite(.serialized) struct FullDiskEndToEndTests {
    /// The state dir's file system: mounted for the test, or nil when mounting is not possible.
    final class SmallDisk {
        let path: String
        let mounted: Bool

        init(_ path: String, size: String, inodes: Int) throws {
            self.path = path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let r =
                getuid() == 0
                ? try? runProcess("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size),nr_inodes=\(inodes)", "tmpfs", path]) : nil
            mounted = r?.status == 0
        }

        /// Unmounts it (before the sandbox holding the mount point is removed).
        func unmount() { if mounted { _ = try? runProcess("/bin/umount", [path]) } }

        /// Blocks and inodes in use: of the whole file system when mounted, else of the folder.
        var used: (bytes: Int64, inodes: Int64) {
            if mounted {
                var st = statvfs()
                guard statvfs(path, &st) == 0 else { return (-1, -1) }
                return (Int64(st.f_blocks - st.f_bfree) * Int64(st.f_frsize), Int64(st.f_files - st.f_ffree))
            }
            let items = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String]) ?? []
            let bytes = items.reduce(Int64(0)) { sum, rel in
                sum + ((try? FileManager.default.attributesOfItem(atPath: path + "/" + rel))?[.size] as? Int64 ?? 0)
            }
            return (bytes, Int64(items.count))
        }
    }

    func bundle(_ box: ApplySandbox, files: [(String, Int)]) -> [String: Any] {
        box.bundle(files.map { ($0.0, String(repeating: "x", count: $0.1)) })
    }

    @Test func aGenerationThatDoesNotFitIsRefusedWithTheSizesAndWritesNothing() throws {
        var box = try ApplySandbox()
        defer { box.cleanup() }
        let disk = try SmallDisk(box.root.path + "/disk", size: "4m", inodes: 400)
        defer { disk.unmount() }
        box.stateOverride = disk.path + "/state"
        #expect(try box.apply(try box.write(bundle(box, files: [("a.txt", 1000)]))).status == 0)
        let before = disk.used

        let big = try box.apply(try box.write(bundle(box, files: [("a.txt", 1000), ("big.bin", 6_000_000)]), name: "big.json"))

        #expect(big.status == 1, "\(big.stdout)\(big.stderr)")
        #expect(
            big.stderr.contains("not enough room in \(disk.path)/state/generations for the new generation (7.1 MB with a margin"),
            "\(big.stderr)")
        #expect(disk.used == before, "the disk is as full as it was")
        #expect(box.read("big.bin") == nil)

        guard disk.mounted else { return }
        // Out of inodes rather than pages: 500 small files on a 400-inode file system.
        let many = try box.apply(try box.write(bundle(box, files: (0..<500).map { ("many/f\($0).txt", 10) }), name: "many.json"))
        #expect(many.status == 1, "\(many.stdout)\(many.stderr)")
        #expect(many.stderr.contains("inodes"), "\(many.stderr)")
        #expect(disk.used == before)
    }

    @Test func writesThatFailWithENOSPCLeaveTheDiskAsFullAsItWas() throws {
        var box = try ApplySandbox()
        defer { box.cleanup() }
        let disk = try SmallDisk(box.root.path + "/disk", size: "8m", inodes: 400)
        defer { disk.unmount() }
        box.stateOverride = disk.path + "/state"
        #expect(try box.apply(try box.write(bundle(box, files: [("a.txt", 1000)]))).status == 0)
        let second = try box.write(bundle(box, files: [("a.txt", 2000), ("b/c.txt", 300_000), ("d.txt", 5)]), name: "b2.json")
        let saved = box.root.path + "/saved"
        func copy(_ from: String, _ to: String) throws {
            try? FileManager.default.removeItem(atPath: to)
            #expect(try runProcess("/bin/cp", ["-a", from, to]).status == 0)
        }
        try FileManager.default.createDirectory(atPath: saved, withIntermediateDirectories: true)
        try copy(box.state, saved + "/state")
        try copy(box.home, saved + "/home")
        // The calls a run makes on the small disk, then each of them failing with ENOSPC.
        let log = box.root.path + "/calls.log"
        let counted = try runOverlay(
            ["apply", "--bundle", second], env: box.env.merging(try FaultShim.environment(paths: [disk.path], failAt: 0, log: log)) { $1 })
        #expect(counted.status == 0, "\(counted.stderr)")
        let total = FaultShim.calls(in: log).count
        #expect(total > 10)
        for k in 1...total {
            try copy(saved + "/state", box.state)
            try copy(saved + "/home", box.home)
            let before = disk.used
            let failed = try runOverlay(
                ["apply", "--bundle", second],
                env: box.env.merging(try FaultShim.environment(paths: [disk.path], failAt: k, log: log, errno: ENOSPC)) { $1 })
            let live = try? FileManager.default.destinationOfSymbolicLink(atPath: box.state + "/current")
            if live == "generations/1" {
                #expect(failed.status == 1)
                #expect(disk.used == before, "call \(k) failed with ENOSPC before the switch and left something: \(failed.stderr)")
            }
        }
    }
}
