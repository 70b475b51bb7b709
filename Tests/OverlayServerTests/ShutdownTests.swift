import Foundation
import OverlayServer
import Testing

@Suite("Shutdown: stop accepting, finish the run, return")
struct ShutdownTests {
    @Test("a shutdown mid-run closes the listener, lets the run finish, starts no queued run, then returns")
    func gracefulShutdownMidRun() async throws {
        let action = RecordingAction(held: true)
        let server = try await TestServer.start(action: action)
        #expect(try await server.push().status == 202)
        #expect(await eventually { action.startCount == 1 })
        #expect(try await server.push().status == 202)  // queued behind the run in progress
        await server.beginShutdown()
        #expect(await eventually { (try? RawConnection(port: server.port)) == nil })
        try await Task.sleep(for: .milliseconds(300))
        #expect(!server.hasStopped)
        #expect(action.finishCount == 0)
        action.release()
        try await server.waitUntilStopped()
        #expect(action.finishCount == 1)
        #expect(action.startCount == 1)
    }

    @Test("a run that outlasts the grace period is cancelled and the server returns anyway")
    func graceIsBounded() async throws {
        let action = RecordingAction(held: true)
        let server = try await TestServer.start(action: action, shutdownGrace: .milliseconds(300))
        #expect(try await server.push().status == 202)
        #expect(await eventually { action.startCount == 1 })
        let started = ContinuousClock.now
        try await server.stop()
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(server.logs.lines.contains { $0.contains("did not finish in time") })
        action.release()
    }

    @Test("SIGTERM to a serving process mid-run: the run finishes and the process exits 0")
    func sigtermMidRun() async throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "\(TestServer.secret)\n".write(toFile: folder + "/secret", atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: folder + "/stdout", contents: nil)
        let process = Process()
        process.executableURL = benchBinary()
        process.arguments = [
            "--listen", "127.0.0.1:0", "--secret-file", folder + "/secret", "--state-dir", folder + "/state",
            "--run-seconds", "3", "--runs-file", folder + "/runs", "--log-level", "warning",
        ]
        process.standardOutput = FileHandle(forWritingAtPath: folder + "/stdout")
        try process.run()
        var port = 0
        #expect(
            await eventually {
                let text = (try? String(contentsOfFile: folder + "/stdout", encoding: .utf8)) ?? ""
                port = text.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
                return port > 0
            })
        let body = pushBody()
        let response = try await httpRequest(
            port: port, "POST", "/hooks/push", headers: signedHeaders(.github, secret: TestServer.secret, body: body), body: body)
        #expect(response.status == 202)
        let runs = { (try? String(contentsOfFile: folder + "/runs", encoding: .utf8)) ?? "" }
        #expect(await eventually { runs().contains("start") })
        kill(process.processIdentifier, SIGTERM)
        #expect(await eventually { (try? RawConnection(port: port)) == nil })
        #expect(!runs().contains("end"))
        #expect(await eventually(timeout: .seconds(20)) { !process.isRunning })
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(runs().components(separatedBy: "start").count == 2)
        #expect(runs().contains("end"))
    }

    /// The stand-in receiver built beside the test bundle.
    private func benchBinary() -> URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("overlay-serve-bench")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/overlay-serve-bench")
    }
}
