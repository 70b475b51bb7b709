import Foundation
import Testing

/// One minimal inventory per kind of difference found on real inventories, run through
/// `overlay inventory` and the real `ansible-inventory`: the whole output must be the
/// same bytes (`_meta.profile`, key order, number spellings), or both must refuse.
@Suite struct InventoryParityClassTests {
    /// An inventory folder: `hosts.yml` plus vars files, written to a temporary folder.
    struct Case {
        let root: URL
        var file: String { root.appendingPathComponent("hosts.yml").path }

        init(_ hosts: String, files: [String: String] = [:]) throws {
            root = try makeTempDir("inventory-parity")
            for (path, text) in files.merging(["hosts.yml": hosts], uniquingKeysWith: { a, _ in a }) {
                let url = root.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
        }

        /// Both tools with the same arguments after `-i FILE`.
        func both(_ args: [String]) throws -> (ansible: OverlayResult, overlay: OverlayResult) {
            let ansible = try AnsibleInventory.runRaw(["-i", file] + args)
            let overlay = try runOverlay(["inventory", "-i", file] + args)
            return (ansible, overlay)
        }

        /// Expects both tools to print the same bytes and succeed; returns overlay's result.
        @discardableResult
        func expectSame(_ args: [String] = ["--list"], sourceLocation: SourceLocation = #_sourceLocation) throws -> OverlayResult {
            let (ansible, overlay) = try both(args)
            #expect(ansible.status == 0, "ansible-inventory refused: \(ansible.stderr)", sourceLocation: sourceLocation)
            #expect(overlay.status == 0, "overlay refused: \(overlay.stderr)", sourceLocation: sourceLocation)
            #expect(overlay.stdout == ansible.stdout, "\(Self.diff(ansible.stdout, overlay.stdout))", sourceLocation: sourceLocation)
            return overlay
        }

        func remove() { try? FileManager.default.removeItem(at: root) }

        /// The first differing line of two outputs, for the failure message.
        static func diff(_ a: String, _ b: String) -> String {
            let (x, y) = (
                a.split(separator: "\n", omittingEmptySubsequences: false), b.split(separator: "\n", omittingEmptySubsequences: false)
            )
            for i in 0..<max(x.count, y.count) where (i < x.count ? x[i] : "<end>") != (i < y.count ? y[i] : "<end>") {
                return "line \(i + 1): ansible `\(i < x.count ? x[i] : "<end>")` vs overlay `\(i < y.count ? y[i] : "<end>")`"
            }
            return "equal"
        }
    }

    @Test func metaProfileIsPrinted() throws {
        let c = try Case("all:\n  hosts:\n    web1: {port: 80}\n")
        defer { c.remove() }
        let out = try c.expectSame()
        #expect(out.stdout.contains("\"profile\": \"inventory_legacy\""))
    }

    @Test func mergeKeysApplyAsInPyYAML() throws {
        let c = try Case(
            """
            all:
              vars:
                base: &base {user: deploy, port: 22}
                extra: &extra {port: 2222, shell: zsh}
              children:
                web:
                  hosts: &webhosts
                    w1:
                      <<: *base
                      port: 8022
                    w2:
                      <<: [*extra, *base]
                    w3: {<<: *base, <<: *extra}
                mirror:
                  hosts:
                    <<: *webhosts
                    m1:
            """)
        defer { c.remove() }
        let out = try c.expectSame()
        #expect(!out.stdout.contains("\"<<\""))
    }

    @Test func yaml11ScalarsAsPyYAMLResolvesThem() throws {
        let c = try Case(
            """
            all:
              hosts:
                h1:
                  mac_string: 18:60:24:24:81:86
                  mac_number: 10:20:30:40:50:59
                  base60: 1:30:45
                  base60_float: 20:30.15
                  leading_zero: 0:30
                  inf: .inf
                  ninf: -.Inf
                  nan: .NaN
                  big: 123456789012345678901234567890
                  nbig: -0x1FFFFFFFFFFFFFFFFFFFF
                  date: 2002-12-14
                  stamp: 2001-12-14 21:59:43.10 -5
                  stamp_utc: 2001-12-15T02:59:43.1Z
                  stamp_naive: 2001-1-4 1:59:43
                  floats: [1e3, 1.0e3, 1.5e+3, .5, -.5, -0.0, 0.00001, 1e16, 1.0e+16, 12345678901234567.0]
                  ints: [0o14, 012345, 09, +685_230, 0b1010_0111, 0x_1A, 1__0]
            """)
        defer { c.remove() }
        try c.expectSame()
        try c.expectSame(["--host", "h1"])
    }

    @Test func extensionlessVarsFilesAndAnsiblesSkipRules() throws {
        let c = try Case(
            "all:\n  children:\n    web:\n      hosts:\n        web1.example.org:\n        web2.example.org:\n",
            files: [
                "host_vars/web1.example.org": "a: from-extensionless\n",
                "host_vars/web1.example.org.yml": "a: shadowed\n",
                "host_vars/web2.example.org.retry": "a: never\n",
                "group_vars/web/main.yml": "b: 1\n",
                "group_vars/web/extra": "c: 2\n",
                "group_vars/web/notes.md": "d: 3\n",
                "group_vars/web/old.yml~": "e: 4\n",
                "group_vars/web/.hidden.yml": "f: 5\n",
                "group_vars/web/sub.d/x.yml": "g: 6\n",
            ])
        defer { c.remove() }
        let out = try c.expectSame()
        #expect(out.stdout.contains("from-extensionless"))
        #expect(out.stderr.contains("inventory.shadowed-vars-file"))
    }

