import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime
import Testing

/// `create_only: true` files through the engine: written when missing, then never overwritten,
/// never drift, never removed (by an apply or a rollback); `--force-create` re-seeds on purpose.
@Suite struct CreateOnlyEngineTests {
    /// A one-host fleet whose golden state also seeds `seed.txt` (create-only) from `seed.txt`.
    static func fleet(seed: String = "first seed\n", createOnly: Bool = true) throws -> EngineFleet {
        let fleet = try EngineFleet(hosts: 1)
        try fleet.write("seed.txt", seed)
        try writeSite(fleet, createOnly: createOnly)
        return fleet
    }

    static func writeSite(_ fleet: EngineFleet, createOnly: Bool?, agent: String = "agent.yaml") throws {
        let entry: String
        switch createOnly {
        case true?: entry = "  - {src: seed.txt, dest: \"{{ agent_home }}/data/seed.txt\", create_only: true}\n"
        case false?: entry = "  - {src: seed.txt, dest: \"{{ agent_home }}/data/seed.txt\"}\n"
        case nil: entry = ""
        }
        try fleet.write(
            "playbooks/site.yaml",
            "hosts: all\nhomes:\n  agent: \"{{ agent_home }}\"\nfiles:\n  - {src: \(agent), dest: \"{{ agent_home }}/agent.yaml\"}\n"
                + entry
                + "providers: \"{{ golden_state_providers }}\"\n")
    }

    func apply(_ fleet: EngineFleet, _ options: ApplyOptions = ApplyOptions()) throws -> HostApplyResult {
        let engine = fleet.engine
        return try engine.apply(try engine.load(.repo(fleet.source), host: fleet.host(1)), options: options)
    }

    func seedPath(_ fleet: EngineFleet) -> String { fleet.home(fleet.host(1)) + "/data/seed.txt" }

    @Test func createdWhenMissingAndThenLeftAsItIsNeverDrift() throws {
        let fleet = try Self.fleet()
        defer { fleet.cleanup() }
        let first = try apply(fleet)
        #expect(first.ok && first.createOnly?.items.map(\.action) == [.created])
        #expect(fleet.read(fleet.host(1), "data/seed.txt") == "first seed\n")
        let path = seedPath(fleet)
        var st = stat()
        #expect(lstat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFREG && st.st_mode & 0o777 == 0o644, "a real file, 0644")
        let state = fleet.state(fleet.host(1))
        #expect(try GenerationStore(state: state).current()?.file(path) == nil, "not part of a generation")

        try "edited by the program\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try DriftDetector(state: state).detect().isEmpty, "a create-only file is never drift")
        let again = try apply(fleet)
        #expect(again.ok && !again.changed && again.createOnly?.items.first?.action == .unchanged)
        #expect(again.createOnly?.warnings.isEmpty == true)
        #expect(fleet.read(fleet.host(1), "data/seed.txt") == "edited by the program\n")
    }

    @Test func aChangedSourceIsAWarningUntilForceCreateReseeds() throws {
        let fleet = try Self.fleet()
        defer { fleet.cleanup() }
        #expect(try apply(fleet).ok)
        try "the program's own\n".write(toFile: seedPath(fleet), atomically: true, encoding: .utf8)
        try fleet.write("seed.txt", "second seed\n")
        let warned = try apply(fleet)
        #expect(warned.ok && !warned.changed && !warned.report.switched)
        #expect(
            warned.createOnly?.warnings.first?.contains("its source seed.txt changed since overlay seeded it") == true,
            "\(warned.createOnly?.warnings ?? [])")
        #expect(fleet.read(fleet.host(1), "data/seed.txt") == "the program's own\n")

