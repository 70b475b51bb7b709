import Foundation
import OverlayCore

/// The agent jobs a generation was applied with: `generations/N/agent-jobs.json`, so that a
/// rollback can put that generation's declared set back (run-time fields kept) and
/// `overlay status` can tell a hand edit from a declaration.
///
/// Written under the state lock right after the switch (and rewritten when a later apply
/// changes only the agent jobs while the same generation stays live): the set a generation
/// records is the last one applied while it was live. A generation without the file (built by
/// an older overlay, or before any agent job was declared) records none.
public enum AgentJobsRecord {
    static let fileName = "agent-jobs.json"

    struct Body: Codable {
        var format: Int
        var host: String
        var agent_jobs: RenderedAgentJobs
    }

    /// Records `jobs` with generation `number`.
    public static func save(
        _ jobs: RenderedAgentJobs, host: String, generation number: Int, state: StateDirectory
    )
        throws(AgentJobsError)
    {
        let path = state.generationPath(number) + "/" + fileName
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(Body(format: 1, host: host, agent_jobs: jobs)) else {
            throw .io(operation: "encode", path: path, errno: EINVAL)
        }
        do { try DurableFile.replace(path, with: data, mode: 0o600) } catch {
            if case .io(let op, let p, let code) = error { throw .io(operation: op, path: p, errno: code) }
            throw .io(operation: "write", path: path, errno: EIO)
        }
    }

    /// The jobs generation `number` records, nil when it records none.
    public static func load(generation number: Int, state: StateDirectory) -> RenderedAgentJobs? {
        let path = state.generationPath(number) + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path), let body = try? JSONDecoder().decode(Body.self, from: data) else {
            return nil
        }
        return body.agent_jobs
    }
}

/// A difference between a host's `jobs.json` and the agent jobs its live generation records.
public struct AgentJobDrift: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A declared field was changed behind overlay's back (e.g. `hermes cron edit`).
        case edited
        /// A declared job is gone from the file (deleted by hand).
        case missing
        /// Paused or resumed by hand: kept (not drift that fails status, but shown).
        case paused
    }

    public var name: String
    public var kind: Kind
    /// The declared fields that differ (for `edited`).
    public var fields: [String]

    /// Compares the live file with `record` (nil when the file cannot be read: the error is thrown).
    public static func detect(
        _ record: RenderedAgentJobs, host: String, clock: any WallClock = SystemClock()
    ) throws(AgentJobsError)
        -> [AgentJobDrift]
    {
        let managed = ManagedAgentJobs(target: record, host: host, clock: clock)
        let live = try managed.readLive() ?? JobsDocument()
        var owned: [String: JobsJSON] = [:]
        for job in live.jobs { if let mark = AgentJobMark(job), owned[mark.name] == nil { owned[mark.name] = job } }
        var out: [AgentJobDrift] = []
        for job in record.jobs {
            let declared = try DeclaredJob(job, zone: managed.zone)
            guard let live = owned[job.name] else {
                // A one-shot that ran removed itself; one whose time passed was never created.
                if !declared.isOnce { out.append(AgentJobDrift(name: job.name, kind: .missing, fields: [])) }
                continue
            }
            let fields = declared.differences(in: live)
            if !fields.isEmpty { out.append(AgentJobDrift(name: job.name, kind: .edited, fields: fields)) }
            let paused = live["enabled"]?.boolValue == false || live["state"]?.stringValue == "paused"
            if paused == job.enabled { out.append(AgentJobDrift(name: job.name, kind: .paused, fields: ["enabled"])) }
        }
        return out
    }
}

/// What `overlay status` says about a state dir's agent jobs: the drift of its live
/// generation's recorded set, or why the jobs file could not be read.
public struct AgentJobsStatus: Sendable {
    /// The jobs file compared (nil when the live generation records no agent jobs).
    public var path: String?
    public var drift: [AgentJobDrift] = []
    public var error: String?

    /// No agent jobs recorded (nothing to compare).
    public init(path: String? = nil, drift: [AgentJobDrift] = [], error: String? = nil) {
        self.path = path
        self.drift = drift
        self.error = error
    }

    /// True when something differs that is not a hand pause (kept by design).
    public var drifted: Bool { error != nil || drift.contains { $0.kind != .paused } }

    /// The status of `generation` in `state`, for `host`.
    public static func of(generation: Int, host: String, state: StateDirectory, clock: any WallClock = SystemClock()) -> AgentJobsStatus {
        guard let record = AgentJobsRecord.load(generation: generation, state: state) else { return AgentJobsStatus() }
        do { return AgentJobsStatus(path: record.jobsFile, drift: try AgentJobDrift.detect(record, host: host, clock: clock)) } catch {
            return AgentJobsStatus(path: record.jobsFile, error: error.description)
        }
    }
}
