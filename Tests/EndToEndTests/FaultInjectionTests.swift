import Foundation
import Testing

/// Every write-type call of an apply and of a rollback — under the state dir, the home and the
/// crontab's folder in turn — is made to fail (EIO, through the LD_PRELOAD shim), one per run.
/// After each: exactly one generation is live and complete; `generations`, `status` and the
/// ledger agree with it; no staging, trash or temporary file is left; and a plain retry (no
/// `--force`) succeeds and leads where it should.
@Suite struct FaultInjectionTests {
    enum Scope: String, CaseIterable { case state, home, crontab }

    func prefix(_ box: FaultSandbox, _ scope: Scope) -> String {
        switch scope {
        case .state: return box.state
        case .home: return box.home
        case .crontab: return box.cronDir
        }
    }

    /// Generation 1 applied, a person's file where generation 2 takes over; returns the snapshot
    /// and the two bundle paths.
    func prepare(_ box: FaultSandbox) throws -> (snapshot: String, a: String, b: String) {
        let a = try box.write(box.bundleA, name: "a.json")
        let b = try box.write(box.bundleB, name: "b.json")
        let first = try box.run(["apply", "--bundle", a])
        try #require(first.status == 0, "\(first.stderr)")
        try "a person's notes\n".write(toFile: box.hermes + "/mine.txt", atomically: false, encoding: .utf8)
        return (try box.snapshot(), a, b)
    }

    /// The calls `args` makes under `scope` when nothing fails.
    func count(_ box: FaultSandbox, _ scope: Scope, _ args: [String], snapshot: String) throws -> [FaultShim.Call] {
        try box.restore(snapshot)
        let log = box.root.path + "/count.log"
        try? FileManager.default.removeItem(atPath: log)
        let r = try box.run(args, extra: try FaultShim.environment(paths: [prefix(box, scope)], failAt: 0, log: log))
        #expect(r.status == 0, "the run without a fault failed: \(r.stderr)")
        return FaultShim.calls(in: log)
    }

    /// Runs `args` with call `k` failing; returns that call as the shim logged it.
    func inject(_ box: FaultSandbox, _ scope: Scope, _ args: [String], k: Int) throws -> (OverlayResult, String) {
        let log = box.root.path + "/fault.log"
        try? FileManager.default.removeItem(atPath: log)
        let r = try box.run(args, extra: try FaultShim.environment(paths: [prefix(box, scope)], failAt: k, log: log))
        let call = FaultShim.calls(in: log).first(where: \.failed)?.description ?? "#\(k) (not reached)"
        return (r, "\(args.joined(separator: " ")) with \(call) failing: exit \(r.status), \(r.stderr)")
    }

    /// What must hold whatever call failed: `before` or `after` is live and complete, the
    /// listing and `status` say so, the ledger matches, nothing temporary is left.
    @discardableResult
    func checkConsistent(
        _ box: FaultSandbox, before: Int, after: Int, generations: (before: [Int], after: [Int]), ledgerBefore: Set<String>,
        _ context: String
    ) throws -> Int? {
        guard let live = box.live, live == before || live == after else {
            Issue.record("no known generation is live (\(String(describing: box.live))): \(context)")
            return nil
        }
        #expect(box.isComplete(live), "generation \(live) is not complete: \(context)")
        let listing = try box.run(["generations", "--format", "json"])
        let numbers = (listing.json["generations"] as? [[String: Any]])?.compactMap { $0["number"] as? Int }
        #expect(listing.json["current"] as? Int == live, "generations: \(listing.stdout) \(context)")
        #expect(numbers == (live == before ? generations.before : generations.after), "generations: \(listing.stdout) \(context)")
        let status = try box.run(["status", "--format", "json"])
        #expect(status.json["generation"] as? Int == live, "status: \(status.stdout) \(context)")
        #expect(box.leftovers.isEmpty, "left behind: \(box.leftovers) \(context)")
        let liveDests = box.dests(ofGeneration: live) ?? []
        if live == before {
            // Nothing went live: nothing may look as if it had.
            #expect(box.ledger == ledgerBefore, "ledger changed without a switch: \(box.ledger.sorted()) \(context)")
            #expect(status.json["ok"] as? Bool == true, "status: \(status.stdout) \(context)")
            #expect(!FileManager.default.fileExists(atPath: box.state + "/pending-switch.json"), "\(context)")
        } else {
            let known = liveDests.union(box.dests(ofGeneration: before) ?? [])
            #expect(box.ledger.isSuperset(of: liveDests) && box.ledger.isSubset(of: known), "ledger: \(box.ledger.sorted()) \(context)")
        }
        return live
    }

