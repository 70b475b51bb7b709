import Foundation

/// Checks that a generation's stored files still hold what its record says.
///
/// Generation files are read-only, but root can still write through a home's symlink into
/// the live generation. A rollback (the deadman's included) must not make such an edit live,
/// so it verifies its target first.
enum GenerationIntegrity {
    /// Dests whose stored file no longer matches the record's size and SHA-256, in record order.
    /// A file whose stat still equals the recorded one is trusted without hashing.
    static func changedFiles(of generation: Generation, state: StateDirectory) -> [String] {
        let folder = state.generationPath(generation.number) + "/files/"
        return generation.files.compactMap { f in
            let path = folder + f.home + "/" + f.path
            guard let st = POSIX.statFile(path), st.size == Int64(f.size) else { return f.dest }
            if let recorded = f.stat, recorded == st { return nil }
            guard let data = try? POSIX.readFile(path), ContentHash.sha256(data) == f.sha256 else { return f.dest }
            return nil
        }
    }

    /// Records the new stat of files rewritten in place (the stat is a cache that spares hashing;
    /// sizes and hashes never change). A crash between the two writes leaves only a stale cache.
    static func recordStats(_ stats: [String: FileStat], generation n: Int, state: StateDirectory) throws(ApplyError) {
        let folder = state.generationPath(n)
        var record = try Generation.load(folder: folder)
        for i in record.files.indices {
            if let st = stats[record.files[i].dest] { record.files[i].stat = st }
        }
        try DurableFile.replace(folder + "/" + Generation.recordName, with: record.encoded(), mode: 0o600)
        let index = folder + "/" + GenerationIndex.name
        if FileManager.default.fileExists(atPath: index), let data = GenerationIndex.encode(record.files) {
            try DurableFile.replace(index, with: data, mode: 0o600)
        }
    }
}
