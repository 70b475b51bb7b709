import Foundation

/// Checks the keys of the harness config against the harness's own key set
/// (`HarnessKeyCatalog`) and the names the schema lists, as the harness would read them:
///
/// - a key neither knows that is a near miss of a known key is an error with "did you mean"
///   (`schema.unknown-key`): the harness would silently ignore the setting;
/// - any other unknown key is a warning (`schema.unknown-key`): the harness ignores it too, but
///   a plugin or a newer release may read it, so only `--strict` fails on it;
/// - a key that a migration removed at or before the file's `_config_version` is a warning
///   naming that version (`schema.removed-key`).
///
/// Mappings whose keys are names the user chooses (providers by name, MCP servers, …) are
/// not checked, nor is anything below a key the check does not know.
struct HarnessKeyCheck {
    let catalog: HarnessKeyCatalog
    let schema: CompiledSchema
    let file: String

    /// The config version the file declares, or nil when it has none.
    static func declaredVersion(_ root: Node) -> Int? {
        switch root.pairs?.last(where: { $0.key.scalarText == "_config_version" })?.value.value {
        case .int(let v)?: return v
        case .double(let d)? where d == d.rounded() && abs(d) < 1e9: return Int(d)
        case .string(let s)?: return Int(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// Every finding for the config rooted at `root`.
    func check(_ root: Node) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let walk = HarnessKeyWalk(check: self, version: HarnessKeyCheck.declaredVersion(root))
        walk.visit(root, path: "", shown: "", schemas: [schema.root], depth: 0, into: &out)
        return out
    }
}
