import Foundation
import OverlayCore

extension Generation {
    /// The cron jobs apply installed with a generation, and the crontab they went to, so a
    /// rollback can put the generation's managed block back.
    public struct Cron: Codable, Sendable, Equatable {
        /// One job of the managed block, as rendered.
        public struct Job: Codable, Sendable, Equatable {
            public var name: String
            public var schedule: String
            public var command: String
            /// The user column of a `file:` target.
            public var user: String?
            public var env: [String: String]
        }

        /// `user` or `file:PATH`, as `CrontabTarget` writes it.
        public var target: String
        public var jobs: [Job]
        /// The settings of the deadman check among `jobs` (the job that carries them), if any.
        public var deadman: Deadman? = nil

        public init(target: String, jobs: [RenderedCronJob]) {
            self.target = target
            self.jobs = jobs.map { Job(name: $0.name, schedule: $0.schedule, command: $0.command, user: $0.user, env: $0.env) }
            self.deadman = jobs.lazy.compactMap(\.deadman).first.map(Deadman.init)
        }

        /// The jobs as the crontab code takes them.
        public var renderedJobs: [RenderedCronJob] {
            jobs.map { RenderedCronJob(name: $0.name, schedule: $0.schedule, command: $0.command, user: $0.user, env: $0.env) }
        }
    }

    /// A handler of the golden state a generation was built from, so a rollback can run the
    /// handlers whose watched paths it changes.
    public struct Handler: Codable, Sendable, Equatable {
        public var name: String
        public var run: String
        public var onChange: [String]
        /// Seconds; absent for the runner's default.
        public var timeout: Int?

        enum CodingKeys: String, CodingKey {
            case name, run, timeout
            case onChange = "on_change"
        }

        public init(_ handler: RenderedHandler) {
            name = handler.name
            run = handler.run
            onChange = handler.onChange
            timeout = handler.timeoutSeconds
        }

        /// The handler as the handler runner takes it.
        public var rendered: RenderedHandler { RenderedHandler(name: name, run: run, onChange: onChange, timeoutSeconds: timeout) }
    }
}

extension Generation.Cron {
    /// Maps the JSONSerialization object of the record's `cron` member (nil when malformed).
    init?(json: Any?) {
        guard let o = json as? [String: Any], let target = o["target"] as? String, let list = o["jobs"] as? [[String: Any]]
        else { return nil }
        var jobs: [Job] = []
        for j in list {
            guard let name = j["name"] as? String, let schedule = j["schedule"] as? String, let command = j["command"] as? String
            else { return nil }
            jobs.append(
                Job(name: name, schedule: schedule, command: command, user: j["user"] as? String, env: j["env"] as? [String: String] ?? [:])
            )
        }
        self.target = target
        self.jobs = jobs
        self.deadman = Generation.Deadman(json: o["deadman"])
    }
}

extension Generation.Handler {
    /// Maps the JSONSerialization objects of the record's `handlers` member (nil when malformed).
    static func list(json: Any?) -> [Generation.Handler]? {
        guard let list = json as? [[String: Any]] else { return nil }
        var out: [Generation.Handler] = []
        for h in list {
            guard let name = h["name"] as? String, let run = h["run"] as? String, let onChange = h["on_change"] as? [String]
            else { return nil }
            let timeout = h["timeout"] as? Int
            out.append(Generation.Handler(RenderedHandler(name: name, run: run, onChange: onChange, timeoutSeconds: timeout)))
        }
        return out
    }
}
