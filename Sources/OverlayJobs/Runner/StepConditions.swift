import Crypto
import Foundation
import OverlayCore

/// What a step's `when:` says now: met or not, in words, and the fingerprints of the
/// `changed:` paths to record once the step finishes `done`.
public struct ConditionOutcome: Sendable, Equatable {
    public var met: Bool
    /// Each condition's verdict joined ("work/curated.jsonl has 42 examples, fewer than 500").
    public var reason: String
    /// `changed:` paths (as written) and their digests now.
    public var fingerprints: [Fingerprint]

    public struct Fingerprint: Sendable, Equatable {
        public var path: String
        public var digest: String
    }
}

/// Evaluates `when:` conditions against the run's working directory and the ledger.
struct StepConditions {
    let workdir: String
    let playbook: String
    let ledger: JobLedger?

    /// All conditions must hold; the reason names every one that does not (or all that do).
    func evaluate(_ step: JobStep) -> ConditionOutcome {
        var unmet: [String] = []
        var met: [String] = []
        var prints: [ConditionOutcome.Fingerprint] = []
        for condition in step.when {
            let (ok, words) = check(condition, step: step.name, prints: &prints)
            if ok { met.append(words) } else { unmet.append(words) }
        }
        let reason = unmet.isEmpty ? met.joined(separator: "; ") : unmet.joined(separator: "; ")
        return ConditionOutcome(met: unmet.isEmpty, reason: reason, fingerprints: prints)
    }

    private func check(_ condition: JobCondition, step: String, prints: inout [ConditionOutcome.Fingerprint]) -> (Bool, String) {
        switch condition {
        case .minExamples(let minimum, let dataset):
            guard let count = Self.countExamples(WorkPath.resolve(dataset, in: workdir)) else {
                return (false, "\(dataset) does not exist (needs \(minimum) examples)")
            }
            return count >= minimum
                ? (true, "\(dataset) has \(count) examples (≥ \(minimum))")
                : (false, "\(dataset) has \(count) examples, fewer than \(minimum)")
        case .exists(let path):
            let exists = FileManager.default.fileExists(atPath: WorkPath.resolve(path, in: workdir))
            return (exists, exists ? "\(path) exists" : "\(path) does not exist")
        case .changed(let path):
            guard let digest = Self.digest(WorkPath.resolve(path, in: workdir)) else { return (false, "\(path) does not exist") }
            prints.append(.init(path: path, digest: digest))
            guard let last = try? ledger?.fingerprint(playbook: playbook, step: step, path: path) else {
                return (true, "\(path) has not been seen by this step before")
            }
            return last == digest
                ? (false, "\(path) has not changed since this step last ran") : (true, "\(path) changed since this step last ran")
        }
    }

    /// Non-blank lines of a JSONL file, read in blocks; nil when it cannot be opened.
    static func countExamples(_ path: String) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var count = 0
        var blank = true
        while let block = try? handle.read(upToCount: 1 << 20), !block.isEmpty {
            for byte in block {
                if byte == 0x0A {
                    if !blank { count += 1 }
                    blank = true
                } else if byte != 0x20 && byte != 0x09 && byte != 0x0D {
                    blank = false
                }
            }
        }
        return blank ? count : count + 1
    }

    /// SHA-256 of a file, or of a folder's paths, kinds and contents; nil when absent.
    static func digest(_ path: String) -> String? {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else { return nil }
        guard isDir.boolValue else { return fileDigest(path).map(hex) }
        var tree = SHA256()
        let entries = (fm.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []).sorted()
        for entry in entries {
            let full = path + "/" + entry
            var sub: ObjCBool = false
            _ = fm.fileExists(atPath: full, isDirectory: &sub)
            tree.update(data: Data((entry + (sub.boolValue ? "/\0" : "\0")).utf8))
            if !sub.boolValue, let d = fileDigest(full) { tree.update(data: Data(d)) }
        }
        return hex(Array(tree.finalize()))
    }

    /// SHA-256 of a regular file's bytes; of its kind for anything else (a FIFO or a device
    /// is never opened: it could block or never end).
    static func fileDigest(_ path: String) -> [UInt8]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        guard info.st_mode & S_IFMT == S_IFREG else { return Array(SHA256.hash(data: Data("special \(info.st_mode & S_IFMT)".utf8))) }
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let block = try? handle.read(upToCount: 1 << 20), !block.isEmpty { hasher.update(data: block) }
        return Array(hasher.finalize())
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
