/// Dotted config keys as the harness's managed scope reads them: a leaf is a scalar, a list or
/// an empty mapping (its `_flatten_keys`), and a managed leaf wins over the user's.
enum ManagedKeys {
    /// The keys the fleet's provider policy checks, pinned by default when the host's
    /// `config.yaml` sets them: the model, its fallbacks, delegation, the auxiliary tasks'
    /// providers and the speech engines.
    static func policyKeys(in user: Value?) -> [[String]] {
        var out: [[String]] = []
        if case .string? = user?["model"] {
            out.append(["model"])  // the bare `model: name` form
        } else {
            out += ["provider", "default", "model", "base_url"].map { ["model", $0] }
        }
        out += [["fallback_providers"], ["fallback_model"]]
        out += ["provider", "model", "base_url", "fallback_providers"].map { ["delegation", $0] }
        if case .object(let tasks)? = user?["auxiliary"] {
            for (task, value) in tasks {
                guard case .object = value else { continue }
                out += ["provider", "model", "base_url"].map { ["auxiliary", task, $0] }
            }
        }
        out += [["tts", "provider"], ["stt", "provider"]]
        return out
    }

    /// The value at `path`, nil when absent.
    static func lookup(_ path: [String], in value: Value?) -> Value? {
        var current = value
        for key in path {
            guard case .object(let pairs)? = current, let next = pairs.last(where: { $0.0 == key }) else { return nil }
            current = next.1
        }
        return current
    }

    /// `tree` with `value` set at `path` (mappings made on the way, order kept).
    static func setting(_ value: Value, at path: ArraySlice<String>, in tree: Value) -> Value {
        guard let key = path.first else { return value }
        var pairs: [(String, Value)] = []
        if case .object(let existing) = tree { pairs = existing }
        if let i = pairs.lastIndex(where: { $0.0 == key }) {
            pairs[i].1 = setting(value, at: path.dropFirst(), in: pairs[i].1)
        } else {
            pairs.append((key, setting(value, at: path.dropFirst(), in: .object([]))))
        }
        return .object(pairs)
    }

    /// `top` merged leaf by leaf over `base`, as the harness merges the managed config over the user's.
    static func merged(_ base: Value, _ top: Value) -> Value {
        guard case .object(let topPairs) = top, case .object = base else { return top }
        var out = base
        for (key, value) in topPairs {
            let existing = lookup([key], in: out)
            if case .object(let inner) = value, !inner.isEmpty, let existing {
                out = setting(merged(existing, value), at: [key], in: out)
            } else {
                out = setting(value, at: [key], in: out)
            }
        }
        return out
    }

    /// The dotted path of a key as written (`model.provider`), nil when a part is empty.
    static func path(_ text: String) -> [String]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        return parts.contains(where: \.isEmpty) ? nil : parts
    }
}
