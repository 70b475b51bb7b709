extension JobPlaybookParser {
    static var policyList: String { GatePolicy.allCases.map(\.rawValue).joined(separator: ", ") }

    /// A `gate:` block, or nil when it cannot be used.
    mutating func readGate(_ gate: Node) -> GateSpec? {
        guard gate.pairs != nil else {
            error(gate, "playbook.gate", "'gate' must be a mapping with policy, candidate and baseline")
            return nil
        }
        unknownKeys(gate, Self.gateKeys, "'gate'")
        var policy: GatePolicy?
        if let p = gate["policy"] {
            let text = p.string ?? p.scalarText ?? ""
            policy = GatePolicy(rawValue: text)
            if policy == nil {
                let hint = Suggest.closest(text, in: GatePolicy.allCases.map(\.rawValue)).map { " — did you mean '\($0)'?" } ?? ""
                error(p, "playbook.gate", "unknown gate policy '\(text)'\(hint) (policies: \(Self.policyList))")
            }
        } else {
            error(gate, "playbook.gate", "a gate needs 'policy' (\(Self.policyList))")
        }
        var threshold = 1.0
        if let t = gate["threshold"] {
            switch t.value {
            case .int(let i) where i > 0: threshold = Double(i)
            case .double(let d) where d > 0 && d.isFinite: threshold = d
            default: error(t, "playbook.gate", "threshold must be a number above 0 (0.98 keeps 98 % of the baseline)")
            }
        }
        let candidate = requiredPath(gate, "candidate", "the candidate's metrics file (JSON)")
        let baseline = requiredPath(
            gate, "baseline", "the incumbent's metrics file (JSON); the first candidate passes while it does not exist")
        let metric = gate["metric"].flatMap { stringOrError($0, "metric") }
        if policy == .mustImprove && metric == nil {
            error(gate, "playbook.gate", "must_improve needs 'metric': the metric that must get strictly better")
        }
        let lower = gate["lower_is_better"].map { strings($0, "lower_is_better") } ?? []
        guard let policy, let candidate, let baseline else { return nil }
        return GateSpec(
            policy: policy, threshold: threshold, candidate: candidate, baseline: baseline, metric: metric, lowerIsBetter: lower)
    }

    /// A `promote:` block, or nil when it cannot be used.
    mutating func readPromote(_ promote: Node) -> PromoteSpec? {
        guard promote.pairs != nil else {
            error(promote, "playbook.syntax", "promote needs 'from' and 'to'")
            return nil
        }
        unknownKeys(promote, Self.promoteKeys, "'promote'")
        guard promote["from"] != nil, promote["to"] != nil else {
            error(promote, "playbook.syntax", "promote needs 'from' and 'to'")
            return nil
        }
        guard let from = requiredPath(promote, "from", "the candidate to promote"),
            let to = requiredPath(promote, "to", "the symlink that names the live version")
        else { return nil }
        let trimmed = to.split(separator: "/").last.map(String.init) ?? ""
        if trimmed.isEmpty || trimmed == "." || trimmed == ".." {
            error(promote["to"] ?? promote, "playbook.syntax", "promote 'to' must name a symlink (registry/current), not '\(to)'")
            return nil
        }
        return PromoteSpec(from: from, to: to)
    }

    mutating func requiredPath(_ node: Node, _ key: String, _ what: String) -> String? {
        guard let value = node[key] else {
            error(node, node["policy"] != nil ? "playbook.gate" : "playbook.syntax", "'\(key)' is missing: \(what)")
            return nil
        }
        guard let s = value.string, !s.isEmpty else {
            error(value, "playbook.syntax", "'\(key)' must be a path, found a \(value.typeName)")
            return nil
        }
        return s
    }
}