    func applySuite(_ scope: Scope) throws {
        let box = try FaultSandbox("faults-apply-\(scope)")
        defer { box.cleanup() }
        let (snapshot, a, b) = try prepare(box)
        let apply = ["apply", "--bundle", b]
        let calls = try count(box, scope, apply, snapshot: snapshot)
        #expect(calls.count >= (scope == .crontab ? 4 : 15), "too few calls to test: \(calls)")
        let pristineLedger = try { () throws -> Set<String> in
            try box.restore(snapshot)
            return box.ledger
        }()
        for k in 1...calls.count {
            try box.restore(snapshot)
            let (faulted, context) = try inject(box, scope, apply, k: k)
            _ = faulted
            guard
                try checkConsistent(
                    box, before: 1, after: 2, generations: ([1], [1, 2]), ledgerBefore: pristineLedger, context) != nil
            else { continue }
            let retry = try box.run(apply)
            #expect(retry.status == 0, "the plain retry failed: \(retry.stderr) — after \(context)")
            let status = try box.run(["status", "--format", "json"])
            #expect(status.status == 0 && status.json["ok"] as? Bool == true, "status after the retry: \(status.stdout) — \(context)")
            #expect(box.ledger == box.dests(ofGeneration: box.live ?? 0), "ledger after the retry — \(context)")
            #expect(((try? String(contentsOfFile: box.crontab, encoding: .utf8)) ?? "").contains("@hourly"), "\(context)")
            let back = try box.run(["rollback", "--format", "json"])
            #expect(back.status == 0 && back.json["generation"] as? Int == 1, "rollback: \(back.stdout)\(back.stderr) — \(context)")
            #expect(box.leftovers.isEmpty && box.live == 1, "after the rollback — \(context)")
        }
        _ = a
    }

    func rollbackSuite(_ scope: Scope) throws {
        let box = try FaultSandbox("faults-rollback-\(scope)")
        defer { box.cleanup() }
        let (_, _, b) = try prepare(box)
        let second = try box.run(["apply", "--bundle", b])
        try #require(second.status == 0, "\(second.stderr)")
        let snapshot = try box.snapshot() + ""
        let rollback = ["rollback", "--to", "1"]
        // The snapshot above sits beside the one `prepare` took; restore from the newer one.
        let calls = try count(box, scope, rollback, snapshot: snapshot)
        #expect(calls.count >= (scope == .crontab ? 4 : 8), "too few calls to test: \(calls)")
        try box.restore(snapshot)
        let pristineLedger = box.ledger
        for k in 1...calls.count {
            try box.restore(snapshot)
            let (_, context) = try inject(box, scope, rollback, k: k)
            guard
                try checkConsistent(
                    box, before: 2, after: 1, generations: ([1, 2], [1, 2]), ledgerBefore: pristineLedger, context) != nil
            else { continue }
            let retry = try box.run(rollback)
            #expect(retry.status == 0 && box.live == 1, "the plain retry failed: \(retry.stderr) — after \(context)")
            let status = try box.run(["status", "--format", "json"])
            #expect(status.status == 0 && status.json["ok"] as? Bool == true, "status after the retry: \(status.stdout) — \(context)")
            #expect(((try? String(contentsOfFile: box.crontab, encoding: .utf8)) ?? "").contains("@daily"), "\(context)")
            let apply = try box.run(["apply", "--bundle", b])
            #expect(apply.status == 0, "apply after the rollback: \(apply.stderr) — \(context)")
            #expect(box.leftovers.isEmpty, "after the apply — \(context)")
        }
    }