        var options = ApplyOptions(dryRun: true)
        options.forceCreate = true
        let dry = try apply(fleet, options)
        #expect(dry.createOnly?.items.first?.action == .updated && fleet.read(fleet.host(1), "data/seed.txt") == "the program's own\n")
        options.dryRun = false
        let forced = try apply(fleet, options)
        let item = try #require(forced.createOnly?.items.first)
        #expect(forced.ok && forced.changed && item.action == .updated, "\(item)")
        #expect(fleet.read(fleet.host(1), "data/seed.txt") == "second seed\n")
        let backup = try #require(item.reason?.components(separatedBy: "kept in ").last)
        #expect((try? String(contentsOfFile: backup, encoding: .utf8)) == "the program's own\n", "the re-seeded file is kept: \(backup)")
        #expect(try apply(fleet).createOnly?.warnings.isEmpty == true, "seeded again: no warning")
    }

    @Test func aConvergeOfAHostWithAChangedSeedSourceWarnsAndStaysOk() throws {
        let fleet = try Self.fleet()
        defer { fleet.cleanup() }
        let engine = fleet.engine
        #expect(
            try engine.converge(try engine.planConverge(fleet.source, limit: nil), options: ConvergeOptions()).first?.status == .changed)
        try fleet.write("seed.txt", "second seed\n")
        let outcome = try #require(try engine.converge(try engine.planConverge(fleet.source, limit: nil), options: ConvergeOptions()).first)
        #expect(outcome.status == .ok, "a warning is no change and no failure")
        #expect(outcome.warnings.first?.contains("changed since overlay seeded it") == true, "\(outcome.warnings)")
    }

    @Test func aRollbackLeavesItAloneAndSoDoesDroppingIt() throws {
        let fleet = try Self.fleet()
        defer { fleet.cleanup() }
        try Self.writeSite(fleet, createOnly: nil)
        #expect(try apply(fleet).report.generation == 1, "generation 1: no seed declared")
        try Self.writeSite(fleet, createOnly: true)
        try fleet.write("agent.yaml", "version: 2\n")
        #expect(try apply(fleet).report.generation == 2)
        try "hand edit\n".write(toFile: seedPath(fleet), atomically: true, encoding: .utf8)

        let rolled = try fleet.engine.rollback(stateDir: fleet.state(fleet.host(1)), to: 1, options: ApplyOptions())
        #expect(rolled.ok && rolled.report.generation == 1)
        #expect(fleet.read(fleet.host(1), "data/seed.txt") == "hand edit\n", "a rollback never touches a create-only file")
        #expect(!rolled.report.plan.items.contains { $0.path == seedPath(fleet) })

        try Self.writeSite(fleet, createOnly: nil)
        let dropped = try apply(fleet)
        #expect(dropped.createOnly?.items.map(\.action) == [.kept], "\(String(describing: dropped.createOnly))")
        #expect(fleet.read(fleet.host(1), "data/seed.txt") == "hand edit\n", "left in place")
        #expect(try apply(fleet).createOnly?.items.isEmpty == true, "and forgotten")
    }

    @Test func aDryRunWritesNothingAndAFolderInTheWayRefusesTheApply() throws {
        let fleet = try Self.fleet()
        defer { fleet.cleanup() }
        let dry = try apply(fleet, ApplyOptions(dryRun: true))
        #expect(dry.createOnly?.items.map(\.action) == [.created] && !FileManager.default.fileExists(atPath: seedPath(fleet)))
        try FileManager.default.createDirectory(atPath: seedPath(fleet), withIntermediateDirectories: true)
        #expect(throws: HostApplyError.self) { try apply(fleet) }
        #expect(GenerationStore(state: fleet.state(fleet.host(1))).currentNumber() == nil, "nothing was switched")
    }

    @Test func aLinkedFileThatBecomesCreateOnlyIsLeftAsAFileTheProgramOwns() throws {
        let fleet = try Self.fleet(createOnly: false)
        defer { fleet.cleanup() }
        #expect(try apply(fleet).ok)
        var st = stat()
        #expect(lstat(seedPath(fleet), &st) == 0 && st.st_mode & S_IFMT == S_IFLNK)
        try Self.writeSite(fleet, createOnly: true)
        let turned = try apply(fleet)
        #expect(turned.ok, "\(turned.problems)")
        #expect(lstat(seedPath(fleet), &st) == 0 && st.st_mode & S_IFMT == S_IFREG, "a real file now")
        #expect(fleet.read(fleet.host(1), "data/seed.txt") == "first seed\n")
        let again = try apply(fleet)
        #expect(again.ok && !again.changed && again.createOnly?.items.first?.action == .unchanged)
    }

    @Test func aFileThatAppearsAfterThePlanIsNeverOverwritten() throws {
        let fleet = try Self.fleet()
        defer { fleet.cleanup() }
        let engine = fleet.engine
        let target = try engine.load(.repo(fleet.source), host: fleet.host(1))
        let files = CreateOnlyFiles(target.state, state: fleet.state(fleet.host(1)))
        let plan = try files.plan(forceCreate: false)
        #expect(plan.map(\.action) == [.created])
        try FileManager.default.createDirectory(atPath: fleet.home(fleet.host(1)) + "/data", withIntermediateDirectories: true)
        try "the program got there first\n".write(toFile: seedPath(fleet), atomically: true, encoding: .utf8)
        let placed = files.place(plan, clock: fleet.clock)
        #expect(placed.failures.isEmpty && placed.items.first?.action == .unchanged, "\(placed.items)")
        #expect(fleet.read(fleet.host(1), "data/seed.txt") == "the program got there first\n")
    }

    @Test(.enabled(if: geteuid() == 0, "needs root: only a root apply writes files another user must own"))
    func asRootTheSeedAndTheFoldersMadeForItAreTheHomeOwnersToRewrite() throws {
        let fleet = try Self.fleet()
        defer { fleet.cleanup() }
        let home = fleet.home(fleet.host(1))
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        #expect(chown(home, 65534, 65534) == 0, "the agent's home")
        #expect(try apply(fleet).ok)
        func owner(_ path: String) -> uid_t? {
            var st = stat()
            return lstat(path, &st) == 0 ? st.st_uid : nil
        }
        #expect(owner(home + "/data") == 65534 && owner(seedPath(fleet)) == 65534, "the folder made for it and the seed")
        // The program, as the home's user, rewrites its file the way programs do (a temp file renamed over).
        var rewrite = ChildProcess(
            "/usr/bin/setpriv",
            ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "/bin/sh", "-c", "echo mine > data/.new && mv data/.new data/seed.txt"])
        rewrite.workingDirectory = home
        let ran = try rewrite.run()
        #expect(ran.status == 0, "\(String(decoding: ran.errors, as: UTF8.self))")
        #expect(fleet.read(fleet.host(1), "data/seed.txt") == "mine\n")
        // A re-seed on purpose keeps it the home owner's.
        var force = ApplyOptions()
        force.forceCreate = true
        #expect(try apply(fleet, force).ok)
        #expect(fleet.read(fleet.host(1), "data/seed.txt") == "first seed\n" && owner(seedPath(fleet)) == 65534)
    }

    @Test func aLinkTheProgramPutAtTheDestIsNeverWrittenThrough() throws {
        let fleet = try Self.fleet()
        defer { fleet.cleanup() }
        let outside = fleet.root.path + "/outside.txt"
        try "not overlay's\n".write(toFile: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: fleet.home(fleet.host(1)) + "/data", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: seedPath(fleet), withDestinationPath: outside)
        let kept = try apply(fleet)
        #expect(kept.ok && kept.createOnly?.items.first?.action == .unchanged, "present: left as it is")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: seedPath(fleet)) == outside)
        var force = ApplyOptions()
        force.forceCreate = true
        force.dryRun = true
        let planned = try apply(fleet, force).createOnly?.items.first
        #expect(
            planned?.action == .updated && planned?.oldContentPath == nil,
            "a diff never reads through the link: \(String(describing: planned))")
        force.dryRun = false
        let reseeded = try apply(fleet, force)
        #expect(reseeded.ok && reseeded.createOnly?.items.first?.action == .updated)
        #expect(reseeded.createOnly?.items.first?.oldContentPath == nil)
        var st = stat()
        #expect(lstat(seedPath(fleet), &st) == 0 && st.st_mode & S_IFMT == S_IFREG, "the link is replaced, not followed")
        #expect(fleet.read(fleet.host(1), "data/seed.txt") == "first seed\n")
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "not overlay's\n", "what the link pointed at is untouched")
    }
}
