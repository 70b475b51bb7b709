import Foundation
import OverlayCore
import Testing

@testable import OverlayRuntime

/// The deadman's files: the settings in the generation record, `deadman.json`, the stamp, and
/// the restart/alert runner.
@Suite struct DeadmanFilesTests {
    let settings = RenderedDeadman(
        stamp: "/home/a/.hermes/heartbeat.stamp", maxAge: 180, every: 60, restart: "systemctl --user restart hermes",
        maxRetries: 3, rollback: true, alert: "notify 100%")

    /// A fresh record as the store writes it, on one line.
    static let fresh = #"{"active":false,"episode_count":0,"episodes":[],"history":[],"version":1}"#

    func state(_ f: RuntimeFixture, deadman: RenderedDeadman?) -> RenderedState {
        var s = f.rendered(["config.yaml": "x\n"])
        s.cronJobs = [RenderedCronJob(name: "beat", schedule: "* * * * *", command: "overlay heartbeat")]
        if let deadman {
            s.cronJobs.append(RenderedCronJob(name: "overlay-deadman", schedule: "* * * * *", command: "check", deadman: deadman))
        }
        return s
    }

    @Test func theGenerationRecordsTheSettingsAndAChangedSettingBuildsANewGeneration() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let options = ApplyOptions(lockTimeout: 5, crontabTarget: "user")
        #expect(try f.executor.apply(state(f, deadman: settings), options: options).generation == 1)
        let fast = try GenerationStore(state: f.state).load(1)
        try FileManager.default.removeItem(atPath: f.state.generationPath(1) + "/header.json")
        let slow = try GenerationStore(state: f.state).load(1)
        #expect(fast.deadman?.rendered == settings && slow.deadman?.rendered == settings)
        let json = try String(contentsOfFile: f.state.generationPath(1) + "/generation.json", encoding: .utf8)
        #expect(json.contains("\"max_retries\" : 3") && json.contains("\"max_age\" : 180"))

