import Foundation

/// Reports problems in `policy/providers.yaml` itself, and its absence.
public struct PolicyFileCheck: RepoCheck {
    public init() {}
    public func check(_ context: ValidationContext) -> [Diagnostic] {
        guard let doc = context.repo[ProviderPolicy.path] else {
            // The default policy bans nothing: a deleted file must not pass as a clean repo.
            guard context.repo.files.isMissing(ProviderPolicy.path) else { return [] }
            return [
                Diagnostic(
                    file: ProviderPolicy.path, at: .start, rule: "policy.missing",
                    "\(ProviderPolicy.path) is missing: it lists the banned providers, allowed remote hosts, known TTS/STT engines and the text-scan scope, so nothing is banned without it; restore it (git checkout -- \(ProviderPolicy.path)) or write one with banned_providers, allowed_remote_hosts, known_tts_providers, known_stt_providers and scan"
                )
            ]
        }
        guard doc.root != nil else { return [] }
        return ProviderPolicy(document: doc).diagnostics
    }
}
