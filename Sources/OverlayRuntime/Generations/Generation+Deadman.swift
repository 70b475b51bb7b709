import Foundation
import OverlayCore

extension Generation {
    /// The deadman settings a generation was built with (SPEC §2.5 `deadman:`), as rendered for
    /// its host. `overlay deadman check` reads them from the live generation, so a rollback
    /// brings back the settings of the generation it makes live.
    public struct Deadman: Codable, Sendable, Equatable {
        /// The heartbeat stamp, absolute.
        public var stamp: String
        /// Seconds after which the stamp counts as stale.
        public var maxAge: Int
        /// Seconds between checks (the cron cadence).
        public var every: Int
        /// Shell command that restarts the agent.
        public var restart: String
        /// Restarts before the rollback.
        public var maxRetries: Int
        /// Roll back to the last known-good generation when the retries are spent.
        public var rollback: Bool
        /// Shell command run once when the deadman gives up.
        public var alert: String?

        enum CodingKeys: String, CodingKey {
            case stamp, every, restart, rollback, alert
            case maxAge = "max_age"
            case maxRetries = "max_retries"
        }

        public init(_ rendered: RenderedDeadman) {
            stamp = rendered.stamp
            maxAge = rendered.maxAge
            every = rendered.every
            restart = rendered.restart
            maxRetries = rendered.maxRetries
            rollback = rendered.rollback
            alert = rendered.alert
        }

        /// The settings as the renderer produces them.
        public var rendered: RenderedDeadman {
            RenderedDeadman(
                stamp: stamp, maxAge: maxAge, every: every, restart: restart, maxRetries: maxRetries, rollback: rollback,
                alert: alert)
        }

        /// Maps the JSONSerialization object of the record's `cron.deadman` member (nil when malformed).
        init?(json: Any?) {
            guard let o = json as? [String: Any], let stamp = o["stamp"] as? String, let maxAge = o["max_age"] as? Int,
                let every = o["every"] as? Int, let restart = o["restart"] as? String, let retries = o["max_retries"] as? Int,
                let rollback = o["rollback"] as? Bool, maxAge > 0, every > 0, retries >= 0
            else { return nil }
            self.init(
                RenderedDeadman(
                    stamp: stamp, maxAge: maxAge, every: every, restart: restart, maxRetries: retries, rollback: rollback,
                    alert: o["alert"] as? String))
        }
    }

    /// The deadman settings recorded with this generation, or nil when it declares none (or
    /// was built by an overlay that did not record them).
    public var deadman: Deadman? { cron?.deadman }
}
