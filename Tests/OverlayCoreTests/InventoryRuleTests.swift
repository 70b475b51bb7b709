import Testing

@testable import OverlayCore

/// One test per `inventory.*` rule: the rule id and where it points.
@Suite struct InventoryRuleTests {
    func only(_ rule: String, _ yaml: String, files: [String: String] = [:]) throws -> Diagnostic {
        let found = try InventoryFixture.make(yaml, files: files).diagnostics.filter { $0.rule == rule }
        #expect(found.count == 1, "\(found)")
        return try #require(found.first)
    }

    @Test func syntaxWhenRootIsNotAMapping() throws {
        let d = try only("inventory.syntax", "- web1\n- web2\n")
        #expect((d.line, d.column) == (1, 1))
    }

    @Test func syntaxWhenHostsIsAList() throws {
        let d = try only("inventory.syntax", "all:\n  children:\n    web:\n      hosts: [web1, web2]\n")
        #expect((d.line, d.column) == (4, 14))
    }

    @Test func syntaxWhenVarsFileIsNotAMapping() throws {
        let d = try only("inventory.syntax", "all:\n  hosts: {h: }\n", files: ["host_vars/h.yml": "\n- a\n"])
        #expect(d.file == "inventory/host_vars/h.yml")
        #expect((d.line, d.column) == (2, 1))
    }

    /// Like Ansible, the loop is found when the outer edge (a → b) is added, after b's subtree.
    @Test func cycleAtTheChildThatClosesTheLoop() throws {
        let d = try only(
            "inventory.cycle",
            """
            all:
              children:
                a:
                  children:
                    b:
                      children:
                        a:
            """)
        #expect((d.line, d.column) == (5, 9))
        #expect(d.message.contains("'b'"))
    }

    @Test func groupAsItsOwnChild() throws {
        let d = try only("inventory.cycle", "all:\n  children:\n    a:\n      children:\n        a:\n")
        #expect((d.line, d.column) == (5, 9))
    }

    @Test func hostListedUnderChildren() throws {
        let d = try only("inventory.not-a-group", "all:\n  hosts: {web1: }\n  children:\n    web1:\n")
        #expect((d.line, d.column) == (4, 5))
    }

    @Test func childThatIsNotAMapping() throws {
        let d = try only("inventory.not-a-group", "all:\n  children:\n    web: [web1]\n")
        #expect((d.line, d.column) == (3, 10))
    }

    @Test func varsFileForUnknownGroupSuggestsTheName() throws {
        let d = try only(
            "inventory.unknown-vars-file", "all:\n  children:\n    wizards:\n      hosts: {h: }\n",
            files: ["group_vars/wizrds.yml": "x: 1\n"])
        #expect(d.file == "inventory/group_vars/wizrds.yml")
        #expect((d.line, d.column) == (1, 1))
        #expect(d.message.contains("did you mean 'wizards'"))
    }

    @Test func hostVarsFileForAGroup() throws {
        let d = try only(
            "inventory.unknown-vars-file", "all:\n  children:\n    web:\n      hosts: {h: }\n",
            files: ["host_vars/web/main.yml": "x: 1\n"])
        #expect(d.file == "inventory/host_vars/web/main.yml")
        #expect(d.message.contains("group_vars/"))
    }

    @Test func invalidHostRange() throws {
        let d = try only("inventory.host-range", "all:\n  hosts:\n    web[01:100]:\n")
        #expect((d.line, d.column) == (3, 5))
    }

    /// network_cli, winrm, docker … are inventory data; converge refuses such a host alone.
    @Test func anyConnectionIsInventoryData() throws {
        let inv = try InventoryFixture.make(
            "all:\n  hosts:\n    sw1: {ansible_connection: ansible.netcommon.network_cli}\n    win: {ansible_connection: winrm}\n")
        #expect(inv.diagnostics.isEmpty, "\(inv.diagnostics)")
    }

    @Test func connectionThatIsNotAString() throws {
        let d = try only("inventory.connection-type", "all:\n  hosts:\n    h: {ansible_connection: [ssh]}\n")
        #expect((d.line, d.column) == (3, 29))
    }

    @Test func vaultedConnectionVariableSaysSo() throws {
        let d = try only(
            "inventory.connection-type",
            "all:\n  hosts:\n    h:\n      ansible_user: !vault |\n        $ANSIBLE_VAULT;1.1;AES256\n        6162\n")
        #expect((d.line, d.column) == (4, 21))
        #expect(d.message.contains("vault-encrypted"))
    }

