import Foundation

/// The last converge that reached this state dir, for `overlay status`.
///
/// Written by `overlay converge` for a local host, and by `overlay apply --bundle` on an SSH
/// host when converge sets `$OVERLAY_CONVERGE_TIME` for it.
public struct ConvergeRecord: Codable, Sendable, Equatable {
    /// When the converge started (ISO 8601, UTC), the same for every host of one run.
    public var time: String
    /// `ok`, `changed` or `failed`: what the host's apply came to.
    public var status: String
    /// The generation live afterwards.
    public var generation: Int?

    /// The environment variable converge passes to the remote apply.
    public static let environmentVariable = "OVERLAY_CONVERGE_TIME"

    public init(time: String, status: String, generation: Int?) {
        self.time = time
        self.status = status
        self.generation = generation
    }

    /// Reads the record of `state`, nil when there is none (or it is unreadable).
    public static func load(_ state: StateDirectory) -> ConvergeRecord? {
        guard let data = FileManager.default.contents(atPath: state.lastConvergePath) else { return nil }
        return try? JSONDecoder().decode(ConvergeRecord.self, from: data)
    }

    /// Replaces the record atomically; a state dir that cannot take it only loses the record.
    /// Not flushed: it says when the host was last converged, and is rewritten by every
    /// converge, so two fsyncs per host per run (half the I/O wait of a 1,000-host no-op
    /// converge) would buy only that a power cut cannot leave the previous record or none —
    /// which `load` reads as "no record", never as a wrong one.
    public func save(_ state: StateDirectory) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return }
        try? DurableFile.replace(state.lastConvergePath, with: data + Data("\n".utf8), mode: 0o644, sync: false)
    }
}
