import CLibYAML

/// Builds a located `Node` tree from libyaml's event stream.
///
/// Written as an explicit stack rather than recursion so that hostile nesting
/// cannot overflow a thread stack, and with budgets for depth and alias
/// expansion so that billion-laughs input stops early with a diagnostic.
struct YAMLComposer {
    /// Limits that keep hostile input bounded.
    struct Limits {
        var maxDepth = 100
        /// Total nodes that aliases may re-use, counted with their subtrees.
        var maxAliasExpansion = 1_000_000
    }

    /// A problem found while composing, with the rule id it reports under.
    struct Problem {
        var mark: Mark
        var rule: String
        var message: String
        var severity: Severity = .error
    }

    /// The entries of every open collection, innermost last: a collection's items (or pairs)
    /// are the tail of one shared buffer from its start, moved into an array of exactly
    /// their count when it ends. No array per collection grows by doubling, none keeps
    /// the slack of its growth, and no entry is copied.
    private final class Entries {
        let items = TailBuffer<Node>()
        let pairs = TailBuffer<Node.Pair>()
    }

    /// An open collection. A class so that its fields mutate in place.
    private final class Frame {
        let isMapping: Bool
        let mark: Mark
        let tag: String?
        let anchor: String?
        /// Where this collection's entries start in the shared buffers.
        let itemStart: Int
        let pairStart: Int
        var pendingKey: Node?
        /// Values of `<<` merge keys, in order, applied when the mapping ends.
        var merges: [Node] = []
        /// Key texts to positions in the shared buffer, built only for large mappings, where
        /// it pays; a small mapping compares its keys' texts in place (no copy of every key).
        var keyIndex: [String: Int]?
        var size = 1
        /// Levels from this collection down to its deepest leaf (a leaf collection is 1).
        var height = 1

        /// The position in `entries.pairs` of this mapping's entry for `key`, if any.
        func index(of key: String, in entries: Entries) -> Int? {
            if let keyIndex { return keyIndex[key] }
            var i = pairStart
            while i < entries.pairs.count {
                if YAMLComposer.keyText(entries.pairs[i].key) == key { return i }
                i += 1
            }
            return nil
        }

        func append(_ pair: Node.Pair, keyText: String, to entries: Entries) {
            entries.pairs.append(pair)
            if keyIndex != nil {
                keyIndex?[keyText] = entries.pairs.count - 1
            } else if entries.pairs.count - pairStart == 16 {
                var index: [String: Int] = [:]
                for i in pairStart..<entries.pairs.count where index[YAMLComposer.keyText(entries.pairs[i].key)] == nil {
                    index[YAMLComposer.keyText(entries.pairs[i].key)] = i
                }
                keyIndex = index
            }
        }

        init(isMapping: Bool, mark: Mark, tag: String?, anchor: String?, entries: Entries) {
            self.isMapping = isMapping
            self.mark = mark
            self.tag = tag
            self.anchor = anchor
            self.itemStart = entries.items.count
            self.pairStart = entries.pairs.count
        }

        /// This collection's items, taken off the end of the shared buffer.
        func takeItems(from entries: Entries) -> [Node] {
            entries.items.takeTail(from: itemStart)
        }

        /// The finished node; its entries leave the shared buffers.
        func node(from entries: Entries) -> Node {
            guard isMapping else { return Node(.sequence(takeItems(from: entries)), mark: mark, tag: tag) }
            let pairs = entries.pairs.takeTail(from: pairStart)
            return Node(.mapping(merges.isEmpty ? pairs : YAMLComposer.merged(merges, into: pairs)), mark: mark, tag: tag)
        }
    }

    /// PyYAML's flatten_mapping: the merged mappings' entries come first (of a `<<` list,
    /// the earlier mapping wins), then the mapping's own, and a later key replaces an
    /// earlier one in its place, as Python's dict does.
    static func merged(_ merges: [Node], into own: [Node.Pair]) -> [Node.Pair] {
        var incoming: [Node.Pair] = []
        for merge in merges {
            if let pairs = merge.pairs {
                incoming += pairs
            } else {
                for item in (merge.items ?? []).reversed() { incoming += item.pairs ?? [] }
            }
        }
        var out: [Node.Pair] = []
        var index: [String: Int] = [:]
        for pair in incoming + own {
            let key = keyText(pair.key)
            if let i = index[key] {
                out[i] = pair
            } else {
                index[key] = out.count
                out.append(pair)
            }
        }
        return out
    }

