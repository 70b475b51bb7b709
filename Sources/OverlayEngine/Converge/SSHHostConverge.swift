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
    var environment: EngineEnvironment
    var settings: ConvergeSettings

    func run() -> HostOutcome {
        let place: (home: String, stateDir: String)
        switch locate() {
        case .success(let found): place = found
        case .failure(let failed): return failed.outcome
        }
        var renderEnvironment = RenderEnvironment.local(hostVars: vars, processEnvironment: environment.variables)
        renderEnvironment.home = place.home
        // The remote state dir, as the remote apply will use it: a dest or home on it is
        // refused here, before anything is sent (the remote apply refuses it too).
        let stateDir = place.stateDir
        renderEnvironment.stateDir = stateDir
        let state: RenderedState
        do { state = try renderer.render(host: host, environment: renderEnvironment) } catch {
            return .failed(host, "render failed:\n" + error.diagnostics.map(\.description).joined(separator: "\n"))
        }
        // Two inventory hosts on one machine and one state dir would undo each other's
        // generations, whatever user or spelling of the home reached them: once a host has
        // rendered, just before it is sent, its resolved state dir is claimed on the address,
        // port and ssh options (a ProxyCommand) that reach the machine; the second host fails.
        // (A machine's id would also catch two addresses of one machine, but cloned images
        // share theirs: machines would be refused that are not one.)
        if let owner = settings.remoteStateDirs.claim(machine: Self.machine(target), stateDir: HomePath.normalize(stateDir) ?? stateDir, host: host) {
            return .failed(
                host,
                "host '\(owner)' applies into the same state dir \(stateDir) on the same machine as this one (\(target.shown)); they would undo each other's generations — give each its own overlay_state_dir or overlay_home"
            )
        }
        let bundle = RenderedBundle.encode(state, commit: settings.describeCommit())
        let apply = ssh(remoteCommand(stateDir: stateDir), input: bundle, timeout: settings.options.hostTimeout, diskLimit: Self.diskLimit)
        guard var result = apply.result else { return apply.failure ?? .failed(host, "ssh gave no result") }
        result.output = RemoteApplyResult.afterStartMarker(result.output)
        if result.outputTruncated { return recordedOutcome(stateDir: stateDir, result: result) }
        return RemoteApplyResult(host: host, target: target, result: result).outcome
    }

    /// How much output of the remote apply this machine keeps (its `--diff` may be large).
    static let diskLimit = 64 << 20

    /// A result too large to read back (a `--diff` over 8 MiB): the host's converge record,
    /// which its apply wrote with this run's time, tells how it ended; the diffs are not shown.
    private func recordedOutcome(stateDir: String, result: ChildResult) -> HostOutcome {
        let tooLarge = "its result with --diff is over the \(ChildProcess.defaultOutputLimit >> 20) MiB overlay reads back, so the diffs are not shown"
        let read = ssh("cat -- " + ShellWords.quoted(stateDir + "/last-converge.json"), input: nil, timeout: Self.contactTimeout)
        guard let output = read.result?.output, read.result?.status == 0,
            let record = try? JSONDecoder().decode(ConvergeRecord.self, from: output), record.time == settings.startedAt,
            record.status != "failed"
        else {
            return .failed(host, "overlay on \(target.shown): \(tooLarge), and its outcome could not be read back; run overlay status there")
        }
        var outcome = HostOutcome(host: host, status: record.status == "changed" ? .changed : .ok, generation: record.generation)
        outcome.error = tooLarge
        return outcome
    }

    /// A host's failure as an error value (`Result` needs one).
    struct Failed: Error { var outcome: HostOutcome }

    /// The host's home and state dir there. `~` in overlay_home, and the default home, are
    /// the remote user's $HOME; `~` in overlay_state_dir is the host's home (overlay_home),
    /// as for a local host. The probe is also the reachability check, under a short limit: a
    /// host that accepts the connection and then stalls (a banner and nothing more) is
    /// unreachable, not a failure found half an hour later. Its connection is the one the
    /// apply reuses.
    func locate() -> Result<(home: String, stateDir: String), Failed> {
        let declaredHome = vars["overlay_home"]?.stringValue
        let probe = probeHome()
        guard let probedHome = probe.home else { return .failure(Failed(outcome: probe.failure ?? .failed(host, "cannot tell the home"))) }
        let remoteHome: String? = declaredHome.map(needsHome) ?? true ? probedHome : nil
        guard let home = expand(declaredHome, home: remoteHome) ?? remoteHome else {
            return .failure(Failed(outcome: .failed(host, "cannot tell the home of \(target.shown); set overlay_home")))
        }
        return .success((home, Self.stateDir(vars: vars, home: home)))
    }

    /// The machine a target reaches, as far as this controller can tell: its address, port
    /// and ssh options (a ProxyCommand makes the same address another machine).
    static func machine(_ target: SSHTarget) -> String {
        ([target.address, target.port.map(String.init) ?? "22"] + target.extraArguments).joined(separator: "\u{0}")
    }

    /// The state dir on the host: `overlay_state_dir` (`~` is the host's home), else
    /// `~/.local/state/overlay` under its home — always passed, so two wizards with their own
    /// homes on one machine never share the remote default.
    static func stateDir(vars: Value, home: String) -> String {
        guard let declared = vars["overlay_state_dir"]?.stringValue else { return home + "/.local/state/overlay" }
        return HomePath.expandTilde(declared, home: home, relativeTo: home)
    }

    /// How long the first contact may take: ssh's own ConnectTimeout (15 s) covers the TCP
    /// connect, this also covers a peer that stalls in the handshake.
    static let contactTimeout: Duration = .seconds(25)

    /// The remote user's $HOME, from a marked line (a chatty login script cannot fake it).
    private func probeHome() -> (home: String?, failure: HostOutcome?) {
        let command = #"printf 'OVERLAY_HOME=%s\n' "$HOME""#
        var probe = ssh(command, input: nil, timeout: Self.contactTimeout, firstContact: true)
        // A busy sshd drops handshakes past its MaxStartups (many wizards on one machine,
        // high --forks): a reset before any session is tried again, twice, after a pause.
        for pause in [0.5, 1.5] where Self.isDroppedHandshake(probe.failure) {
            Thread.sleep(forTimeInterval: pause + Double.random(in: 0..<0.5))
            probe = ssh(command, input: nil, timeout: Self.contactTimeout, firstContact: true)
        }
        if let failure = probe.failure { return (nil, failure) }
        let lines = String(decoding: probe.result?.output ?? Data(), as: UTF8.self).split(whereSeparator: \.isNewline)
        guard probe.result?.status == 0, let line = lines.last(where: { $0.hasPrefix("OVERLAY_HOME=") }),
            case let home = String(line.dropFirst("OVERLAY_HOME=".count)), home.hasPrefix("/"), home != "/"
        else {
            return (nil, .failed(host, "cannot tell the home of \(target.shown) (its $HOME is not an absolute path); set overlay_home"))
        }
        return (home, nil)
    }

    /// True for an unreachable host whose sshd closed the connection before the handshake
    /// (what sshd does past MaxStartups), as opposed to a refused or timed-out connection.
    static func isDroppedHandshake(_ failure: HostOutcome?) -> Bool {
        guard let failure, failure.status == .unreachable, let error = failure.error else { return false }
        return error.contains("kex_exchange_identification") || error.contains("Connection reset by peer")
            || error.contains("Connection closed by remote host")
    }

    /// `overlay apply --bundle - --format json` on the host, with its state dir and crontab.
    func remoteCommand(stateDir: String) -> String {
        var words = ["\(ConvergeRecord.environmentVariable)=" + ShellWords.quoted(settings.startedAt)]
        words.append("OVERLAY_STATE_DIR=" + ShellWords.quoted(stateDir))
        if let crontab = vars["overlay_crontab"]?.stringValue { words.append("OVERLAY_CRONTAB=" + ShellWords.quoted(crontab)) }
        // `~/bin/overlay` means the remote home: `~` would not expand inside quotes.
        let command = target.overlayCommand
        let program =
            command.hasPrefix("~/") ? #""$HOME"/"# + ShellWords.quoted(String(command.dropFirst(2))) : ShellWords.quoted(command)
        // What a login script prints on stdout comes before this line; the result after it.
        let start = #"printf '\n\#(RemoteApplyResult.startMarker)\n'; "#
        words += [program, "apply", "--bundle", "-", "--format", "json", "--lock-timeout", String(settings.lockTimeout)]
        if settings.check { words.append("--dry-run") }
        if settings.diff { words.append("--diff") }
        // The shell reports how overlay ended — a signal shows as 128+N — on a marked line:
        // without it, a remote overlay killed by a signal looks like ssh's own failure (255).
        return start + words.joined(separator: " ") + #"; s=$?; printf '\n\#(Self.exitMarker)%s\n' "$s" >&2; exit "$s""#
    }

    /// The marked stderr line with the remote overlay's exit status.
    static let exitMarker = "OVERLAY_REMOTE_EXIT="

    /// Runs `command` on the host; an SSH-level failure (exit 255) is the host being unreachable.
    /// A `firstContact` that times out is the host being unreachable too.
    private func ssh(
        _ command: String, input: Data?, timeout: Duration, firstContact: Bool = false, diskLimit: Int? = nil
    ) -> (result: ChildResult?, failure: HostOutcome?) {
        let socket = SSHMasters.socket(for: host, in: settings.controlDir)
        var child = ChildProcess(
            "/usr/bin/ssh", target.arguments(controlPath: socket, command: command), environment: environment.variables,
            input: input)
        child.timeout = timeout
        child.diskLimit = diskLimit
        child.cancellation = settings.options.interrupt?.sshCancellation
        do {
            let r = try child.run()
            if r.cancelled {
                let signal = settings.options.interrupt?.requested ?? "an interrupt"
                return (
                    nil,
                    HostOutcome(
                        host: host, status: .interrupted,
                        error:
                            "interrupted (\(signal)): ssh \(target.shown) was stopped after the grace period; the apply there is atomic, so the host shows its old or its new generation (overlay status on it tells which)"
                    )
                )
            }
            if r.overflowed, let diskLimit {
                let why =
                    "wrote more than \(diskLimit >> 20) MiB of output; ssh was stopped (the apply there is atomic: the host shows its old or its new generation)"
                return (nil, .failed(host, "overlay on \(target.shown) \(why)"))
            }
            let said = String(decoding: r.errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if r.timedOut && firstContact {
                let why =
                    "no SSH session within \(timeout.components.seconds) s (the host accepted the connection but did not complete the handshake)"
                return (nil, HostOutcome(host: host, status: .unreachable, error: "ssh \(target.shown): \(why)"))
            }
            if r.timedOut { return (nil, .failed(host, "ssh \(target.shown): no answer within \(timeout.components.seconds) s")) }
            if r.status == 255 && !String(decoding: r.errors, as: UTF8.self).contains(Self.exitMarker) {
                let why = said.isEmpty ? "ssh exited 255" : said
                return (nil, HostOutcome(host: host, status: .unreachable, error: "ssh \(target.shown): \(why)"))
            }
            return (r, nil)
        } catch {
            if case .cannotStart = error { return (nil, .failed(host, "cannot run ssh: \(error) (install openssh-client)")) }
            return (nil, .failed(host, "cannot run ssh: \(error) (check that TMPDIR names a folder this user can write)"))
        }
    }

    private func needsHome(_ path: String) -> Bool { !path.hasPrefix("/") }

    private func expand(_ path: String?, home: String?) -> String? {
        guard let path, let home else { return path }
        return HomePath.expandTilde(path, home: home, relativeTo: home)
    }
}

extension SSHTarget {
    /// The `ssh` arguments that run `command` (one shell string) on the host: no prompts
    /// (BatchMode), and one reused connection per inventory host for the run (`controlPath`:
    /// ssh's own `%C` names only the address, port and user, so two hosts behind two
    /// different ProxyCommands would share one connection — and one machine).
    /// `control` is a control request (`-O exit`) instead of a command.
    func arguments(controlPath: String, command: String? = nil, control: String? = nil) -> [String] {
        var args = [
            "-o", "BatchMode=yes", "-o", "ConnectTimeout=15", "-o", "ControlMaster=auto",
            "-o", "ControlPath=\(controlPath)", "-o", "ControlPersist=60",
            // A peer that vanishes mid-apply is noticed in about a minute, not at the time limit.
            "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4",
        ]
        if let port { args += ["-p", String(port)] }
        if let user { args += ["-l", user] }
        if let keyFile { args += ["-i", keyFile, "-o", "IdentitiesOnly=yes"] }
        if let control { args += ["-O", control] }
        return args + extraArguments + ["--", address] + (command.map { [$0] } ?? [])
    }
}
