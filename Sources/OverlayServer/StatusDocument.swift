import Foundation

/// The JSON of `GET /status`: the ref followed, whether a run is going on, the last
/// delivery, the last run, the last success and the commits rejected lately.
///
/// ```json
/// {"ref": "refs/heads/main", "running": false, "waiting_pushes": 0,
///  "last_delivery": {"id", "kind", "event", "time", "verdict", "reason", "status"},
///  "last_run": {"result", "commit", "message", "details", "started", "finished",
///               "duration_seconds", "pushes"},
///  "last_success": "2026-…Z", "rejected_commits": [{"commit", "time", "message"}]}
/// ```
/// Keys without a value are `null`; times are ISO 8601 in UTC.
enum StatusDocument {
    static func render(_ state: ServerState.Snapshot, ref: String) -> String {
        var out = "{\"ref\":\(JSONText.quoted(ref)),\"running\":\(state.running),\"waiting_pushes\":\(state.waitingPushes)"
        out += ",\"last_delivery\":" + (state.lastDelivery.map(delivery) ?? "null")
        out += ",\"last_run\":" + (state.lastRun.map(run) ?? "null")
        out += ",\"last_success\":" + time(state.lastSuccess)
        out += ",\"rejected_commits\":["
        out += state.rejected.map {
            "{\"commit\":\(JSONText.quoted($0.commit)),\"time\":\(time($0.time)),\"message\":\(JSONText.quoted($0.message))}"
        }.joined(separator: ",")
        return out + "]}\n"
    }

    private static func delivery(_ d: DeliveryRecord) -> String {
        "{\"id\":\(string(d.id)),\"kind\":\(string(d.kind?.rawValue)),\"event\":\(string(d.event))"
            + ",\"time\":\(time(d.time)),\"verdict\":\(JSONText.quoted(d.verdict.label))"
            + ",\"reason\":\(string(d.verdict.reason)),\"status\":\(d.verdict.status.code)}"
    }

    private static func run(_ r: RunRecord) -> String {
        let details = r.report.details.sorted { $0.key < $1.key }
            .map { "\(JSONText.quoted($0.key)):\(JSONText.quoted($0.value))" }.joined(separator: ",")
        let seconds = r.duration.seconds
        return "{\"result\":\(JSONText.quoted(r.report.result.rawValue)),\"commit\":\(string(r.report.commit))"
            + ",\"message\":\(JSONText.quoted(r.report.message)),\"details\":{\(details)}"
            + ",\"started\":\(time(r.started)),\"finished\":\(time(r.finished))"
            + ",\"duration_seconds\":\(String(format: "%.3f", seconds)),\"pushes\":\(r.pushes)}"
    }

    private static func string(_ s: String?) -> String { s.map(JSONText.quoted) ?? "null" }

    private static func time(_ date: Date?) -> String {
        guard let date else { return "null" }
        return JSONText.quoted(date.formatted(.iso8601))
    }
}
