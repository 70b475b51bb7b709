import Foundation

/// A tab-separated copy of a generation's file list (`files.tsv`), read on every apply.
///
/// `generation.json` is the record; parsing 650 entries of it costs more than the rest of a
/// no-op plan, so the file list is also kept in this flat form. It is skipped (and the JSON
/// read instead) when a path holds a tab or a newline.
enum GenerationIndex {
    static let name = "files.tsv"

    /// The TSV text, or nil when a field cannot be written safely.
    static func encode(_ files: [Generation.File]) -> Data? {
        var out = ""
        for f in files {
            let fields = [f.dest, f.home, f.path]
            if fields.contains(where: { $0.contains("\t") || $0.contains("\n") }) { return nil }
            let st = f.stat
            out += fields.joined(separator: "\t")
            out += "\t\(f.sha256)\t\(f.size)\t\(f.mode)\t\(f.link ? 1 : 0)\t\(f.secret ? 1 : 0)"
            out += "\t\(st?.size ?? -1)\t\(st?.mtimeNanos ?? 0)\t\(st?.inode ?? 0)\t\(st?.mode ?? 0)\n"
        }
        return Data(out.utf8)
    }

    /// The file list, or nil when the index is missing or malformed.
    static func decode(_ data: Data) -> [Generation.File]? {
        var files: [Generation.File] = []
        for line in data.split(separator: UInt8(ascii: "\n")) {
            let f = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
            guard f.count == 12 else { return nil }
            func s(_ i: Int) -> String { String(decoding: f[i], as: UTF8.self) }
            guard let size = Int(s(4)), let mode = UInt16(s(5)), let stSize = Int64(s(8)), let mtime = Int64(s(9)),
                let inode = UInt64(s(10)), let stMode = UInt16(s(11))
            else { return nil }
            let stat = stSize < 0 ? nil : FileStat(size: stSize, mtimeNanos: mtime, inode: inode, mode: stMode)
            files.append(
                Generation.File(
                    dest: s(0), home: s(1), path: s(2), sha256: s(3), size: size, mode: mode, link: s(6) == "1",
                    secret: s(7) == "1", stat: stat))
        }
        return files
    }
}