    @Test func portThatIsNotANumber() throws {
        let d = try only(
            "inventory.connection-type", "all:\n  hosts: {h: }\n", files: ["host_vars/h.yml": "ansible_port: ssh-port\n"])
        #expect(d.file == "inventory/host_vars/h.yml")
        #expect((d.line, d.column) == (1, 15))
    }

    @Test func userThatIsNotAString() throws {
        let d = try only("inventory.connection-type", "all:\n  vars:\n    ansible_user: 1000\n  hosts: {h: }\n")
        #expect((d.line, d.column) == (3, 19))
    }

    @Test func providersThatAreNotAList() throws {
        let d = try only("inventory.var-type", "all:\n  vars:\n    golden_state_providers: ollama\n  hosts: {h: }\n")
        #expect((d.line, d.column) == (3, 29))
    }

    @Test func groupPriorityThatIsNotANumber() throws {
        let d = try only("inventory.group-priority", "all:\n  children:\n    g:\n      vars: {ansible_group_priority: high}\n")
        #expect((d.line, d.column) == (4, 38))
    }

    @Test func unknownGroupKeyIsAWarning() throws {
        let d = try only("inventory.unknown-key", "all:\n  host:\n    h:\n")
        #expect(d.severity == .warning)
        #expect((d.line, d.column) == (2, 3))
        #expect(d.message.contains("did you mean 'hosts'"))
    }

    @Test func varsFileWithoutExtensionIsYAML() throws {
        let inv = try InventoryFixture.make(
            "all:\n  hosts: {web1.example.org: }\n", files: ["host_vars/web1.example.org": "x: 1\n"])
        #expect(inv.diagnostics.isEmpty, "\(inv.diagnostics)")
        #expect(inv.variables(of: "web1.example.org")?["x"]?.value == .int(1))
    }

    @Test func vaultEncryptedVarsFileSaysSo() throws {
        let d = try only(
            "inventory.vault-encrypted", "all:\n  hosts: {h: }\n",
            files: ["group_vars/all/vault.yml": "$ANSIBLE_VAULT;1.1;AES256\n6162636465\n"])
        #expect(d.file == "inventory/group_vars/all/vault.yml")
        #expect(d.severity == .error)
        #expect(d.message.contains("encrypted with Ansible Vault"))
    }

    @Test func vaultEncryptedInventorySaysSo() throws {
        let d = try only("inventory.vault-encrypted", "$ANSIBLE_VAULT;1.1;AES256\n6162636465\n")
        #expect((d.line, d.column) == (1, 1))
    }

    @Test func orphanVarsFileIsAWarning() throws {
        let d = try only("inventory.unknown-vars-file", "all:\n  hosts: {h: }\n", files: ["host_vars/gone.yml": "x: 1\n"])
        #expect(d.severity == .warning)
    }

    /// Ansible reads host_vars/localhost.yml for its implicit localhost.
    @Test func localhostVarsFileIsNoOrphan() throws {
        let inv = try InventoryFixture.make("all:\n  hosts: {h: }\n", files: ["host_vars/localhost.yml": "x: 1\n"])
        #expect(inv.diagnostics.isEmpty, "\(inv.diagnostics)")
    }

    @Test func hostNameThatBreaksACrontabMarker() throws {
        let d = try only("inventory.host-name", "all:\n  hosts:\n    \"web\\n1\": {}\n    ok1:\n")
        #expect((d.line, d.column) == (3, 5))
        #expect(d.message.contains("line break"))
        #expect(d.severity == .error)
    }

    @Test func hostRangeOverTheLimitIsRefusedUnexpanded() throws {
        let d = try only("inventory.host-limit", "all:\n  hosts:\n    bulk[0:99999999]:\n    after:\n")
        #expect((d.line, d.column) == (3, 5))
        #expect(d.message.contains("100,000,000 hosts"))
    }

    @Test func nestedRangesAreCountedNotExpanded() throws {
        let inv = try InventoryFixture.make("all:\n  hosts:\n    n[0:99][0:99][0:99][0:99][0:99]:\n")
        #expect(inv.diagnostics.map(\.rule) == ["inventory.host-limit"])
        #expect(inv.hostNames.isEmpty)
    }

