import Foundation
import Testing

/// The two reproductions of issue 20: a failure between the ledger write and the switch must
/// not leave a ledger that claims a path overlay never placed (every later apply then refused
/// without `--force`), nor a generation that never went live for `rollback` to pick.
@Suite struct ApplyFailureReproductionTests {
    /// A bundle managing `bulk/fLO…fHI-1` in the `timmy` home.
    func bulk(_ box: ApplySandbox, _ range: Range<Int>) -> [String: Any] {
        let timmy = box.home + "/.timmy"
        return [
            "host": "timmy", "homes": ["timmy": timmy], "protected": [],
            "files": range.map { i in
                ["dest": timmy + String(format: "/bulk/f%04d.txt", i), "content": Data("file \(i)\n".utf8).base64EncodedString()]
            },
        ]
    }

    /// `chattr +i` on `dir`, or nil when this file system or user cannot set it.
    func makeImmutable(_ dir: String) -> Bool {
        (try? runProcess("/usr/bin/chattr", ["+i", dir]))?.status == 0
    }

    @Test func aFailureAfterTheLedgerWasWrittenDoesNotLeaveTheHostStuck() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let bulkDir = box.home + "/.timmy/bulk"
        #expect(try box.apply(try box.write(bulk(box, 0..<20), name: "b1.json")).status == 0)
        let mine = bulkDir + "/f0020.txt"
        try "data\n".write(toFile: mine, atomically: false, encoding: .utf8)
        let second = try box.write(bulk(box, 10..<30), name: "b2.json")

        // The new generation takes over f0020 and creates f0021…: the folder refuses new entries.
        let failed: OverlayResult
        if makeImmutable(bulkDir) {
            defer { _ = try? runProcess("/usr/bin/chattr", ["-i", bulkDir]) }
            failed = try box.apply(second)
        } else {
            let log = box.root.path + "/fault.log"
            failed = try runOverlay(
                ["apply", "--bundle", second],
                env: box.env.merging(try FaultShim.environment(paths: [bulkDir], failAt: 1, log: log, errno: EPERM)) { $1 })
        }
        #expect(failed.status == 1, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stderr.contains("the previous generation stays live"), "\(failed.stderr)")
        let ledger = try String(contentsOfFile: box.state + "/managed.json", encoding: .utf8)
        #expect(!ledger.contains("f0020") && !ledger.contains("f0029"), "the ledger names only what went live")
        let status = try runOverlay(["status", "--format", "json"], env: box.env)
        #expect(status.json["generation"] as? Int == 1 && status.json["ok"] as? Bool == true, "\(status.stdout)")

        let again = try box.apply(second)

        #expect(again.status == 0, "a plain apply works again, no --force needed: \(again.stderr)")
        #expect(again.stdout.contains("backed-up  \(mine)"), "\(again.stdout)")
        let back = try runOverlay(["rollback"], env: box.env)
        #expect(back.status == 0)
        #expect(try String(contentsOfFile: mine, encoding: .utf8) == "data\n", "the person's file comes back with generation 1")
    }

    @Test func aGenerationThatNeverWentLiveIsNotListedNorRolledBackTo() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        #expect(try box.apply(try box.write(box.bundle([("a.txt", "v1\n")]))).status == 0)
        // A non-empty folder where `current.tmp` goes: the switch fails after generation 2 was
        // built and renamed into place (and the start-of-run cleanup cannot remove it either).
        let blocker = box.state + "/current.tmp"
        try FileManager.default.createDirectory(atPath: blocker + "/x", withIntermediateDirectories: true)
        let second = try box.write(box.bundle([("a.txt", "v2\n")]), name: "b2.json")

        let failed = try box.apply(second)

        #expect(failed.status == 1, "\(failed.stdout)\(failed.stderr)")
        #expect(box.read("a.txt") == "v1\n")
        let listed = try runOverlay(["generations", "--format", "json"], env: box.env)
        #expect((listed.json["generations"] as? [[String: Any]])?.map { $0["number"] as? Int } == [1], "\(listed.stdout)")
        #expect(!FileManager.default.fileExists(atPath: box.state + "/generations/2"), "the generation that never went live is gone")

        try FileManager.default.removeItem(atPath: blocker)
        let retry = try box.apply(second, ["--format", "json"])
        #expect(retry.status == 0 && retry.json["switched"] as? Bool == true, "\(retry.stdout)\(retry.stderr)")
        let back = try runOverlay(["rollback", "--format", "json"], env: box.env)

        #expect(back.status == 0 && back.json["generation"] as? Int == 1, "rollback goes to what was live before: \(back.stdout)")
        #expect(box.read("a.txt") == "v1\n")
    }
}
