import OverlayCore

/// What converging one host came to: a line of the recap and a member of the JSON `hosts`.
struct HostOutcome: Sendable {
    /// Ansible's recap kinds; `skipped` is a host a stopped rolling update never reached.
    enum Status: String, Sendable, CaseIterable {
        case ok, changed, failed, unreachable, skipped
    }

    var host: String
    var status: Status
    /// The generation live on the host afterwards, when known.
    var generation: Int?
    /// Why the host failed, was unreachable or was skipped.
    var error: String?
    /// The changes, as apply prints them (text output only).
    var details: String = ""

    var failedOrUnreachable: Bool { status == .failed || status == .unreachable }

    static func failed(_ host: String, _ error: String, generation: Int? = nil) -> HostOutcome {
        HostOutcome(host: host, status: .failed, generation: generation, error: error)
    }

    /// The host's member of the JSON `hosts` object.
    var json: Value {
        .object([
            ("status", .string(status.rawValue)), ("changed", .bool(status == .changed)),
            ("generation", generation.map(Value.int) ?? .null), ("error", error.map(Value.string) ?? .null),
        ])
    }
}
