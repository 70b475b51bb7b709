import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 9: an apply killed after its switch but before its handlers ran used to leave the new
/// config live, the agent never restarted, and nothing saying so. The handlers a switch owes
/// are journaled before it; `status` lists them and the next run runs them.
@Suite struct HandlerJournalEndToEndTests {
    /// A bundle whose `a.txt` is watched by a slow handler (it signals when it starts) and a
    /// quick one that runs after it.
    func bundle(_ box: ApplySandbox, _ content: String) -> [String: Any] {
        let started = box.root.path + "/started"
        let ran = box.root.path + "/ran"
        return box.bundle(
            [("a.txt", content)],
            handlers: [
                [
                    "name": "slow", "run": "echo slow >> '\(ran)'; echo $$ > '\(started)'; exec sleep 30",
                    "on_change": [box.hermes + "/a.txt"],
                ],
                ["name": "restart-agent", "run": "echo restart-agent >> '\(ran)'", "on_change": [box.hermes + "/a.txt"]],
            ])
    }

    func ran(_ box: ApplySandbox) -> [String] {
        ((try? String(contentsOfFile: box.root.path + "/ran", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func aKillBetweenTheSwitchAndTheHandlersIsMadeGoodByTheNextApply() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let first = try box.write(bundle(box, "v1\n"), name: "b1.json")
        // The first apply creates a.txt: both handlers run; the slow one is cut short by a kill
        // of its own once it started, which is not what this test is about — let it finish fast.
        try "".write(toFile: box.root.path + "/ran", atomically: true, encoding: .utf8)
        var quick = bundle(box, "v1\n")
        quick["handlers"] = []
        #expect(try box.apply(try box.write(quick, name: "b0.json")).status == 0)
        _ = first

        // Generation 2 changes a.txt; kill apply while the slow handler runs (after the switch).
        let p = try ApplyCrashTests.spawnApply(box, bundle: try box.write(bundle(box, "v2\n"), name: "b2.json"))
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: box.root.path + "/started") && Date() < deadline { usleep(20_000) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        // The handler leads its own process group: stop it too (it is not under test).
        if let pid = Int32(
            (try? String(contentsOfFile: box.root.path + "/started", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                ?? "")
        {
            kill(-pid, SIGKILL)
        }
        #expect(box.read("a.txt") == "v2\n", "the switch happened")
        #expect(ran(box) == ["slow"], "restart-agent never ran: \(ran(box))")

        let status = try runOverlay(["status", "--format", "json"], env: box.env)
        #expect(status.status == 1, "\(status.stdout)")
        #expect(status.json["pending_handlers"] as? [String] == ["slow", "restart-agent"], "\(status.stdout)")
        let text = try runOverlay(["status"], env: box.env)
        #expect(text.stdout.contains("handlers owed: slow, restart-agent"), "\(text.stdout)")

        // The next apply changes nothing, and still runs what the switch owed.
        var fast = bundle(box, "v2\n")
        fast["handlers"] = [
            ["name": "slow", "run": "echo slow-again >> '\(box.root.path)/ran'", "on_change": [box.hermes + "/a.txt"]],
            ["name": "restart-agent", "run": "echo restart-agent >> '\(box.root.path)/ran'", "on_change": [box.hermes + "/a.txt"]],
        ]
        let next = try box.apply(try box.write(fast, name: "b3.json"), ["--format", "json"])
        #expect(next.status == 0, "\(next.stdout)\(next.stderr)")
        #expect(next.stderr.contains("were owed by an interrupted run"), "\(next.stderr)")
        #expect(ran(box) == ["slow", "slow-again", "restart-agent"], "the owed handlers ran, as now defined: \(ran(box))")
        let after = try runOverlay(["status", "--format", "json"], env: box.env)
        #expect(after.status == 0 && after.json["pending_handlers"] as? [String] == [], "\(after.stdout)")
        #expect(!FileManager.default.fileExists(atPath: box.state + "/handlers-owed.json"))
        let again = try box.apply(try box.write(fast, name: "b3.json"))
        #expect(again.status == 0 && ran(box).count == 3, "run once, not on every later apply: \(ran(box))")
    }

    @Test func aKillBeforeTheSwitchOwesNothing() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        var quick = bundle(box, "v1\n")
        quick["handlers"] = []
        #expect(try box.apply(try box.write(quick, name: "b0.json")).status == 0)
        // Generation 2 fails at its switch (a folder where `current.tmp` goes): its journal
        // entries are for a switch that never happened.
        try FileManager.default.createDirectory(atPath: box.state + "/current.tmp/x", withIntermediateDirectories: true)
        let failed = try box.apply(try box.write(bundle(box, "v2\n"), name: "b2.json"))
        #expect(failed.status == 1)
        let status = try runOverlay(["status", "--format", "json"], env: box.env)
        #expect(status.json["pending_handlers"] as? [String] == [] && status.json["ok"] as? Bool == true, "\(status.stdout)")
        #expect(ran(box).isEmpty)
    }
}
