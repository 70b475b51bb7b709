/// `ansible-inventory --list` as JSON text, written straight from the resolved variables.
///
/// The bytes are exactly `JSONWriter.bytes(list, pretty: true, sortKeys: true)`; for
/// thousands of hosts, building a `Value` per host only to write it out again was the
/// larger part of the work, so the hosts are written from their definitions, in
/// chunks on all cores, and handed out chunk by chunk instead of joined.
extension InventoryListing {
    /// Hosts per parallel chunk: enough work per task, enough tasks to balance the cores.
    static let hostsPerChunk = 256

    /// `list`, indented with sorted keys, as UTF-8 bytes.
    public var listJSON: [UInt8] {
        var out: [UInt8] = []
        writeListJSON { out += $0 }
        return out
    }

    /// Hands `list`, indented with sorted keys, to `emit` in consecutive pieces of UTF-8.
    public func writeListJSON(_ emit: ([UInt8]) -> Void) {
        let style = JSONWriter.Style(pretty: true, sortKeys: true, pythonNonFinite: true)
        // `_meta` sorts among the group names (an upper-case name comes first); its value is written below.
        let top = [("_meta", Value.null)] + groupEntries
        let order = JSONWriter.sortedOrder(top.count) { top[$0].0 }
        var out: [UInt8] = [UInt8(ascii: "{")]
        for position in top.indices {
            let index = order?[position] ?? position
            guard index == 0 else {
                JSONWriter.writeMember(position, key: top[index].0, top[index].1, into: &out, style, indent: 0)
                continue
            }
            if position > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.newline(&out, 1)
            out += #""_meta": {"#.utf8
            JSONWriter.newline(&out, 2)
            out += #""hostvars": "#.utf8
            for chunk in hostvarsChunks(style) {
                emit(out)
                out = chunk
            }
            JSONWriter.writeMember(1, key: "profile", .string(InventoryListing.profile), into: &out, style, indent: 1)
            JSONWriter.newline(&out, 1)
            out.append(UInt8(ascii: "}"))
        }
        JSONWriter.newline(&out, 0)
        out.append(UInt8(ascii: "}"))
        emit(out)
    }

    /// The `hostvars` object (at depth 2) in pieces: hosts with variables, sorted by name.
    private func hostvarsChunks(_ style: JSONWriter.Style) -> [[UInt8]] {
        var listed: [(String, HostVariables)] = []
        for host in inventory.hostNames {
            guard let v = inventory.variables(of: host), !v.isEmpty else { continue }
            listed.append((host, v))
        }
        // Separate arrays: the sort then touches only the names.
        let names = listed.map(\.0)
        let vars = listed.map(\.1)
        if names.isEmpty { return [Array("{}".utf8)] }
        let order = JSONWriter.sortedOrder(names.count) { names[$0] }
        let sorted = order ?? Array(names.indices)
        let starts = Array(stride(from: 0, to: sorted.count, by: InventoryListing.hostsPerChunk))
        var chunks = Parallel.map(starts) { start -> [UInt8] in
            var chunk: [UInt8] = start == 0 ? [UInt8(ascii: "{")] : []
            for position in start..<min(start + InventoryListing.hostsPerChunk, sorted.count) {
                if position > 0 { chunk.append(UInt8(ascii: ",")) }
                JSONWriter.newline(&chunk, 3)
                JSONWriter.escape(names[sorted[position]], into: &chunk)
                chunk += ": ".utf8
                InventoryListing.writeVariables(vars[sorted[position]], into: &chunk, style)
            }
            return chunk
        }
        JSONWriter.newline(&chunks[chunks.count - 1], 2)
        chunks[chunks.count - 1].append(UInt8(ascii: "}"))
        return chunks
    }

    /// One host's variables (at depth 3), sorted by name; never empty.
    private static func writeVariables(_ vars: HostVariables, into out: inout [UInt8], _ style: JSONWriter.Style) {
        out.append(UInt8(ascii: "{"))
        for (position, index) in vars.sortedPositions.enumerated() {
            let def = vars.definitions[index]
            if let listed = def.listedValue {
                JSONWriter.writeMember(position, key: def.name, listed, into: &out, style, indent: 3)
            } else {
                JSONWriter.writeMember(position, key: def.name, def.value, into: &out, style, indent: 3)
            }
        }
        JSONWriter.newline(&out, 3)
        out.append(UInt8(ascii: "}"))
    }
}
