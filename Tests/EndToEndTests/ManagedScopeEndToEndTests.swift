import Foundation
import Testing

/// The harness's managed scope needs root: an apply (or rollback) that cannot write it stops
/// before switching, with the old generation live. Run as `nobody` (through setpriv) when the
/// tests run as root, as CI does; as the test user otherwise.
@Suite struct ManagedScopeEndToEndTests {
    /// A sandbox the unprivileged user owns.
    struct Box {
        let box: ApplySandbox
        var env: [String: String] {
            var env = box.env
            env["OVERLAY_SECRETS_DIR"] = box.root.path + "/secrets"
            env["HERMES_MANAGED_DIR"] = nil
            return env
        }

        init() throws {
            box = try ApplySandbox()
            _ = try box.envWithSecret()
            if geteuid() == 0 { try Self.chownTree(box.root.path) }
        }

        static func chownTree(_ path: String) throws {
            let r = try runProcess("/bin/chown", ["-R", "nobody:nogroup", path])
            #expect(r.status == 0, "\(r.stderr)")
        }

        /// `overlay ARGS` as the unprivileged user.
        func overlay(_ args: [String], _ extra: [String: String] = [:]) throws -> OverlayResult {
            var env = self.env
            for (k, v) in extra { env[k] = v }
            env["OVERLAY_HOSTNAME"] = "overlay-test-machine"
            guard geteuid() == 0 else { return try runOverlay(args, env: env) }
            return try runProcess(
                "/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", PackagePaths.binary.path] + args, env: env
            )
        }

        var current: String? { try? FileManager.default.destinationOfSymbolicLink(atPath: box.state + "/current") }
    }

    static let apply = ["apply", "--root", PackagePaths.root.path, "--host", "timmy"]

    @Test func aNonRootApplyToEtcHermesFailsBeforeSwitchingWithTheOldGenerationLive() throws {
        let b = try Box()
        defer { b.box.cleanup() }
        let ownScope = b.box.root.path + "/managed"
        let first = try b.overlay(Self.apply, ["HERMES_MANAGED_DIR": ownScope])
        #expect(first.status == 0, "a folder this user owns is fine: \(first.stdout)\(first.stderr)")
        #expect(b.current == "generations/1")
        let config = try #require(b.box.read("config.yaml"))
        let etcExisted = FileManager.default.fileExists(atPath: "/etc/hermes")

        let refused = try b.overlay(Self.apply + ["--format", "json"])
        #expect(refused.status == 1)
        let error = refused.json["error"] as? String ?? ""
        #expect(error.contains("managed scope /etc/hermes cannot be written by"), "\(refused.stdout)\(refused.stderr)")
        #expect(
            error.contains("Run the apply as root") && error.contains("managed_dir") && error.contains("nothing was changed"), "\(error)")
        #expect(refused.json["switched"] as? Bool == false && refused.json["generation"] as? Int == 1)
        #expect(b.current == "generations/1" && b.box.read("config.yaml") == config, "the old generation stays live")
        #expect(FileManager.default.fileExists(atPath: "/etc/hermes") == etcExisted, "nothing was created under /etc")

        // A dry run says what a real apply would meet, and changes nothing either.
        let dry = try b.overlay(Self.apply + ["--dry-run"])
        #expect(dry.status == 0 && dry.stderr.contains("a real apply would fail: the harness's managed scope /etc/hermes"), "\(dry.stderr)")
    }

    @Test func aNonRootRollbackThatWouldSwitchTheManagedScopeBackIsRefused() throws {
        let b = try Box()
        defer { b.box.cleanup() }
        let scope = b.box.root.path + "/root-scope"
        var env = b.env
        env["HERMES_MANAGED_DIR"] = scope
        // Two generations whose managed scope this user cannot write afterwards.
        #expect(try runOverlay(Self.apply, env: env).status == 0)
        env["OVERLAY_SECRET_MODEL_API_KEY"] = "another-key"
        #expect(try runOverlay(Self.apply, env: env).status == 0)
        #expect(b.current == "generations/2")
        if geteuid() == 0 {
            try Box.chownTree(b.box.root.path)
            #expect(chown(scope, 0, 0) == 0 && chmod(scope, 0o755) == 0)
        } else {
            #expect(chmod(scope, 0o555) == 0)
        }
        defer { chmod(scope, 0o755) }
        let env2 = try String(contentsOfFile: scope + "/.env", encoding: .utf8)

        let refused = try b.overlay(["rollback"])
        #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("managed scope \(scope) cannot be written"), "\(refused.stderr)")
        #expect(b.current == "generations/2" && (try? String(contentsOfFile: scope + "/.env", encoding: .utf8)) == env2)
    }
}