    /// True for a mapping key that is YAML's merge key: a plain `<<` or an explicit `!!merge`.
    static func isMergeKey(_ key: Node) -> Bool {
        guard case .scalar(let text, let style) = key.kind else { return false }
        if key.isTagged { return key.tagCode == .merge }
        return style == .plain && text == "<<"
    }

    let limits: Limits

    /// Parses `bytes` (already checked to be UTF-8) into one document's root node.
    /// Returns the root (nil when parsing failed before any document) and problems.
    func compose(_ bytes: UnsafeBufferPointer<UInt8>) -> (Node?, [Problem]) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return (nil, [Problem(mark: .start, rule: "yaml.syntax", message: "libyaml could not start")])
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)

        var problems: [Problem] = []
        var stack: [Frame] = []
        let entries = Entries()
        var anchors: [String: (node: Node, size: Int, height: Int)] = [:]
        var aliasBudgetUsed = 0
        var root: Node?
        var documents = 0

        // Adds a finished node to its parent, or makes it the root.
        func attach(_ node: Node, size: Int, height: Int, anchor: String?) {
            if let anchor { anchors[anchor] = (node, size, height) }
            guard let top = stack.last else {
                if root == nil { root = node }
                return
            }
            top.size += size
            top.height = max(top.height, height + 1)
            guard top.isMapping else {
                entries.items.append(node)
                return
            }
            guard let key = top.pendingKey else {
                top.pendingKey = node
                return
            }
            top.pendingKey = nil
            let keyText = Self.keyText(key)
            // The text decides first: only `<<` or a tagged key can be a merge key.
            if key.isTagged || keyText == "<<", Self.isMergeKey(key) {
                let mappings = node.pairs != nil || (node.items.map { $0.allSatisfy { $0.pairs != nil } } ?? false)
                if mappings {
                    top.merges.append(node)
                } else {
                    problems.append(
                        Problem(
                            mark: node.mark, rule: "yaml.merge-key",
                            message:
                                "the merge key '<<' needs a mapping or a list of mappings (an alias such as *defaults), not a \(node.typeName); PyYAML and Ansible refuse the file"
                        ))
                }
                return
            }
            if let existing = top.index(of: keyText, in: entries) {
                let first = entries.pairs[existing].key.mark
                problems.append(
                    Problem(
                        mark: key.mark, rule: "yaml.duplicate-key",
                        message:
                            "duplicate key '\(keyText)' (first defined at line \(first.line)); YAML keeps only the last one — remove or rename one of them"
                    ))
                entries.pairs[existing] = Node.Pair(key: key, value: node)
            } else {
                top.append(Node.Pair(key: key, value: node), keyText: keyText, to: entries)
            }
        }

        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                problems.append(Self.parserProblem(parser))
                return (root, problems)
            }
            defer { yaml_event_delete(&event) }
            let mark = Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return (root, problems)
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    problems.append(
                        Problem(
                            mark: mark, rule: "yaml.multi-document",
                            message: "file holds more than one YAML document; overlay reads one — split it into files"))
                    return (root, problems)
                }
            case YAML_ALIAS_EVENT:
                let name = Self.text(event.data.alias.anchor) ?? ""
                guard let target = anchors[name] else {
                    problems.append(
                        Problem(
                            mark: mark, rule: "yaml.syntax",
                            message: "alias '*\(name)' refers to no anchor defined before it; define '&\(name)' first"))
                    return (root, problems)
                }
                aliasBudgetUsed += target.size
                if aliasBudgetUsed > limits.maxAliasExpansion {
                    problems.append(
                        Problem(
                            mark: mark, rule: "yaml.alias-limit",
                            message:
                                "aliases expand to more than \(limits.maxAliasExpansion) nodes (a 'billion laughs' pattern); write the data out or use fewer nested aliases"
                        ))
                    return (root, problems)
                }
                // An alias re-uses a whole subtree: placed deep, it nests deeper than the text
                // shows (and an alias chain multiplies that), so the depth limit counts it.
                if stack.count + target.height > limits.maxDepth {
                    problems.append(
                        Problem(
                            mark: mark, rule: "yaml.depth",
                            message:
                                "alias '*\(name)' nests its data deeper than \(limits.maxDepth) levels here; flatten the data or use fewer nested aliases (overlay stops reading here)"
                        ))
                    return (root, problems)
                }
                var node = target.node
                node.mark = mark
                attach(node, size: target.size, height: target.height, anchor: nil)
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let text =
                    scalar.value.map { ptr in
                        String(
                            decoding: UnsafeBufferPointer(start: ptr, count: Int(scalar.length)), as: UTF8.self)
                    } ?? ""
                let style: Node.ScalarStyle
                switch scalar.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: style = .literal
                case YAML_FOLDED_SCALAR_STYLE: style = .folded
                default: style = .plain
                }
                // The tag's own text is checked here; the node keeps only its code.
                let tag = Self.text(scalar.tag)
                let node = Node(.scalar(text, style), mark: mark, tag: tag)
                if tag != nil || (style == .plain && ConstructorCheck.mayFail(first: text.utf8.first)) {
                    let isKey = stack.last.map { $0.isMapping && $0.pendingKey == nil } ?? false
                    if let problem = ConstructorCheck.scalarProblem(text, style: style, tag: tag, isKey: isKey) {
                        problems.append(Problem(mark: mark, rule: problem.rule, message: problem.message))
                    }
                }
                attach(node, size: 1, height: 0, anchor: Self.text(scalar.anchor))
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                if stack.count >= limits.maxDepth {
                    problems.append(
                        Problem(
                            mark: mark, rule: "yaml.depth",
                            message:
                                "nesting deeper than \(limits.maxDepth) levels; flatten the structure (overlay stops reading here)"
                        ))
                    return (root, problems)
                }
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let tag = Self.text(isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag)
                let anchor = Self.text(isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor)
                if let problem = ConstructorCheck.collectionProblem(tag: tag, isMapping: isMapping) {
                    problems.append(Problem(mark: mark, rule: problem.rule, message: problem.message))
                }
                stack.append(Frame(isMapping: isMapping, mark: mark, tag: tag, anchor: anchor, entries: entries))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let top = stack.popLast() else { continue }
                if !top.isMapping, top.tag == "tag:yaml.org,2002:omap" || top.tag == "tag:yaml.org,2002:pairs" {
                    for i in top.itemStart..<entries.items.count {
                        let item = entries.items[i]
                        if let problem = ConstructorCheck.pairItemProblem(item) {
                            problems.append(Problem(mark: item.mark, rule: problem.rule, message: problem.message))
                        }
                    }
                }
                attach(top.node(from: entries), size: top.size, height: top.height, anchor: top.anchor)
            default:
                continue
            }
        }
    }

    /// The text a key is compared by: a plain untagged scalar as written (cheap), else its resolved value.
    static func keyText(_ key: Node) -> String {
        if case .scalar(let text, _) = key.kind, !key.isTagged { return text }
        return key.value.keyString
    }

    private static func text(_ ptr: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let ptr else { return nil }
        return String(cString: UnsafeRawPointer(ptr).assumingMemoryBound(to: CChar.self))
    }

    private static func parserProblem(_ parser: yaml_parser_t) -> Problem {
        if parser.error == YAML_MEMORY_ERROR {
            // libyaml could not allocate: not the file's fault, and no syntax error to point at.
            return Problem(
                mark: Mark(line: 1, column: 1), rule: "yaml.syntax",
                message: "out of memory while parsing (an address-space limit, ulimit -v?); raise the limit and run again")
        }
        let problem = parser.problem.map { String(cString: $0) } ?? "syntax error"
        let context = parser.context.map { String(cString: $0) }
        let m = parser.problem_mark
        let mark = Mark(line: Int(m.line) + 1, column: Int(m.column) + 1)
        var message = problem
        if let context {
            let c = parser.context_mark
            message = "\(problem) \(context) (started at line \(Int(c.line) + 1), column \(Int(c.column) + 1))"
        }
        return Problem(mark: mark, rule: "yaml.syntax", message: message + "; fix the YAML syntax here")
    }
}