        #expect(try f.executor.apply(state(f, deadman: settings), options: options).switched == false, "nothing changed")
        var fewer = settings
        fewer.maxRetries = 1
        let changed = try f.executor.apply(state(f, deadman: fewer), options: options)
        #expect(changed.switched && changed.generation == 2)
        #expect(try GenerationStore(state: f.state).load(2).deadman?.maxRetries == 1)
        let removed = try f.executor.apply(state(f, deadman: nil), options: options)
        #expect(try removed.generation == 3 && GenerationStore(state: f.state).load(3).deadman == nil)
    }

    @Test func aGenerationWithoutSettingsOrWithDamagedOnesHasNoDeadman() {
        #expect(Generation.Cron(json: ["target": "user", "jobs": []])?.deadman == nil)
        let damaged: [String: Any] = ["target": "user", "jobs": [], "deadman": ["stamp": "/s", "max_age": "3m"]]
        #expect(Generation.Cron(json: damaged)?.deadman == nil)
        let zero: [String: Any] = [
            "stamp": "/s", "max_age": 0, "every": 60, "restart": "r", "max_retries": 1, "rollback": true,
        ]
        #expect(Generation.Deadman(json: zero) == nil)
    }

    @Test func theRecordRoundTripsAndAMissingFileIsAFreshRecord() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        try FileManager.default.createDirectory(atPath: f.state.path, withIntermediateDirectories: true)
        let store = DeadmanRecordStore(state: f.state)
        #expect(try store.load() == DeadmanRecord())
        try Self.fresh.write(toFile: store.path, atomically: true, encoding: .utf8)
        #expect(try store.load() == DeadmanRecord())
        var sim = DeadmanSimulation(maxRetries: 1)
        for up in [false, false, false, true] { sim.check(up: up) }
        try store.save(sim.record)
        let loaded = try store.load()
        #expect(loaded.history.map(\.action) == sim.record.history.map(\.action))
        #expect(loaded.episode?.rollback == sim.record.episode?.rollback && loaded.active == sim.record.active)
        #expect(abs((loaded.lastCheck?.time ?? .distantPast).timeIntervalSince(sim.clock.now())) < 0.001)
        #expect(try statMode(store.path) == 0o600)
    }

    @Test(arguments: [
        ("not json", "not valid JSON"), ("{\"version\": 1, \"active\": \"yes\"}", "wrong type"),
        ("{\"version\": 1}", "'active' is missing"),
        (Self.fresh.replacingOccurrences(of: "\"version\":1", with: "\"version\":9"), "newer overlay"),
        (Self.fresh.replacingOccurrences(of: "}", with: ",\"up_since\":\"yesterday\"}"), "up_since"),
        (Self.fresh.replacingOccurrences(of: "\"episode_count\":0", with: "\"episode_count\":-4"), "negative"),
    ])
    func aCorruptRecordIsAnErrorNeverAFreshStart(text: String, reason: String) throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        try FileManager.default.createDirectory(atPath: f.state.path, withIntermediateDirectories: true)
        try text.write(toFile: f.state.deadmanRecordPath, atomically: true, encoding: .utf8)
        let store = DeadmanRecordStore(state: f.state)
        #expect {
            try store.load()
        } throws: { error in
            guard case .corrupt(_, let why) = error as? DeadmanRecordError else { return false }
            return why.contains(reason)
        }
        let aside = try store.setAside(at: Date(timeIntervalSince1970: 1000))
        #expect(try aside == f.state.deadmanRecordPath + ".corrupt-1000" && store.load() == DeadmanRecord())
    }

    @Test func aHeartbeatWritesTheStampAtomicallyWithItsTimeAndMakesItsFolder() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let stamp = f.root.path + "/agent/run/heartbeat.stamp"
        let time = Date(timeIntervalSince1970: 1_800_000_123.5)
        try Heartbeat.write(stamp: stamp, at: time)
        guard case .written(let read) = StampReading.read(stamp) else { Issue.record("no stamp"); return }
        #expect(abs(read.timeIntervalSince(time)) < 0.000_01)
        #expect(try statMode(f.root.path + "/agent/run") == 0o700)
        try Heartbeat.write(stamp: stamp, at: time.addingTimeInterval(60))
        guard case .written(let again) = StampReading.read(stamp) else { Issue.record("no stamp"); return }
        #expect(abs(again.timeIntervalSince(time) - 60) < 0.000_01)
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.root.path + "/agent/run") == ["heartbeat.stamp"])
    }

    @Test func aStampThatIsAFolderOrMissingReadsAsSuch() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let folder = f.root.path + "/stamp-dir"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard case .unusable(let why) = StampReading.read(folder) else { Issue.record("a folder is no stamp"); return }
        #expect(why.contains("is a folder"))
        #expect(throws: HeartbeatError.isFolder(path: folder)) { try Heartbeat.write(stamp: folder, at: Date()) }
        #expect(StampReading.read(f.root.path + "/nothing") == .missing)
        try FileManager.default.createSymbolicLink(atPath: f.root.path + "/dangling", withDestinationPath: f.root.path + "/gone")
        #expect(StampReading.read(f.root.path + "/dangling") == .missing)
        // A path through a file is no stamp either (not "missing": something is in the way).
        try "x".write(toFile: f.root.path + "/file", atomically: true, encoding: .utf8)
        guard case .unusable = StampReading.read(f.root.path + "/file/stamp") else { Issue.record("ENOTDIR"); return }
    }

    @Test func aStampOnlyTheAgentCanWriteHasNoSharedFolderProblem() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        // /tmp is world-writable but sticky, and the fixture's folder below it is private.
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: f.root.path)
        #expect(StampReading.sharedFolderProblem(above: f.root.path + "/home/heartbeat.stamp") == nil)
        #expect(StampReading.sharedFolderProblem(above: "/tmp/heartbeat.stamp") == "/tmp is writable by every local user")
        let open = f.root.path + "/open"
        try FileManager.default.createDirectory(atPath: open + "/inner", withIntermediateDirectories: true)
        chmod(open, 0o777)
        #expect(StampReading.sharedFolderProblem(above: open + "/inner/s.stamp") == "\(open) is writable by every local user")
    }

    @Test func aHungCommandIsKilledWithItsGroupAndItsOutputIsLogged() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        try FileManager.default.createDirectory(atPath: f.state.path, withIntermediateDirectories: true)
        let runner = DeadmanCommandRunner(state: f.state, environment: ["PATH": "/usr/bin:/bin", "OVERLAY_SECRET_X": "hidden"])
        let pidFile = f.root.path + "/child.pid"
        let started = Date()
        let hung = runner.run(
            "echo starting; env | grep -c OVERLAY_SECRET_ || true; sleep 30 & echo $! > \(pidFile); wait", label: "restart",
            timeout: .seconds(1), extra: ["OVERLAY_DEADMAN_ACTION": "restart"], clock: SystemClock())
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(hung.timedOut && !hung.succeeded && hung.summary(limit: .seconds(1)) == "timed out after 1 s (killed)")
        let child = Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(isGoneOrZombie(child), "the group was killed, the sleeping grandchild too")
        let log = try String(contentsOfFile: f.state.deadmanLogPath, encoding: .utf8)
        #expect(log.contains("restart: echo starting") && log.contains("starting\n0\n") && log.contains("== restart timed out"))

        let failed = runner.run("exit 3", label: "alert", timeout: .seconds(5), clock: SystemClock())
        #expect(failed.status == 3 && failed.summary(limit: .seconds(5)) == "exit 3")
    }

    private func statMode(_ path: String) throws -> UInt16 {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return UInt16((attributes[.posixPermissions] as? Int ?? 0) & 0o7777)
    }

    /// PID 1 here does not reap orphans: a killed process can stay a zombie.
    private func isGoneOrZombie(_ pid: Int32) -> Bool {
        guard pid > 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
    }
}
