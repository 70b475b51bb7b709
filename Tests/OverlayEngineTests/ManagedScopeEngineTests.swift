import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime
import Testing

/// The harness's managed scope (`managed:` of the example) through the engine: part of the
/// generation (rollback restores it, drift is seen and repaired), its folder and files with the
/// owners and modes the harness expects.
@Suite struct ManagedScopeEngineTests {
    func mode(_ path: String) -> (mode: mode_t, uid: uid_t, gid: gid_t)? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return (st.st_mode & 0o7777, st.st_uid, st.st_gid)
    }

    @Test func theManagedScopeIsPartOfTheGenerationAndARollbackRestoresIt() throws {
        let example = try ExampleHome(copy: true)
        defer { example.cleanup() }
        #expect(try example.apply().report.generation == 1)
        let config = example.managed + "/config.yaml"
        let first = try #require(example.read(config))
        #expect(!first.contains("max_turns"))
        let site = try #require(example.read(example.repo.path + "/playbooks/site.yaml"))
        try example.write(
            "playbooks/site.yaml",
            site.replacingOccurrences(of: "keys: [privacy.redact_pii]", with: "keys: [privacy.redact_pii, agent.max_turns]"))
        let second = try example.apply()
        #expect(
            second.report.generation == 2 && second.report.plan.changes.map(\.path) == [config], "\(second.report.plan.changes.map(\.path))"
        )
        #expect(example.read(config)?.contains("max_turns: 120") == true)

        let back = try example.engine.rollback(stateDir: example.state, to: 1, options: ApplyOptions())
        #expect(back.ok && example.read(config) == first, "the rollback puts the policy back")

        // A hand edit is drift, and the next apply puts the file back (the edit kept as a backup).
        try "model:\n  provider: openrouter\n".write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try DriftDetector(state: example.state).detect().map(\.path).contains(config))
        let repaired = try example.apply()
        #expect(repaired.report.plan.items.first { $0.path == config }?.action == .restored)
        #expect(example.read(config)?.contains("max_turns: 120") == true)

        // `managed:` dropped: its files go (they are still overlay's), the folder stays.
        let dropped = site.components(separatedBy: "\nmanaged:\n").first.map { head -> String in
            let tail = site.components(separatedBy: "\ncron: [cron/definitions.yaml]\n").last ?? ""
            return head + "\ncron: [cron/definitions.yaml]\n" + tail
        }
        try example.write(
            "playbooks/site.yaml",
            try #require(dropped).replacingOccurrences(
                of: "      - \"{{ managed_dir }}/config.yaml\"\n      - \"{{ managed_dir }}/.env\"\n", with: ""))
        let gone = try example.apply()
        #expect(gone.ok, "\(gone.problems)")
        #expect(!FileManager.default.fileExists(atPath: config) && !FileManager.default.fileExists(atPath: example.managed + "/.env"))
    }

    @Test func aManagedScopeReachedThroughASymlinkIsRefusedBeforeAnythingChanges() throws {
        let example = try ExampleHome()
        defer { example.cleanup() }
        let real = example.root.path + "/real-scope"
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: example.managed, withDestinationPath: real)
        #expect(throws: HostApplyError.self) { try example.apply() }
        #expect(GenerationStore(state: example.state).currentNumber() == nil)
        #expect(mode(real)?.mode == 0o755 && (try? FileManager.default.contentsOfDirectory(atPath: real)) == [])
    }

    @Test func aManagedScopeToBeMadeUnderALinkedFolderIsRefusedBeforeItIsMade() throws {
        // `managed` does not exist yet; the folder above it is a link somewhere else.
        let example = try ExampleHome(managedDir: "linked-parent/managed")
        defer { example.cleanup() }
        let real = example.root.path + "/real-parent"
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: example.root.path + "/linked-parent", withDestinationPath: real)
        #expect(throws: HostApplyError.self) { try example.apply() }
        #expect(GenerationStore(state: example.state).currentNumber() == nil)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: real)) == [], "nothing made through the link")
    }

    @Test func lockConfigMakesTheHomesFoldersWithoutFollowingALinkThere() throws {
        let example = try ExampleHome(copy: true)
        defer { example.cleanup() }
        let site = try #require(example.read(example.repo.path + "/playbooks/site.yaml"))
        try example.write("playbooks/site.yaml", site.replacingOccurrences(of: "managed:\n", with: "managed:\n  lock_config: true\n"))
        let elsewhere = example.root.path + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: example.hermes, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: example.hermes + "/sessions", withDestinationPath: elsewhere)
        // As root the folders are given to the home's owner: an agent's home, here nobody's.
        if geteuid() == 0 { #expect(chown(example.hermes, 65534, 65534) == 0) }
        let before = try #require(mode(elsewhere))
        #expect(try example.apply().ok)
        for name in ["cron", "logs", "logs/curator", "memories"] {
            var st = stat()
            #expect(lstat(example.hermes + "/" + name, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR, "\(name)")
        }
        #expect(mode(elsewhere)?.mode == before.mode && mode(elsewhere)?.uid == before.uid, "a link is never followed")
        #expect(FileManager.default.fileExists(atPath: example.hermes + "/.managed"))
        if geteuid() == 0 { #expect(mode(example.hermes + "/cron")?.uid == 65534, "owned like the home") }
    }

    @Test func theFolderAndFilesHaveTheOwnersAndModesTheHarnessExpects() throws {
        let example = try ExampleHome()
        defer { example.cleanup() }
        let root = geteuid() == 0
        if root {
            // The agent's home belongs to the agent: the .env is for its group to read.
            try FileManager.default.createDirectory(atPath: example.hermes, withIntermediateDirectories: true)
            #expect(chown(example.hermes, 65534, 65534) == 0)
        }
        let result = try example.apply()
        #expect(result.ok, "\(result.problems)")
        let folder = try #require(mode(example.managed))
        let config = try #require(mode(example.managed + "/config.yaml"))
        let env = try #require(mode(example.managed + "/.env"))
        #expect(config.mode == 0o644 && env.mode == 0o640, "config \(String(config.mode, radix: 8)), .env \(String(env.mode, radix: 8))")
        if root {
            #expect(folder.uid == 0 && folder.gid == 65534 && folder.mode == 0o2755, "root-owned, the agent's group, setgid: \(folder)")
            #expect(config.uid == 0 && env.uid == 0 && env.gid == 65534, "root's files the agent's group reads: \(env)")
            #expect(result.notes.first?.contains("set to uid 0 gid 65534 mode 2755") == true, "\(result.notes)")
        } else {
            #expect(folder.uid == geteuid() && folder.mode == 0o755, "a test folder this user owns: \(folder)")
        }
        #expect(try example.apply().notes.isEmpty, "the folder is right now: nothing to say")
    }
}
