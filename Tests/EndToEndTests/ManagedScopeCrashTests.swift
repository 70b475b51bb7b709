import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The managed scope under SIGKILL: its files are copies in the generation, placed after the
/// switch. An apply killed at any instant leaves the `.env` of the generation `current` names —
/// or, while a switch is recorded as pending (`pending-switch.json`: the run was killed after the
/// switch, before the copies), still the one of the generation it switched from — never a
/// readable temporary copy of the secret; the next apply finishes the job.
@Suite(.serialized) struct ManagedScopeCrashTests {
    static let apply = ["apply", "--root", PackagePaths.root.path, "--host", "timmy", "-q"]

    /// `overlay apply` of the example for timmy with MODEL_API_KEY = `key`, not waited for.
    static func spawnApply(_ env: [String: String], key: String) throws -> Process {
        let p = Process()
        p.executableURL = PackagePaths.binary
        p.arguments = apply
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        environment["OVERLAY_SECRET_MODEL_API_KEY"] = key
        environment["OVERLAY_HOSTNAME"] = "overlay-test-machine"
        p.environment = environment
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    static func run(_ env: [String: String], key: String) throws -> Process {
        let p = try spawnApply(env, key: key)
        p.waitUntilExit()
        return p
    }

    static func current(_ state: String) -> Int? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: state + "/current")).flatMap { Int($0.dropFirst("generations/".count)) }
    }

    static func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    /// The switch a killed run recorded and did not finish: (to, from).
    static func pendingSwitch(_ state: String) -> (generation: Int, previous: Int?)? {
        guard let data = FileManager.default.contents(atPath: state + "/pending-switch.json"),
            let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], let to = json["generation"] as? Int
        else { return nil }
        return (to, json["previous"] as? Int)
    }

    @Test func aKillAtAnyInstantLeavesTheOldGenerationsScopeLiveOrTheNewOneWhole() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let env = try box.envWithSecret()
        let scope = box.root.path + "/managed"
        let generationEnv = { (n: Int) in Self.read(box.state + "/generations/\(n)/files/hermes-managed/.env") }
        #expect(try Self.run(env, key: "key-first").terminationStatus == 0)
        let start = Date()
        #expect(try Self.run(env, key: "key-second").terminationStatus == 0)
        let full = Date().timeIntervalSince(start)
        let config = try #require(Self.read(scope + "/config.yaml"))

        var killed = 0
        var problems: [String] = []
        for i in 0..<40 {
            let p = try Self.spawnApply(env, key: "key-\(i)")
            usleep(useconds_t(full * 1.2 * Double(i) / 40.0 * 1_000_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal { killed += 1 }
            let live = try #require(Self.current(box.state))
            let shown = Self.read(scope + "/.env")
            var allowed = [generationEnv(live)]
            if let pending = Self.pendingSwitch(box.state) {
                #expect(pending.generation == live || pending.previous == live, "\(pending) with current \(live)")
                allowed.append(pending.previous.flatMap(generationEnv))
            }
            if shown == nil || !allowed.contains(shown) {
                problems.append("run \(i): current is \(live) but the .env is \(shown ?? "missing")")
            }
            if Self.read(scope + "/config.yaml") != config { problems.append("run \(i): config.yaml changed or is partial") }
            for name in (try? FileManager.default.contentsOfDirectory(atPath: scope)) ?? [] {
                var st = stat()
                if lstat(scope + "/" + name, &st) == 0, st.st_mode & 0o004 != 0, Self.read(scope + "/" + name)?.contains("key-") == true {
                    problems.append("run \(i): \(name) holds the secret and is world-readable")
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        #expect(killed > 10, "runs were actually killed: \(killed)")

        #expect(try Self.run(env, key: "key-final").terminationStatus == 0)
        let last = try #require(Self.current(box.state))
        #expect(Self.read(scope + "/.env")?.contains("MODEL_API_KEY=key-final\n") == true)
        #expect(Self.read(scope + "/.env") == generationEnv(last))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scope).sorted() == [".env", "config.yaml"], "no leftovers")
        let status = try runOverlay(["status", "--format", "json"], env: box.env)
        #expect(status.json["ok"] as? Bool == true, "\(status.stdout)")
    }
}
