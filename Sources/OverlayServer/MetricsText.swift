import Foundation

/// `GET /metrics` in the Prometheus text exposition format (version 0.0.4).
///
/// Written by hand rather than with swift-prometheus: five series do not need a metrics
/// backend, and a global `MetricsSystem.bootstrap` would tie every server in a process
/// (the tests run several) to one registry.
enum MetricsText {
    /// The `Content-Type` of the exposition format.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    static func render(_ s: ServerState.Snapshot) -> String {
        var out = ""
        family(&out, "overlay_webhook_deliveries_total", "counter", "Webhook deliveries by verdict.")
        for label in DeliveryVerdict.labels {
            out += "overlay_webhook_deliveries_total{result=\"\(label)\"} \(s.deliveries[label] ?? 0)\n"
        }
        family(&out, "overlay_webhook_runs_total", "counter", "Finished runs by result.")
        for result in RunResult.allCases {
            out += "overlay_webhook_runs_total{result=\"\(result.rawValue)\"} \(s.runs[result] ?? 0)\n"
        }
        family(&out, "overlay_webhook_run_in_progress", "gauge", "1 while a run is going on.")
        out += "overlay_webhook_run_in_progress \(s.running ? 1 : 0)\n"
        family(
            &out, "overlay_webhook_last_success_timestamp_seconds", "gauge",
            "Unix time of the last run that applied or found nothing to change (0: none yet).")
        out += "overlay_webhook_last_success_timestamp_seconds \(number(s.lastSuccess?.timeIntervalSince1970 ?? 0))\n"
        family(&out, "overlay_webhook_run_duration_seconds", "histogram", "How long runs took.")
        for (i, bound) in ServerState.durationBuckets.enumerated() {
            out += "overlay_webhook_run_duration_seconds_bucket{le=\"\(number(bound))\"} \(s.bucketCounts[i])\n"
        }
        out += "overlay_webhook_run_duration_seconds_bucket{le=\"+Inf\"} \(s.durationCount)\n"
        out += "overlay_webhook_run_duration_seconds_sum \(number(s.durationSum))\n"
        out += "overlay_webhook_run_duration_seconds_count \(s.durationCount)\n"
        return out
    }

    private static func family(_ out: inout String, _ name: String, _ type: String, _ help: String) {
        out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    /// A float as Prometheus reads it, without a useless fraction.
    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
