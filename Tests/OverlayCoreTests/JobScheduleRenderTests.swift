import Foundation
import Testing

@testable import OverlayCore

/// A job playbook's `schedule:` becomes a cron entry of the hosts it targets, with absolute paths.
@Suite struct JobScheduleRenderTests {
    static let inventory = """
        all:
          vars: {hermes_home: /srv/agent/.hermes, timmy_home: /srv/agent/.timmy, golden_state_providers: [custom]}
          children:
            wizards:
              hosts:
                timmy: {ansible_connection: local}
            trainers:
              hosts:
                forge: {ansible_host: 10.0.0.21}
                anvil: {ansible_host: 10.0.0.22, overlay_repo: "~/overlay", overlay_bin: /opt/overlay/bin/overlay}
        """

    func render(_ host: String, playbook: String) throws -> (RenderedState?, [Diagnostic], URL) {
        var files = MinimalRepo.files
        files["inventory/hosts.yml"] = Self.inventory
        files["playbooks/train.yaml"] = playbook
        let repo = try TempRepo(files)
        let context = ValidationContext(repo: LoadedRepo(root: repo.root))
        let renderer = try #require(GoldenStateRenderer(context: context))
        var env = RenderEnvironment.validation(host: host, hostVars: try #require(context.inventory).vars(for: host))
        env.overlayBinary = "/usr/local/lib/overlay/overlay"
        let (state, diagnostics) = renderer.renderCollecting(host: host, environment: env)
        return (state, diagnostics, repo.root)
    }

    @Test func aLocalHostRunsThisBinaryOnThisRepo() throws {
        let (state, _, root) = try render(
            "timmy", playbook: "name: train\nschedule: \"0 */4 * * *\"\nhosts: all\njobs:\n  a: {run: 'true'}\n")
        defer { try? FileManager.default.removeItem(at: root) }
        let entry = try #require(state?.cronJobs.first { $0.name == "overlay-jobs-train" })
        #expect(entry.schedule == "0 */4 * * *")
        let repo = root.standardizedFileURL.path
        #expect(entry.command == "/usr/local/lib/overlay/overlay jobs run \(repo)/playbooks/train.yaml --root \(repo) --host timmy --quiet")
    }

    @Test func onlyTheHostsThePatternSelectsGetTheEntry() throws {
        let (state, _, root) = try render(
            "timmy", playbook: "name: train\nschedule: \"@daily\"\nhosts: trainers\njobs:\n  a: {run: 'true'}\n")
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(state?.cronJobs.isEmpty == true)
    }

    @Test func anSSHHostNeedsItsRepoPathAndUsesItsOverlayBin() throws {
        let playbook = "name: train\nschedule: \"@daily\"\nhosts: trainers\njobs:\n  a: {run: 'true'}\n"
        let (forge, forgeDiagnostics, forgeRoot) = try render("forge", playbook: playbook)
        defer { try? FileManager.default.removeItem(at: forgeRoot) }
        #expect(forge?.cronJobs.isEmpty == true)
        let warning = forgeDiagnostics.first { $0.rule == "playbook.schedule-repo" }
        #expect(warning?.severity == .warning && warning?.file == "playbooks/train.yaml" && warning?.line == 2)
        let (anvil, _, anvilRoot) = try render("anvil", playbook: playbook)
        defer { try? FileManager.default.removeItem(at: anvilRoot) }
        let entry = try #require(anvil?.cronJobs.first)
        #expect(
            entry.command
                == "/opt/overlay/bin/overlay jobs run /home/anvil/overlay/playbooks/train.yaml --root /home/anvil/overlay --host anvil --quiet"
        )
    }

    @Test func theHostsOfScheduledPlaybooksAreListedForTheEngine() throws {
        var files = MinimalRepo.files
        files["inventory/hosts.yml"] = Self.inventory
        files["playbooks/train.yaml"] = "name: train\nschedule: \"@daily\"\nhosts: trainers\njobs:\n  a: {run: 'true'}\n"
        files["playbooks/adhoc.yaml"] = "name: adhoc\nhosts: all\njobs:\n  a: {run: 'true'}\n"
        let repo = try TempRepo(files)
        defer { repo.remove() }
        let schedules = JobScheduleRenderer(context: ValidationContext(repo: LoadedRepo(root: repo.root)))
        #expect(schedules.targetHosts == ["anvil", "forge"], "an unscheduled playbook installs nothing")
    }
}
