import Foundation
import OverlayCore

/// Turns a rendered state or a stored generation into the target files the plan compares with the disk.
enum TargetFiles {
    /// The rendered files, each located in its home and checked by the guard (hashes are left
    /// empty: the plan fills them in, comparing bytes instead where it can).
    static func from(_ rendered: RenderedState, guardrail: PathGuard) throws(ApplyError) -> [TargetFile] {
        var guardrail = guardrail
        var out: [TargetFile] = []
        out.reserveCapacity(rendered.files.count)
        var seen: Set<String> = []
        // Create-only files are not part of a generation: the engine's create-only step places them.
        for f in rendered.files where !f.createOnly && seen.insert(f.dest).inserted {
            let (home, relative) = try guardrail.locate(f.dest)
            out.append(
                TargetFile(
                    dest: f.dest, home: home, relative: relative, sha256: "",
                    mode: effectiveMode(f.mode, secret: f.containsSecret, groupReadable: f.groupReadable), link: f.link,
                    secret: f.containsSecret,
                    content: f.content, contentPath: nil, redactedContent: f.redactedContent))
        }
        return out
    }

    /// A stored generation's files (contents read lazily from its folder).
    static func from(
        _ generation: Generation, state: StateDirectory, guardrail: PathGuard
    ) throws(ApplyError)
        -> [TargetFile]
    {
        var guardrail = guardrail
        var out: [TargetFile] = []
        for f in generation.files {
            _ = try guardrail.locate(f.dest)
            out.append(
                TargetFile(
                    dest: f.dest, home: f.home, relative: f.path, sha256: f.sha256, mode: f.mode, link: f.link,
                    secret: f.secret, content: nil,
                    contentPath: state.generationPath(generation.number) + "/files/" + f.home + "/" + f.path))
        }
        return out
    }

    /// `mode:` or 0644; a file holding a secret never gets other bits, nor group bits unless
    /// its group must read it (`groupReadable`: the managed scope's `.env`, read by the agent).
    static func effectiveMode(_ mode: UInt16?, secret: Bool, groupReadable: Bool = false) -> UInt16 {
        guard secret else { return mode ?? 0o644 }
        return (mode ?? 0o600) & (groupReadable ? 0o740 : 0o700)
    }
}
