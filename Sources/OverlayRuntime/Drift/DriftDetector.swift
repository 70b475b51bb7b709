import Foundation

/// One managed path that changed behind overlay's back.
public struct DriftItem: Sendable, Equatable {
    /// How the path drifted.
    public enum Kind: String, Sendable {
        /// The content (or mode) differs from the live generation.
        case edited
        /// Something else (an unmanaged file, another symlink) is at the path.
        case replaced
        /// The path is gone.
        case deleted
    }

    public var path: String
    public var kind: Kind
}

/// Compares the live generation with the homes: the plan of re-applying it, read as drift.
public struct DriftDetector: Sendable {
    let state: StateDirectory

    public init(state: StateDirectory) { self.state = state }

    /// Drifted paths of the live generation (empty before the first apply).
    public func detect() throws(ApplyError) -> [DriftItem] {
        guard let current = try GenerationStore(state: state).current() else { return [] }
        let guardrail = PathGuard(homes: current.homes, protected: current.protected ?? [])
        let builder = PlanBuilder(
            state: state, current: current, ledger: try ManagedLedger.load(state), guardrail: guardrail)
        let plan = try builder.build(
            host: current.host, homes: current.homes,
            targets: try TargetFiles.from(current, state: state, guardrail: guardrail))
        return plan.items.compactMap { item in
            switch item.action {
            case .unchanged, .kept, .deleted, .restoredBackup: return nil
            case .created: return DriftItem(path: item.path, kind: .deleted)
            case .restored where item.reason == PlanBuilder.replacedReason:
                return DriftItem(path: item.path, kind: .replaced)
            case .restored where item.reason == "deleted behind overlay's back":
                return DriftItem(path: item.path, kind: .deleted)
            default: return DriftItem(path: item.path, kind: .edited)
            }
        }
    }
}