    /// SIGKILL at each write-type call of an apply instead of failing it: the next plain apply
    /// recovers (no phantom generation, no stuck ledger) and runs the handler the switch owed.
    func crashSuite(_ scope: Scope) throws {
        let box = try FaultSandbox("faults-crash-\(scope)")
        defer { box.cleanup() }
        let (snapshot, _, b) = try prepare(box)
        let apply = ["apply", "--bundle", b]
        let calls = try count(box, scope, apply, snapshot: snapshot)
        try box.restore(snapshot)
        let pristineLedger = box.ledger
        let ran = box.root.path + "/ran"
        for k in 1...calls.count {
            try box.restore(snapshot)
            try? FileManager.default.removeItem(atPath: ran)
            let log = box.root.path + "/crash.log"
            try? FileManager.default.removeItem(atPath: log)
            let killed = try box.run(apply, extra: try FaultShim.environment(paths: [prefix(box, scope)], failAt: k, log: log, kill: true))
            let call = FaultShim.calls(in: log).first(where: \.failed)?.description ?? "#\(k)"
            let context = "killed at \(call) (exit \(killed.status))"
            guard let live = box.live, live == 1 || live == 2, box.isComplete(live) else {
                Issue.record("no complete generation is live after a kill: \(context)")
                continue
            }
            let listing = try box.run(["generations", "--format", "json"])
            let numbers = (listing.json["generations"] as? [[String: Any]])?.compactMap { $0["number"] as? Int }
            #expect(numbers == (live == 1 ? [1] : [1, 2]), "generations: \(listing.stdout) \(context)")
            if live == 1 { #expect(box.ledger == pristineLedger, "ledger changed without a switch — \(context)") }
            let retry = try box.run(apply)
            #expect(retry.status == 0, "the plain retry failed: \(retry.stderr) — \(context)")
            #expect(box.leftovers.isEmpty, "left behind after the retry: \(box.leftovers) — \(context)")
            let status = try box.run(["status", "--format", "json"])
            #expect(status.json["ok"] as? Bool == true, "status after the retry: \(status.stdout) — \(context)")
            #expect(box.ledger == box.dests(ofGeneration: box.live ?? 0), "ledger after the retry — \(context)")
            // a.txt changed with generation 2: its handler ran in the killed run or in the retry.
            let runs = ((try? String(contentsOfFile: ran, encoding: .utf8)) ?? "").split(separator: "\n").count
            #expect(runs >= 1, "the handler the switch owed never ran — \(context)")
            let back = try box.run(["rollback", "--format", "json"])
            #expect(back.status == 0 && back.json["generation"] as? Int == 1, "rollback: \(back.stdout)\(back.stderr) — \(context)")
        }
    }

    /// SIGKILL at each write-type call of a rollback: the retried rollback finishes the job and
    /// runs the handler the rollback's switch owed.
    func rollbackCrashSuite(_ scope: Scope) throws {
        let box = try FaultSandbox("faults-rollback-crash-\(scope)")
        defer { box.cleanup() }
        let (_, _, b) = try prepare(box)
        try #require(try box.run(["apply", "--bundle", b]).status == 0)
        let snapshot = try box.snapshot()
        let rollback = ["rollback", "--to", "1"]
        let calls = try count(box, scope, rollback, snapshot: snapshot)
        let ran = box.root.path + "/ran"
        for k in 1...calls.count {
            try box.restore(snapshot)
            try? FileManager.default.removeItem(atPath: ran)
            let log = box.root.path + "/crash.log"
            try? FileManager.default.removeItem(atPath: log)
            let killed = try box.run(
                rollback, extra: try FaultShim.environment(paths: [prefix(box, scope)], failAt: k, log: log, kill: true))
            let context = "killed at \(FaultShim.calls(in: log).first(where: \.failed)?.description ?? "#\(k)") (exit \(killed.status))"
            guard let live = box.live, live == 1 || live == 2, box.isComplete(live) else {
                Issue.record("no complete generation is live after a kill: \(context)")
                continue
            }
            let retry = try box.run(rollback)
            #expect(retry.status == 0 && box.live == 1, "the plain retry failed: \(retry.stderr) — \(context)")
            #expect(box.leftovers.isEmpty, "left behind after the retry: \(box.leftovers) — \(context)")
            let status = try box.run(["status", "--format", "json"])
            #expect(status.json["ok"] as? Bool == true, "status after the retry: \(status.stdout) — \(context)")
            let runs = ((try? String(contentsOfFile: ran, encoding: .utf8)) ?? "").split(separator: "\n").count
            #expect(runs >= 1, "the handler the rollback owed never ran — \(context)")
        }
    }

    @Test func aCrashAtEveryWriteOfARollbackUnderTheStateDirIsRecovered() throws { try rollbackCrashSuite(.state) }
    @Test func aCrashAtEveryWriteOfARollbackUnderTheHomeIsRecovered() throws { try rollbackCrashSuite(.home) }
    @Test func aCrashAtEveryWriteUnderTheStateDirIsRecovered() throws { try crashSuite(.state) }
    @Test func aCrashAtEveryWriteUnderTheHomeIsRecovered() throws { try crashSuite(.home) }
    @Test func aCrashAtEveryWriteToTheCrontabIsRecovered() throws { try crashSuite(.crontab) }
    @Test func everyWriteOfAnApplyUnderTheStateDirFails() throws { try applySuite(.state) }
    @Test func everyWriteOfAnApplyUnderTheHomeFails() throws { try applySuite(.home) }
    @Test func everyWriteOfAnApplyToTheCrontabFails() throws { try applySuite(.crontab) }
    @Test func everyWriteOfARollbackUnderTheStateDirFails() throws { try rollbackSuite(.state) }
    @Test func everyWriteOfARollbackUnderTheHomeFails() throws { try rollbackSuite(.home) }
    @Test func everyWriteOfARollbackToTheCrontabFails() throws { try rollbackSuite(.crontab) }
}
