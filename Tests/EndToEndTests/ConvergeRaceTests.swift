import Foundation
import Testing

/// Issue 20: parallel converge workers called `getpwuid` (one static buffer) for the user
/// column of every cron job; now and then a host failed with a whole passwd line as its user
/// name, its files switched and its crontab block left behind. 200 local hosts with their cron
/// jobs, 10 at a time, converged 20 times over: not one spurious failure.
@Suite struct ConvergeRaceTests {
    @Test func twoHundredLocalHostsTenAtATimeTwentyTimesWithoutASpuriousFailure() throws {
        let fleet = try ConvergeFleet()
        defer { fleet.cleanup() }
        try fleet.writeLocalWizards(200)
        let args = ["--forks", "10", "--format", "json"]
        var failures: [String] = []
        for run in 1...20 {
            let r = try fleet.converge(args)
            let hosts = r.json["hosts"] as? [String: [String: Any]] ?? [:]
            if r.status != 0 || hosts.count != 200 {
                let bad = hosts.filter { $0.value["status"] as? String != (run == 1 ? "changed" : "ok") }
                failures.append("run \(run): exit \(r.status), \(bad.count) host(s): \(bad.prefix(3)) \(r.stderr.prefix(500))")
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        // Every host's block carries its five jobs with the user column of the user running overlay.
        let user = String(cString: getpwuid(geteuid()).pointee.pw_name)
        for name in ["timmy", "ezra", "w2", "w199"] {
            let text = (try? String(contentsOfFile: fleet.crontab(name), encoding: .utf8)) ?? ""
            let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
            #expect(
                lines.count >= 5 && lines.allSatisfy { $0.split(separator: " ").dropFirst(5).first.map(String.init) == user },
                "\(name): \(text)")
        }
    }
}
