import OverlayCore
import Testing

@testable import OverlayRuntime

@Suite struct CrontabTargetTests {
    @Test func parsesUserAndFileTargets() throws {
        #expect(try CrontabTarget(parsing: "user") == .user)
        #expect(try CrontabTarget(parsing: "file:/etc/cron.d/overlay") == .file("/etc/cron.d/overlay"))
        #expect(CrontabTarget.file("/etc/cron.d/overlay").description == "file:/etc/cron.d/overlay")
    }

    @Test(arguments: ["users", "file:", "file:relative/path", "/etc/cron.d/x", "file:/etc/cron.d/"])
    func anythingElseIsAClearError(text: String) {
        #expect(throws: CrontabError.invalidTarget(text)) { try CrontabTarget(parsing: text) }
        #expect(CrontabError.invalidTarget(text).description.contains("use 'user' or 'file:"))
    }

    @Test func hostVarWinsOverEnvironment() throws {
        let vars = Value.object([("overlay_crontab", .string("file:/tmp/a"))])
        let target = try CrontabTarget.resolve(hostVars: vars, environment: ["OVERLAY_CRONTAB": "user"])
        #expect(target == .file("/tmp/a"))
    }

    @Test func environmentWinsOverTheDefault() throws {
        let target = try CrontabTarget.resolve(hostVars: .object([]), environment: ["OVERLAY_CRONTAB": "file:/tmp/b"])
        #expect(target == .file("/tmp/b"))
        #expect(try CrontabTarget.resolve(hostVars: nil, environment: [:]) == .user)
    }

    @Test func nonStringHostVarIsRefused() {
        let vars = Value.object([("overlay_crontab", .int(3))])
        #expect(throws: CrontabError.self) { try CrontabTarget.resolve(hostVars: vars, environment: [:]) }
    }
}
