import Foundation
import Testing

@testable import OverlayCore

/// Homes must be homes, and overlay's own state dir stays out of reach of every dest.
@Suite struct HomeRuleTests {
    func diagnostics(site: String, inventory: String? = nil) throws -> [Diagnostic] {
        var files = MinimalRepo.files
        files["playbooks/site.yaml"] = site
        if let inventory { files["inventory/hosts.yml"] = inventory }
        let repo = try TempRepo(files)
        defer { repo.remove() }
        return repo.validate().diagnostics.filter { $0.severity == .error }
    }

    func located(_ d: [Diagnostic], _ rule: String) -> [String] {
        d.filter { $0.rule == rule }.map { "\($0.file):\($0.line):\($0.column)" }
    }

    @Test func rootAsAHomeIsRefused() throws {
        let d = try diagnostics(site: "hosts: all\nhomes:\n  root: \"/\"\nfiles:\n  - {src: SOUL.md, dest: /etc/cron.d/evil}\n")
        #expect(located(d, "playbook.system-home") == ["playbooks/site.yaml:3:9"], "\(d)")
        let message = try #require(d.first { $0.rule == "playbook.system-home" }?.message)
        #expect(message.contains("the root folder") && message.contains("~/.hermes"), "\(message)")
    }

    @Test func systemFoldersAndTheirTreesAreRefused() throws {
        for home in ["/etc", "/usr", "/var/lib", "/var/log", "/boot", "/proc/self", "/usr/lib/hermes", "/etc/cron.d"] {
            let d = try diagnostics(site: "hosts: all\nhomes:\n  sys: \(home)\nfiles:\n  - {src: SOUL.md, dest: \(home)/x}\n")
            #expect(located(d, "playbook.system-home") == ["playbooks/site.yaml:3:8"], "\(home): \(d)")
        }
    }

    @Test func anAgentsOwnFolderUnderASystemFolderIsAHome() throws {
        for home in ["/etc/hermes", "/var/lib/hermes", "/srv/agent/.hermes", "/opt/hermes", "/usr/local/hermes"] {
            let d = try diagnostics(site: "hosts: all\nhomes:\n  h: \(home)\nfiles:\n  - {src: SOUL.md, dest: \(home)/SOUL.md}\n")
            #expect(d.isEmpty, "\(home): \(d)")
        }
    }

    /// The case: the state dir under a home, and a dest inside it.
    @Test func destInsideTheStateDirIsRefused() throws {
        let inventory = """
            all:
              vars: {golden_state_providers: [custom]}
              hosts:
                timmy: {ansible_connection: local, overlay_home: /srv/timmy, overlay_state_dir: "~/.hermes/state"}
            """
        let site = """
            hosts: all
            homes:
              hermes: "~/.hermes"
            files:
              - {src: SOUL.md, dest: "~/.hermes/SOUL.md"}
              - {src: SOUL.md, dest: "~/.hermes/state/managed.json"}
            """
        let d = try diagnostics(site: site, inventory: inventory)
        #expect(located(d, "playbook.dest-in-state-dir") == ["playbooks/site.yaml:6:26"], "\(d)")
        #expect(located(d, "playbook.home-holds-state-dir") == ["playbooks/site.yaml:3:11"], "\(d)")
        let message = try #require(d.first { $0.rule == "playbook.dest-in-state-dir" }?.message)
        #expect(message.contains("/srv/timmy/.hermes/state") && message.contains("overlay_state_dir"), "\(message)")
    }

    /// Without overlay_state_dir the default `~/.local/state/overlay` is the one protected.
    @Test func aHomeHoldingTheDefaultStateDirIsRefused() throws {
        let site = """
            hosts: all
            homes:
              user: "~"
            files:
              - {src: SOUL.md, dest: "~/.local/state/overlay/current"}
            """
        let d = try diagnostics(site: site)
        #expect(located(d, "playbook.home-holds-state-dir") == ["playbooks/site.yaml:3:9"], "\(d)")
        #expect(located(d, "playbook.dest-in-state-dir") == ["playbooks/site.yaml:5:26"], "\(d)")
        let message = try #require(d.first { $0.rule == "playbook.home-holds-state-dir" }?.message)
        #expect(message.contains("~/.local/state/overlay") && message.contains("host 'timmy'"), "\(message)")
    }

    @Test func aHomeBesideTheStateDirIsFine() throws {
        let inventory = """
            all:
              vars: {golden_state_providers: [custom]}
              hosts:
                timmy: {ansible_connection: local, overlay_state_dir: /var/lib/overlay/timmy}
            """
        let site = "hosts: all\nhomes:\n  user: \"~\"\nfiles:\n  - {src: SOUL.md, dest: \"~/SOUL.md\"}\n"
        #expect(try diagnostics(site: site, inventory: inventory).isEmpty)
    }

    /// A file where one of the state dir's parent folders goes would stop overlay making it.
    @Test func aDestAboveTheStateDirIsRefused() throws {
        let inventory = """
            all:
              vars: {golden_state_providers: [custom]}
              hosts:
                timmy: {ansible_connection: local, overlay_home: /srv/timmy, overlay_state_dir: "~/.hermes/state/overlay"}
            """
        let site = "hosts: all\nhomes:\n  h: \"~/.hermes\"\nfiles:\n  - {src: SOUL.md, dest: \"~/.hermes/state\"}\n"
        let d = try diagnostics(site: site, inventory: inventory)
        #expect(located(d, "playbook.dest-in-state-dir") == ["playbooks/site.yaml:5:26"], "\(d)")
        #expect(d.first { $0.rule == "playbook.dest-in-state-dir" }?.message.contains("a parent of") == true)
        #expect(!HomeRule.touchesStateDir("/h/.hermes/stateful", stateDir: "/h/.hermes/state"))
    }
}