    /// Listing the same hosts again costs work too: with limits of 100 hosts and 1,000
    /// listings, the 11th listing of one 99-host range is refused, at its own key.
    @Test func relistingARangeCountsTowardTheListingLimit() throws {
        let groups = (0..<11).map { "    g\($0):\n      hosts:\n        r[1:99]:\n" }.joined()
        let root = try #require(parse("all:\n  children:\n" + groups, path: "inventory/hosts.yml").root)
        var parser = InventoryParser(file: "inventory/hosts.yml", limits: InventoryLimits(maxHosts: 100, maxHostEntries: 1000))
        parser.parse(root)
        #expect(parser.diagnostics.map(\.rule) == ["inventory.host-limit"])
        #expect(parser.diagnostics.first?.line == 35)
        #expect(parser.hostOrder.count == 99)
    }

    @Test func newHostsPastTheLimitAreRefusedButRelistingIsNot() throws {
        let root = try #require(
            parse(
                "all:\n  children:\n    a:\n      hosts:\n        r[1:90]:\n    b:\n      hosts:\n        r[1:90]:\n    c:\n      hosts:\n        s[1:20]:\n"
            ).root)
        var parser = InventoryParser(file: "t.yaml", limits: InventoryLimits(maxHosts: 100))
        parser.parse(root)
        #expect(parser.diagnostics.map(\.rule) == ["inventory.host-limit"])
        #expect(parser.diagnostics.first?.line == 11)
        #expect(parser.hostOrder.count == 90)
    }

    @Test func validInventoryHasNoDiagnostics() throws {
        let inv = try InventoryFixture.make(
            "all:\n  children:\n    g:\n      hosts:\n        h[1:3]: {ansible_port: 22, ansible_connection: ssh}\n",
            files: ["group_vars/g.yml": "x: 1\n", "host_vars/h1.yml": "y: 2\n"])
        #expect(inv.diagnostics.isEmpty)
        #expect(inv.hostNames == ["h1", "h2", "h3"])
    }
}

/// `overlay validate` on a repo: the inventory check is registered and the
/// banned-provider rule points at the definition the host really uses.
@Suite struct InventoryCheckTests {
    static let policy = """
        banned_providers:
          - name: anthropic
            patterns: [anthropic, claude]
            reason: closed frontier provider
        """

    @Test func bannedProviderAtTheWinningDefinition() throws {
        let diagnostics = try InventoryFixture.validate([
            "policy/providers.yaml": Self.policy,
            "inventory/hosts.yml": "all:\n  children:\n    wizards:\n      hosts: {ezra: , timmy: }\n",
            "inventory/group_vars/all.yml": "golden_state_providers: [custom, ollama]\n",
            "inventory/host_vars/ezra.yml": "golden_state_providers:\n  - custom\n  - Claude\n",
        ])
        let banned = diagnostics.filter { $0.rule == "policy.banned-provider" && $0.file.hasPrefix("inventory/") }
        #expect(banned.count == 1)
        let d = try #require(banned.first)
        #expect(d.file == "inventory/host_vars/ezra.yml")
        #expect((d.line, d.column) == (3, 5))
        #expect(d.message.contains("'anthropic'"))
        #expect(d.message.contains("'ezra'"))
        #expect(d.message.contains("policy/providers.yaml:2"))
    }

    @Test func overriddenDefinitionIsNotReportedByTheInventoryCheck() throws {
        let diagnostics = try InventoryFixture.validate([
            "policy/providers.yaml": Self.policy,
            "inventory/hosts.yml": "all:\n  vars:\n    golden_state_providers: [anthropic]\n  hosts: {h: }\n",
            "inventory/host_vars/h.yml": "golden_state_providers: [ollama]\n",
        ])
        let fromInventory = diagnostics.filter {
            $0.rule == "policy.banned-provider" && $0.message.hasPrefix("golden_state_providers")
        }
        #expect(fromInventory.isEmpty)
    }

    @Test func inventoryRulesReachValidate() throws {
        let diagnostics = try InventoryFixture.validate([
            "inventory/hosts.yml": "all:\n  children:\n    a:\n      children:\n        a:\n"
        ])
        let cycle = diagnostics.filter { $0.rule == "inventory.cycle" }
        #expect(cycle.map(\.file) == ["inventory/hosts.yml"])
        #expect(cycle.map(\.line) == [5])
    }
}
