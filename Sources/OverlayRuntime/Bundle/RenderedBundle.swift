import Foundation
import OverlayCore

/// A rendered state as JSON: what `overlay converge` streams to `overlay apply --bundle -`.
///
/// Shape: `{"format": 1, "host", "commit"?, "homes": {name: path}, "protected": [...],
/// "files": [{"dest", "content" (base64), "mode"?, "link", "secret", "source"}],
/// "handlers": [{"name", "run", "on_change"}], "cron_jobs": [{"name", "schedule",
/// "command", "user"?, "env"}], "deadman"?: {...}, "providers": [...], "agent_jobs"?: {"home",
/// "timezone"?, "jobs": [...]}, "managed_scope"?: {"dir", "group"?, "hermesHome", "lockConfig",
/// "hasEnv"}}`; a file may carry `"create_only": true` and `"group_readable": true`.
public enum RenderedBundle {
    /// Why a bundle could not be read.
    public struct DecodeError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    struct File: Codable {
        var dest: String
        var content: String
        var mode: UInt16?
        var link: Bool?
        var secret: Bool?
        var source: String?
        /// The content with secrets written `<redacted>` (for `--diff` on the host).
        var redacted: String?
        /// `create_only: true` (absent: false).
        var create_only: Bool?
        /// A secret file its group reads (the managed scope's `.env`; absent: false).
        var group_readable: Bool?
    }

    struct Handler: Codable {
        var name: String
        var run: String
        var on_change: [String]
        var timeout: Int?
    }

    struct CronJob: Codable {
        var name: String
        var schedule: String
        var command: String
        var user: String?
        var env: [String: String]?
    }

    struct Deadman: Codable {
        var stamp: String
        var max_age: Int
        var every: Int
        var restart: String
        var max_retries: Int
        var rollback: Bool
        var alert: String?
    }

    struct Body: Codable {
        var format: Int?
        var host: String
        var commit: String?
        var homes: [String: String]
        var protected: [String]?
        var files: [File]
        var handlers: [Handler]?
        var cron_jobs: [CronJob]?
        var deadman: Deadman?
        var providers: [String]?
        /// The harness's own jobs (absent: none declared).
        var agent_jobs: RenderedAgentJobs?
        /// The harness's managed scope (absent: none declared).
        var managed_scope: RenderedManagedScope?
    }

    /// Serialises a rendered state (and the source commit) as a bundle.
    public static func encode(_ s: RenderedState, commit: String? = nil) -> Data {
        let body = Body(
            format: 1, host: s.host, commit: commit, homes: s.homes, protected: s.protected,
            files: s.files.map {
                File(
                    dest: $0.dest, content: $0.content.base64EncodedString(), mode: $0.mode, link: $0.link,
                    secret: $0.containsSecret, source: $0.source, redacted: $0.redactedContent.map { String(decoding: $0, as: UTF8.self) },
                    create_only: $0.createOnly ? true : nil, group_readable: $0.groupReadable ? true : nil)
            },
            handlers: s.handlers.map { Handler(name: $0.name, run: $0.run, on_change: $0.onChange, timeout: $0.timeoutSeconds) },
            cron_jobs: s.cronJobs.map {
                CronJob(name: $0.name, schedule: $0.schedule, command: $0.command, user: $0.user, env: $0.env)
            },
            deadman: s.deadman.map {
                Deadman(
                    stamp: $0.stamp, max_age: $0.maxAge, every: $0.every, restart: $0.restart,
                    max_retries: $0.maxRetries, rollback: $0.rollback, alert: $0.alert)
            },
            providers: s.providers, agent_jobs: s.agentJobs, managed_scope: s.managedScope)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(body)) ?? Data()
    }

    /// Reads a bundle: the rendered state and the commit it was rendered from.
    public static func decode(_ data: Data) throws(DecodeError) -> (state: RenderedState, commit: String?) {
        let body: Body
        do { body = try JSONDecoder().decode(Body.self, from: data) } catch {
            throw DecodeError(description: "the bundle is not valid JSON of the bundle format: \(error)")
        }
        var files: [RenderedFile] = []
        for f in body.files {
            guard let content = Data(base64Encoded: f.content) else {
                throw DecodeError(description: "the bundle's content for \(f.dest) is not base64")
            }
            var file = RenderedFile(
                dest: f.dest, content: content, mode: f.mode, link: f.link ?? true, containsSecret: f.secret ?? false,
                source: f.source ?? f.dest, redactedContent: f.redacted.map { Data($0.utf8) })
            file.createOnly = f.create_only ?? false
            file.groupReadable = f.group_readable ?? false
            files.append(file)
        }
        let state = RenderedState(
            host: body.host, homes: body.homes, protected: body.protected ?? [], files: files,
            handlers: (body.handlers ?? []).map {
                RenderedHandler(name: $0.name, run: $0.run, onChange: $0.on_change, timeoutSeconds: $0.timeout)
            },
            cronJobs: (body.cron_jobs ?? []).map {
                RenderedCronJob(name: $0.name, schedule: $0.schedule, command: $0.command, user: $0.user, env: $0.env ?? [:])
            },
            deadman: body.deadman.map {
                RenderedDeadman(
                    stamp: $0.stamp, maxAge: $0.max_age, every: $0.every, restart: $0.restart, maxRetries: $0.max_retries,
                    rollback: $0.rollback, alert: $0.alert)
            },
            providers: body.providers ?? [])
        var withJobs = state
        withJobs.agentJobs = body.agent_jobs
        withJobs.managedScope = body.managed_scope
        return (withJobs, body.commit)
    }
}