    @Test func vaultValuesPrintAsAnsibleDoesAndAreNeverDecrypted() throws {
        let c = try Case(
            "all:\n  hosts:\n    db1:\n      password: !vault |\n        $ANSIBLE_VAULT;1.1;AES256\n        62313365396662343061393464336163\n",
            files: ["group_vars/all.yml": "token: !vault \"$ANSIBLE_VAULT;1.2;AES256;prod\\n3132\\n\"\n"])
        defer { c.remove() }
        let out = try c.expectSame()
        #expect(out.stdout.contains("\"__ansible_vault\""))
        try c.expectSame(["--host", "db1"])
    }

    @Test func vaultEncryptedFileIsRefusedByBothWithAMessageThatSaysSo() throws {
        let c = try Case(
            "all:\n  hosts:\n    db1:\n",
            files: ["group_vars/all/vault.yml": "$ANSIBLE_VAULT;1.1;AES256\n62313365396662343061393464336163\n"])
        defer { c.remove() }
        let (ansible, overlay) = try c.both(["--list"])
        #expect(ansible.status != 0)
        #expect(overlay.status == 1)
        #expect(overlay.stdout.isEmpty)
        #expect(overlay.stderr.contains("group_vars/all/vault.yml:1:1: error: this vars file is encrypted with Ansible Vault"))
    }

    @Test func orphanVarsFilesWarnAndLocalhostIsNoOrphan() throws {
        let c = try Case(
            "all:\n  hosts:\n    web1:\n",
            files: ["host_vars/web2.yml": "x: 1\n", "group_vars/dbs.yml": "y: 2\n", "host_vars/localhost.yml": "z: 3\n"])
        defer { c.remove() }
        let out = try c.expectSame()
        #expect(out.stderr.contains("host_vars/web2.yml:1:1: warning: the inventory has no host 'web2'"))
        #expect(out.stderr.contains("group_vars/dbs.yml:1:1: warning:"))
        #expect(!out.stderr.contains("localhost.yml"))
    }

    @Test func anyConnectionIsInventoryData() throws {
        let c = try Case(
            """
            all:
              children:
                switches:
                  hosts: {sw1: {ansible_connection: ansible.netcommon.network_cli, ansible_network_os: cisco.ios.ios}}
                api: {hosts: {fw1: {ansible_connection: httpapi}}}
                windows: {hosts: {win1: {ansible_connection: winrm, ansible_port: 5986}}}
                containers: {hosts: {c1: {ansible_connection: docker}}}
            """)
        defer { c.remove() }
        let out = try c.expectSame()
        #expect(out.stderr.isEmpty, "\(out.stderr)")
    }

    @Test func implicitLocalhostAnswersAsAnsibleDoes() throws {
        let c = try Case(
            "all:\n  vars: {inline_all: 1, ansible_connection: ssh}\n  hosts:\n    web1:\n",
            files: [
                "host_vars/localhost.yml": "own: 2\n", "group_vars/all.yml": "from_all: 3\nansible_python_interpreter: /nope\n",
                "group_vars/ungrouped.yml": "not_for_localhost: 4\n",
            ])
        defer { c.remove() }
        for host in ["localhost", "127.0.0.1", "::1"] { try c.expectSame(["--host", host]) }
        try c.expectSame(["--list"])
    }

    @Test func unsafeStringsAsTheListingProfilePrintsThem() throws {
        let c = try Case(
            "all:\n  vars:\n    tpl: !unsafe '{{ not_templated }}'\n  hosts:\n    h1:\n      nested: !unsafe {a: x, b: [y, 1, {c: z}], n: 2}\n      quoted_number: !unsafe '12'\n"
        )
        defer { c.remove() }
        let out = try c.expectSame()
        #expect(out.stdout.contains("__ansible_unsafe"))
        try c.expectSame(["--host", "h1"])
    }

    /// Duplicate keys: Ansible warns and keeps the last, so `inventory` does too; `validate` is stricter.
    @Test func duplicateKeysWarnInInventory() throws {
        let c = try Case("all:\n  hosts:\n    h1:\n      a: 1\n      a: 2\n")
        defer { c.remove() }
        let out = try c.expectSame()
        #expect(out.stderr.contains("warning: duplicate key 'a'"))
    }

    @Test func unreadableTagIsRefusedByBoth() throws {
        for value in ["!custom thing", "2001-02-30", "!vault 12", "[1, !!binary aGk=]"] {
            let c = try Case("all:\n  hosts:\n    h1:\n      v: \(value)\n")
            defer { c.remove() }
            let (ansible, overlay) = try c.both(["--list"])
            #expect(ansible.status != 0, "\(value)")
            #expect(overlay.status == 1, "\(value): \(overlay.stdout)")
        }
    }
}
