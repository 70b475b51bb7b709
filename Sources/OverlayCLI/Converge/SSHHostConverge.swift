import Foundation
import OverlayCore
import OverlayRuntime

/// Converges a host over SSH: the golden state is rendered here (secrets from this
/// machine's secrets folder) and streamed as a bundle to `overlay apply --bundle -` there.
struct SSHHostConverge {
    var host: String
    var vars: Value
    var target: SSHTarget
    var renderer: GoldenStateRenderer
    var environment: [String: String]
    var settings: ConvergeSettings

    func run() -> HostOutcome {
        // `~` in overlay_home / overlay_state_dir, and the default home, are the remote user's.
        let declaredHome = vars["overlay_home"]?.stringValue
        let declaredState = vars["overlay_state_dir"]?.stringValue
        var remoteHome: String?
        if declaredHome.map(needsHome) ?? true || declaredState.map(needsHome) ?? false {
            let probe = ssh(#"printf '%s\n' "$HOME""#, input: nil, timeout: .seconds(60))
            if let failure = probe.failure { return failure }
            remoteHome = String(decoding: probe.result?.output ?? Data(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var renderEnvironment = RenderEnvironment.local(hostVars: vars, processEnvironment: environment)
        renderEnvironment.home = expand(declaredHome, home: remoteHome) ?? remoteHome ?? renderEnvironment.home
        let state: RenderedState
        do { state = try renderer.render(host: host, environment: renderEnvironment) } catch {
            return .failed(host, "render failed:\n" + error.diagnostics.map(\.description).joined(separator: "\n"))
        }
        let bundle = RenderedBundle.encode(state, commit: settings.describeCommit())
        let apply = ssh(remoteCommand(stateDir: expand(declaredState, home: remoteHome)), input: bundle, timeout: settings.sshTimeout)
        guard let result = apply.result else { return apply.failure ?? .failed(host, "ssh gave no result") }
        return RemoteApplyResult(host: host, target: target, result: result).outcome
    }

    /// `overlay apply --bundle - --format json` on the host, with its state dir and crontab.
    func remoteCommand(stateDir: String?) -> String {
        var words = ["\(ConvergeRecord.environmentVariable)=" + shellQuoted(settings.startedAt)]
        if let stateDir { words.append("OVERLAY_STATE_DIR=" + shellQuoted(stateDir)) }
        if let crontab = vars["overlay_crontab"]?.stringValue { words.append("OVERLAY_CRONTAB=" + shellQuoted(crontab)) }
        words += [shellQuoted(target.overlayCommand), "apply", "--bundle", "-", "--format", "json"]
        if settings.check { words.append("--dry-run") }
        if settings.diff { words.append("--diff") }
        return words.joined(separator: " ")
    }

    /// Runs `command` on the host; an SSH-level failure (exit 255) is the host being unreachable.
    private func ssh(_ command: String, input: Data?, timeout: Duration) -> (result: ChildResult?, failure: HostOutcome?) {
        var child = ChildProcess(
            "/usr/bin/ssh", target.arguments(controlDir: settings.controlDir, command: command), environment: environment,
            input: input)
        child.timeout = timeout
        do {
            let r = try child.run()
            let said = String(decoding: r.errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if r.timedOut { return (nil, .failed(host, "ssh \(target.shown): no answer within \(timeout.components.seconds) s")) }
            if r.status == 255 {
                let why = said.isEmpty ? "ssh exited 255" : said
                return (nil, HostOutcome(host: host, status: .unreachable, error: "ssh \(target.shown): \(why)"))
            }
            return (r, nil)
        } catch {
            return (nil, .failed(host, "cannot run ssh: \(error) (install openssh-client)"))
        }
    }

    private func needsHome(_ path: String) -> Bool { path == "~" || path.hasPrefix("~/") || !path.hasPrefix("/") }

    private func expand(_ path: String?, home: String?) -> String? {
        guard let path, let home else { return path }
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        return path.hasPrefix("/") ? path : home + "/" + path
    }
}
