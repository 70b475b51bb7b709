import Foundation

/// The harness's `jobs.json` as read: `{"jobs": [...], "updated_at": ISO}` (other top-level
/// members are kept).
///
/// What the harness repairs on its own when it reads the file — a bare list, raw control
/// characters in strings — overlay reports instead of guessing: the file was then written by
/// something else than the harness (a hand edit, a sync tool), and a reconcile on top of a
/// guess could lose a person's job. One `hermes cron list` lets the harness repair it. A UTF-8
/// byte-order mark, which the harness reads without complaint, is accepted.
public struct JobsDocument: Sendable, Equatable {
    /// The top-level object's members other than `jobs` (kept as they were).
    public var members: [(String, JobsJSON)]
    /// The jobs, each an object, in file order.
    public var jobs: [JobsJSON]

    public static func == (a: JobsDocument, b: JobsDocument) -> Bool {
        JobsJSON.object(a.members) == JobsJSON.object(b.members) && a.jobs == b.jobs
    }

    /// The largest file read (the harness's file holds prompts, not data).
    static let maxBytes = 64 << 20

    public init(members: [(String, JobsJSON)] = [], jobs: [JobsJSON] = []) {
        self.members = members
        self.jobs = jobs
    }

    /// Reads the bytes of `path` (named in errors).
    public static func parse(_ data: [UInt8], path: String) throws(AgentJobsError) -> JobsDocument {
        let list = "run 'hermes cron list' once (the harness wraps a bare list itself) or restore the file from a backup"
        guard data.count <= maxBytes else {
            throw .corrupt(path: path, reason: "it is \(data.count) bytes (more than \(maxBytes))", repair: "check what wrote it")
        }
        guard !data.isEmpty else {
            throw .corrupt(
                path: path, reason: "it is empty (the harness cannot read it either)", repair: "delete it or restore it from a backup")
        }
        let root: JobsJSON
        switch JobsJSONParser.parse(data) {
        case .success(let value): root = value
        case .failure(let failure):
            if failure.controlCharacter {
                throw .corrupt(
                    path: path, reason: "line \(failure.line), column \(failure.column): \(failure.reason)",
                    repair: "run 'hermes cron list' once: the harness re-reads it leniently and rewrites it escaped")
            }
            throw .corrupt(
                path: path, reason: "not JSON (line \(failure.line), column \(failure.column): \(failure.reason))",
                repair: "fix it by hand or restore it from a backup")
        }
        switch root {
        case .array: throw .corrupt(path: path, reason: "the top level is a bare list, not {\"jobs\": [...]}", repair: list)
        case .object(let pairs):
            let members = pairs.filter { $0.0 != "jobs" }
            guard let jobs = root["jobs"] else { return JobsDocument(members: members, jobs: []) }
            guard case .array(let items) = jobs else {
                throw .corrupt(path: path, reason: "'jobs' is not a list", repair: "fix it by hand or restore it from a backup")
            }
            for (n, item) in items.enumerated() {
                guard case .object = item else {
                    throw .corrupt(
                        path: path, reason: "job \(n + 1) is not an object", repair: "fix it by hand or restore it from a backup")
                }
            }
            return JobsDocument(members: members, jobs: items)
        default:
            throw .corrupt(path: path, reason: "the top level is not an object", repair: "fix it by hand or restore it from a backup")
        }
    }

    /// The file's bytes, as the harness writes them (`updated_at` set to `updatedAt`).
    public func encoded(updatedAt: String) -> Data {
        var pairs: [(String, JobsJSON)] = [("jobs", .array(jobs))]
        var stamped = false
        for (key, value) in members {
            if key == "updated_at" {
                pairs.append((key, .string(updatedAt)))
                stamped = true
            } else {
                pairs.append((key, value))
            }
        }
        if !stamped { pairs.append(("updated_at", .string(updatedAt))) }
        return Data(JobsJSONWriter.write(.object(pairs)).utf8)
    }
}
