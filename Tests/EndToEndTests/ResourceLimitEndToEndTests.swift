import Foundation
import Testing

/// Under `ulimit -v` and `ulimit -n` overlay finishes, or stops within seconds saying which
/// limit and what to do — it never hangs (libdispatch retrying thread creation forever), never
/// crashes without a word, never blames the repo for its own shortage.
@Suite struct ResourceLimitEndToEndTests {
    /// Runs `overlay ARGS` under `ulimit LIMIT`; returns the result and how long it took. A run
    /// still going after 60 s is killed (and then fails every test here: it hung).
    func limited(_ limit: String, _ args: [String], env: [String: String]) throws -> (OverlayResult, TimeInterval) {
        let quoted = ([PackagePaths.binary.path] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let start = Date()
        let r = try runProcess("/bin/bash", ["-c", "ulimit \(limit) && exec " + quoted.joined(separator: " ")], env: env, timeout: 60)
        return (r, Date().timeIntervalSince(start))
    }

    func fleet(_ count: Int) throws -> ConvergeFleet {
        let fleet = try ConvergeFleet()
        try fleet.writeLocalWizards(count)
        return fleet
    }

    @Test func applyUnderAnAddressSpaceLimitFinishesOrSaysSoWithinSeconds() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let env = try box.envWithSecret()
        var refused = 0
        for kib in [60_000, 90_000, 100_000, 116_000, 150_000, 200_000] {
            try? FileManager.default.removeItem(atPath: box.state)
            let (r, took) = try limited("-v \(kib)", ["apply", "--root", PackagePaths.root.path, "--host", "timmy"], env: env)
            #expect(r.status != 15 && r.status != 9, "ulimit -v \(kib): no answer within 60 s (a hang)")
            if r.status == 0 { continue }
            #expect(took < 10, "ulimit -v \(kib): a refusal must come within seconds, took \(took) s")
            #expect(r.status == 1 || r.status == 127, "ulimit -v \(kib): exit \(r.status): \(r.stderr)")
            // Only the dynamic loader itself (it maps the libraries before overlay runs) may say it otherwise.
            let ours = r.stderr.contains("out of memory under the address-space limit (ulimit -v \(kib) KiB)")
            #expect(ours || r.stderr.contains("error while loading shared libraries"), "ulimit -v \(kib): \(r.stderr)")
            #expect(!r.stderr.contains("syntax error"), "a shortage is not the repo's fault: \(r.stderr)")
            if ours { refused += 1 }
        }
        #expect(refused > 0, "no limit was low enough to be refused: the test checked nothing")
    }

    @Test func convergeUnderAnAddressSpaceLimitFinishesOrSaysSoWithinSeconds() throws {
        let fleet = try fleet(20)
        defer { fleet.cleanup() }
        let args = ["converge", "--root", PackagePaths.root.path, "-i", fleet.inventory, "--forks", "10"]
        for kib in [90_000, 200_000] {
            let (r, took) = try limited("-v \(kib)", args, env: fleet.env)
            #expect(r.status != 15 && r.status != 9, "ulimit -v \(kib): no answer within 60 s (a hang)")
            if r.status != 0 {
                #expect(took < 10, "ulimit -v \(kib): a refusal must come within seconds, took \(took) s")
                // Only the dynamic loader itself (it maps the libraries before overlay runs) may say it otherwise.
                let ours = r.stderr.contains("out of memory under the address-space limit (ulimit -v \(kib) KiB)")
                #expect(ours || r.stderr.contains("error while loading shared libraries"), "\(r.stderr)")
            }
        }
        let (r, _) = try limited("-v 200000", args, env: fleet.env)
        #expect(r.status == 0, "200 MB is plenty for 20 hosts × 10 forks: \(r.stdout)\(r.stderr)")
    }

    @Test func tooFewDescriptorsForAnyRunStopAtOnceNamingTheLimit() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let (r, took) = try limited("-n 8", ["apply", "--bundle", try box.write(box.bundle([("a.txt", "a\n")]))], env: box.env)
        #expect(took < 10 && r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("too many open files (limit 8)") && r.stderr.contains("ulimit -n"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: box.state + "/current"))
    }

    /// Out of descriptors wherever it strikes — reading the repo's sources and secrets while
    /// rendering, or applying — a failed host says so with the limit and the fix, never "check
    /// its permissions" or "not set" (CI once ran out while rendering, at 34).
    @Test(arguments: [26, 30, 34, 40])
    func convergeOutOfDescriptorsFailsHostsWithTheLimitAndTheFix(limit: Int) throws {
        let fleet = try fleet(20)
        defer { fleet.cleanup() }
        let (r, took) = try limited(
            "-n \(limit)", ["converge", "--root", PackagePaths.root.path, "-i", fleet.inventory, "--forks", "10", "--format", "json"],
            env: fleet.env)
        #expect(r.status != 15 && r.status != 9, "no answer within 60 s (a hang)")
        let hosts = r.json["hosts"] as? [String: [String: Any]] ?? [:]
        if r.status != 0 { #expect(took < 10, "failing hosts must fail within seconds, took \(took) s") }
        if hosts.isEmpty {
            // Too few to start at all: the run itself says so.
            #expect(r.status == 1 && r.stderr.contains("too many open files (limit \(limit))"), "\(r.stdout)\(r.stderr)")
            return
        }
        #expect(hosts.count == 20, "\(r.stdout)\(r.stderr)")
        let failed = hosts.values.filter { $0["status"] as? String == "failed" }
        #expect(r.status == (failed.isEmpty ? 0 : 1))
        for host in failed {
            let error = host["error"] as? String ?? ""
            #expect(error.contains("too many open files (limit \(limit)): lower --forks"), "\(host)")
            #expect(!error.contains("check its permissions") && !error.contains("managed.key-not-set"), "\(error)")
        }
        // A failed host was left as it was, or says which generation stands.
        for (name, host) in hosts where host["status"] as? String == "failed" {
            let error = host["error"] as? String ?? ""
            #expect(fleet.liveGeneration(name) == nil || error.contains("stands") || error.contains("is live"), "\(name): \(error)")
        }
    }
}
