import Foundation
import Testing

@testable import OverlayCore

/// At apply time the provider policy also holds for a template's secret-resolved bytes, and a
/// secret that cannot be read says what is in its way.
@Suite struct ResolvedSecretPolicyTests {
    let template = """
        model:
          provider: custom
          base_url: "${secret:MODEL_URL}"
          api_key: "${secret:MODEL_KEY}"
        """

    /// Renders the minimal repo's host for apply, with `secrets` (name → value) in a folder.
    func render(
        _ secrets: [String: String], template: String? = nil, prepare: (String) throws -> Void = { _ in }
    )
        throws -> (RenderedState?, [Diagnostic])
    {
        var files = MinimalRepo.files
        files["playbooks/site.yaml"] = """
            hosts: all
            homes:
              hermes: "{{ hermes_home }}"
            files:
              - {template: playbooks/templates/model.yaml, dest: "{{ hermes_home }}/model.yaml"}
            """
        files["playbooks/templates/model.yaml"] = template ?? self.template
        let repo = try TempRepo(files)
        defer { repo.remove() }
        let dir = repo.root.path + "/.secrets"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, value) in secrets { try value.write(toFile: dir + "/" + name, atomically: false, encoding: .utf8) }
        try prepare(dir)
        let context = ValidationContext(repo: LoadedRepo(root: repo.root))
        let renderer = try #require(GoldenStateRenderer(context: context))
        let env = RenderEnvironment(home: "/srv/agent", secretsDir: dir, environment: [:], forApply: true)
        return renderer.renderCollecting(host: "timmy", environment: env)
    }

    @Test func aRemoteBaseURLFromASecretIsRefusedWithoutShowingIt() throws {
        let (state, d) = try render(["MODEL_URL": "https://api.secret-host.example/v1", "MODEL_KEY": "k-1"])
        #expect(state == nil)
        let hit = try #require(d.first { $0.rule == "policy.remote-base-url" }, "\(d)")
        #expect("\(hit.file):\(hit.line)" == "playbooks/templates/model.yaml:3")
        #expect(hit.message.contains("'MODEL_URL'") && hit.message.contains("allowed_remote_hosts"), "\(hit.message)")
        #expect(!d.contains { $0.message.contains("secret-host") || $0.message.contains("k-1") }, "no message shows a secret")
    }

    @Test func aBannedProviderFromASecretIsRefused() throws {
        let (state, d) = try render(["MODEL_URL": "http://127.0.0.1:8080/v1", "MODEL_KEY": "claude"])
        #expect(state == nil)
        let hit = try #require(d.first { $0.rule == "policy.banned-provider" }, "\(d)")
        #expect("\(hit.file):\(hit.line):\(hit.column)" == "playbooks/templates/model.yaml:4:13")
        #expect(hit.message.contains("banned provider 'anthropic'") && hit.message.contains("secret 'MODEL_KEY'"), "\(hit.message)")
    }

    @Test func localAndListedHostsPass() throws {
        for url in ["http://127.0.0.1:8080/v1", "http://10.0.0.31:8080/v1", "https://models.example.org/v1"] {
            let (state, d) = try render(["MODEL_URL": url, "MODEL_KEY": "k-1"])
            #expect(state != nil && d.errorCount == 0, "\(url): \(d)")
        }
    }

    @Test func aSecretThatIsAFolderOrAFIFOSaysSo() throws {
        let (_, folder) = try render(["MODEL_URL": "http://127.0.0.1/v1"]) { dir in
            try FileManager.default.createDirectory(atPath: dir + "/MODEL_KEY", withIntermediateDirectories: true)
        }
        let hit = try #require(folder.first { $0.rule == "playbook.unreadable-secret" }, "\(folder)")
        #expect(hit.message.contains("MODEL_KEY is a folder, not a file"), "\(hit.message)")
        #expect(!folder.contains { $0.rule == "playbook.missing-secret" })
        let started = Date()
        let (_, fifo) = try render(["MODEL_URL": "http://127.0.0.1/v1"]) { dir in
            #expect(mkfifo(dir + "/MODEL_KEY", 0o600) == 0)
        }
        #expect(Date().timeIntervalSince(started) < 10, "a FIFO is never read")
        #expect(fifo.first { $0.rule == "playbook.unreadable-secret" }?.message.contains("is a FIFO") == true, "\(fifo)")
    }

    @Test func lookupSaysWhatIsThere() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-secrets-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/folder", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "v\n".write(toFile: dir + "/ok", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/dangling", withDestinationPath: dir + "/nothing")
        let resolver = SecretResolver(directory: dir, environment: [:])
        #expect(resolver.lookup("ok") == .value("v"))
        #expect(resolver.lookup("absent") == .missing)
        #expect(resolver.lookup("dangling") == .missing)
        #expect(resolver.lookup("folder") == .unreadable("is a folder, not a file"))
    }
}
