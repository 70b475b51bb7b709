import Testing

@testable import OverlayCore

@Suite struct InventoryPrecedenceTests {
    func value(_ inv: Inventory, _ host: String, _ name: String) -> Value? {
        inv.vars(for: host)[name]
    }

    @Test func deeperGroupWins() throws {
        let inv = try InventoryFixture.make(
            """
            all:
              vars: {x: all}
              children:
                outer:
                  vars: {x: outer}
                  children:
                    inner:
                      vars: {x: inner}
                      hosts: {h: }
            """)
        #expect(value(inv, "h", "x") == .string("inner"))
    }

    @Test func sameDepthHigherPriorityWins() throws {
        let inv = try InventoryFixture.make(
            """
            all:
              children:
                a:
                  vars: {x: a, ansible_group_priority: 10}
                  hosts: {h: }
                b:
                  vars: {x: b}
                  hosts: {h: }
            """)
        #expect(value(inv, "h", "x") == .string("a"))
    }

    @Test func sameDepthAndPriorityLaterNameWins() throws {
        let inv = try InventoryFixture.make(
            """
            all:
              children:
                zeta:
                  vars: {x: zeta}
                  hosts: {h: }
                alpha:
                  vars: {x: alpha}
                  hosts: {h: }
            """)
        #expect(value(inv, "h", "x") == .string("zeta"))
    }

    @Test func groupVarsFileBeatsDeeperInlineGroupVar() throws {
        let inv = try InventoryFixture.make(
            """
            all:
              children:
                outer:
                  children:
                    inner:
                      vars: {x: inner-inline}
                      hosts: {h: }
            """, files: ["group_vars/outer.yml": "x: outer-file\n"])
        #expect(value(inv, "h", "x") == .string("outer-file"))
    }

    @Test func groupVarsAllLosesToOtherGroupFiles() throws {
        let inv = try InventoryFixture.make(
            "all:\n  children:\n    g:\n      hosts: {h: }\n",
            files: ["group_vars/all.yml": "x: all\ny: all\n", "group_vars/g.yaml": "x: g\n"])
        #expect(value(inv, "h", "x") == .string("g"))
        #expect(value(inv, "h", "y") == .string("all"))
    }

    @Test func hostVarsFileBeatsInlineHostVarWhichBeatsGroupFiles() throws {
        let inv = try InventoryFixture.make(
            "all:\n  hosts:\n    h: {x: inline, y: inline}\n",
            files: ["group_vars/all.yml": "x: group\ny: group\n", "host_vars/h.json": "{\"x\": \"file\"}"])
        #expect(value(inv, "h", "x") == .string("file"))
        #expect(value(inv, "h", "y") == .string("inline"))
    }

    @Test func wholeValuesReplacedNotMerged() throws {
        let inv = try InventoryFixture.make(
            "all:\n  vars:\n    m: {a: 1, b: 2}\n  hosts:\n    h: {m: {a: 9}}\n")
        #expect(value(inv, "h", "m") == .object([("a", .int(9))]))
    }

    @Test func folderFilesReadInSortedOrder() throws {
        let inv = try InventoryFixture.make(
            "all:\n  hosts: {h: }\n",
            files: [
                "group_vars/all/b.yml": "x: b\n", "group_vars/all/a.yml": "x: a\ny: a\n",
                "group_vars/all/a/z.yml": "y: a-folder\n",
            ])
        #expect(value(inv, "h", "x") == .string("b"))
        // Ansible sorts per folder: `a` (the folder) comes before `a.yml`.
        #expect(value(inv, "h", "y") == .string("a"))
    }

    @Test func ymlShadowsYamlOfSameName() throws {
        let inv = try InventoryFixture.make(
            "all:\n  hosts: {h: }\n", files: ["group_vars/all.yml": "x: yml\n", "group_vars/all.yaml": "x: yaml\nz: 1\n"])
        #expect(value(inv, "h", "x") == .string("yml"))
        #expect(value(inv, "h", "z") == nil)
        let shadow = inv.diagnostics.filter { $0.rule == "inventory.shadowed-vars-file" }
        #expect(shadow.map(\.file) == ["inventory/group_vars/all.yaml"])
    }

    @Test func groupPriorityIsNotAHostVariable() throws {
        let inv = try InventoryFixture.make("all:\n  children:\n    g:\n      vars: {ansible_group_priority: 4}\n      hosts: {h: }\n")
        #expect(value(inv, "h", "ansible_group_priority") == nil)
        #expect(inv.group(named: "g")?.priority == 4)
    }

    @Test func magicVariables() throws {
        let inv = try InventoryFixture.make(
            """
            all:
              hosts:
                lone.example.com:
              children:
                web:
                  children:
                    edge:
                      hosts: {e1: }
            """)
        #expect(value(inv, "e1", "inventory_hostname") == .string("e1"))
        #expect(value(inv, "e1", "group_names")?.strings == ["edge", "web"])
        #expect(value(inv, "e1", "groups")?["web"]?.strings == ["e1"])
        #expect(value(inv, "lone.example.com", "group_names")?.strings == ["ungrouped"])
        #expect(value(inv, "lone.example.com", "inventory_hostname_short") == .string("lone"))
    }

    @Test func connectionFromVariables() throws {
        let inv = try InventoryFixture.make(
            """
            all:
              vars: {ansible_ssh_private_key_file: ~/.ssh/k}
              hosts:
                here: {ansible_connection: local, overlay_home: /srv/here}
                there: {ansible_host: 10.0.0.2, ansible_port: 2222, ansible_user: ops}
            """)
        #expect(try inv.connection(for: "here") == .local)
        #expect(inv.overlayHome(for: "here") == "/srv/here")
        guard case .ssh(let target) = try inv.connection(for: "there") else {
            Issue.record("'there' has no ansible_connection: Ansible's default is ssh")
            return
        }
        #expect(target.address == "10.0.0.2" && target.port == 2222 && target.user == "ops" && target.keyFile == "~/.ssh/k")
        #expect(target.shown == "ops@10.0.0.2:2222")
    }
}
