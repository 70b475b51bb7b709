import Foundation
import OverlayServer
import Testing

@Suite("Runs: one at a time, bursts coalesced, reported")
struct RunTests {
    @Test("20 pushes in a burst lead to at most two runs, the last one starting after the last push")
    func burstCoalesces() async throws {
        let action = RecordingAction(held: true)
        let server = try await TestServer.start(action: action)
        let port = server.port
        let acknowledged = try await withThrowingTaskGroup(of: ContinuousClock.Instant.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    let body = pushBody()
                    let response = try await httpRequest(
                        port: port, "POST", "/hooks/push", headers: signedHeaders(.github, secret: TestServer.secret, body: body),
                        body: body)
                    #expect(response.status == 202)
                    return .now
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(acknowledged.count == 20)
        #expect(await eventually { action.startCount == 1 })
        action.release()
        #expect(
            await eventually {
                let running = try? await server.status()["running"] as? Bool
                return running == false && action.finishCount == action.startCount
            })
        try await Task.sleep(for: .milliseconds(200))
        #expect(action.startCount <= 2)
        let lastPush = try #require(acknowledged.max())
        let lastStart = try #require(action.startTimes.last)
        #expect(lastStart >= lastPush || action.startCount == 1)
        let run = try #require(try await server.status()["last_run"] as? [String: Any])
        #expect((run["pushes"] as? Int ?? 0) >= 1)
        try await server.finish()
    }

    @Test("the next push after a run starts a new run")
    func sequentialPushesEachRun() async throws {
        let server = try await TestServer.start()
        for expected in 1...3 {
            #expect(try await server.push().status == 202)
            #expect(await eventually { server.action.finishCount == expected })
        }
        try await server.finish()
    }

    @Test("/status shows the last delivery and the last run; /metrics counts them")
    func statusAndMetrics() async throws {
        let action = RecordingAction(report: RunReport(result: .rejected, commit: "badc0de", message: "schema.required at config.yaml:3"))
        let server = try await TestServer.start(action: action)
        #expect(try await server.push(.forgejo, delivery: "forgejo-1").status == 202)
        #expect(await eventually { action.finishCount == 1 })
        #expect(await eventually { (try? await server.status()["running"] as? Bool) == false })
        let status = try await server.status()
        #expect(status["ref"] as? String == "refs/heads/main")
        let delivery = try #require(status["last_delivery"] as? [String: Any])
        #expect(delivery["id"] as? String == "forgejo-1")
        #expect(delivery["event"] as? String == "push")
        #expect(delivery["verdict"] as? String == "accepted")
        #expect(delivery["status"] as? Int == 202)
        let run = try #require(status["last_run"] as? [String: Any])
        #expect(run["result"] as? String == "rejected")
        #expect(run["commit"] as? String == "badc0de")
        #expect(run["duration_seconds"] is Double)
        #expect(status["last_success"] is NSNull)
        let rejected = try #require(status["rejected_commits"] as? [[String: Any]])
        #expect(rejected.first?["commit"] as? String == "badc0de")
        #expect(rejected.first?["message"] as? String == "schema.required at config.yaml:3")

        let metrics = try await server.get("/metrics")
        #expect(metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(try await server.metric("overlay_webhook_deliveries_total{result=\"accepted\"}") == 1)
        #expect(try await server.metric("overlay_webhook_runs_total{result=\"rejected\"}") == 1)
        #expect(try await server.metric("overlay_webhook_run_duration_seconds_count") == 1)
        #expect(try await server.metric("overlay_webhook_run_duration_seconds_bucket{le=\"+Inf\"}") == 1)
        #expect(try await server.metric("overlay_webhook_last_success_timestamp_seconds") == 0)
        #expect(try await server.metric("overlay_webhook_run_in_progress") == 0)
        try await server.finish()
    }

    @Test("a successful run sets the last-success time")
    func lastSuccess() async throws {
        let server = try await TestServer.start()
        let before = Date().timeIntervalSince1970
        #expect(try await server.push().status == 202)
        #expect(await eventually { (try? await server.metric("overlay_webhook_runs_total{result=\"applied\"}")) == 1 })
        let stamp = try #require(try await server.metric("overlay_webhook_last_success_timestamp_seconds"))
        #expect(stamp >= before.rounded(.down) && stamp <= Date().timeIntervalSince1970 + 1)
        #expect(try await server.status()["last_success"] is String)
        #expect(try await server.get("/healthz").body == "ok\n")
        try await server.finish()
    }
}
