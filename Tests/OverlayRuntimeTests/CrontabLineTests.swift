import Foundation
import OverlayCore
import Testing

@testable import OverlayRuntime

/// What cron does to a command before handing it to /bin/sh: `\%` becomes `%`.
private func cronCommand(of line: String, fields: Int) -> String {
    var rest = Substring(line)
    for _ in 0..<fields {
        rest = rest.drop(while: { $0 != " " }).dropFirst()
    }
    return rest.replacingOccurrences(of: #"\%"#, with: "%")
}

@Suite struct CrontabLineTests {
    @Test(arguments: ["a b", "it's", "50% off", "$HOME `id` $(id)", #"back\slash"#, "", "x;y|z&"])
    func envValueReachesTheCommandExactly(value: String) throws {
        let job = RenderedCronJob(name: "env", schedule: "0 * * * *", command: "printenv VALUE", env: ["VALUE": value])
        let line = try CrontabLine.render(job, user: nil)
        #expect(CrontabLine.commandProblem(String(line.split(separator: " ", maxSplits: 5)[5])) == nil)
        #expect(!value.contains("%") || line.contains(#"\%"#))

        let result = try runTool("/bin/sh", ["-c", cronCommand(of: line, fields: 5)])
        #expect(result.stdout == value + "\n")
    }

    @Test func envAssignmentsComeSortedBeforeTheCommand() throws {
        let job = RenderedCronJob(name: "e", schedule: "@daily", command: "run", env: ["PATH": "/bin", "LANG": "C"])
        #expect(try CrontabLine.render(job, user: "ops") == "@daily ops export LANG='C' PATH='/bin'; run")
    }

    @Test func envReachesExpansionsAndEveryCommandOfTheLine() throws {
        let job = RenderedCronJob(name: "e", schedule: "@daily", command: #"echo "$V" && printenv V"#, env: ["V": "x y"])
        let line = try CrontabLine.render(job, user: nil)
        let result = try runTool("/bin/sh", ["-c", cronCommand(of: line, fields: 1)])
        #expect(result.stdout == "x y\nx y\n")
    }

    @Test(arguments: ["1BAD", "A-B", "", "A B"])
    func envNameThatIsNoShellVariableIsRefused(name: String) {
        let job = RenderedCronJob(name: "e", schedule: "@daily", command: "run", env: [name: "v"])
        #expect(throws: CrontabError.self) { try CrontabLine.render(job, user: nil) }
    }

    @Test(arguments: ["a\nb", #"a\%b"#])
    func envValueCronCannotCarryIsRefused(value: String) {
        let job = RenderedCronJob(name: "e", schedule: "@daily", command: "run", env: ["V": value])
        #expect(throws: CrontabError.self) { try CrontabLine.render(job, user: nil) }
    }

    @Test(arguments: ["Heartbeat", "-x", "a b", "a\n"])
    func jobNameOutsideTheSpecAlphabetIsRefused(name: String) {
        let job = RenderedCronJob(name: name, schedule: "@daily", command: "run")
        #expect(throws: CrontabError.self) { try CrontabLine.render(job, user: nil) }
    }

    @Test func userColumnWithSpaceIsRefused() {
        let job = RenderedCronJob(name: "e", schedule: "@daily", command: "run", user: "a b")
        #expect(throws: CrontabError.self) { try CrontabLine.render(job, user: "a b") }
    }
}
