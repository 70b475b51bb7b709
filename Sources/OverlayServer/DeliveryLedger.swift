import Foundation
import Logging

/// The delivery ids already handled, so that a replay (a sender's redelivery, or a
/// captured request sent again) starts nothing, also after a restart.
///
/// Kept in memory as the newest `capacity` ids and appended to `deliveries` in the state
/// folder, one `kind:id` a line; when the file reaches twice the capacity it is rewritten
/// with the newest ids (write a temporary file, fsync, rename). A torn last line after a
/// crash is only an id that matches nothing.
final class DeliveryLedger: @unchecked Sendable {
    /// The file in the state folder.
    static let fileName = "deliveries"

    private let path: String
    private let capacity: Int
    private let logger: Logger
    private let lock = NSLock()
    private var seen: Set<String> = []
    private var order: [String] = []
    private var head = 0
    private var fileLines = 0
    private var handle: FileHandle?

    /// Loads the ids persisted in `folder` (which exists) and opens the file for appending.
    init(folder: String, capacity: Int, logger: Logger) throws(ServeError) {
        path = folder + "/" + Self.fileName
        self.capacity = capacity
        self.logger = logger
        let exists = FileManager.default.fileExists(atPath: path)
        let read = try? String(contentsOfFile: path, encoding: .utf8)
        if exists, read == nil {
            logger.error("the delivery-id file cannot be read; starting it anew", metadata: ["file": "\(path)"])
        }
        let text = read ?? ""
        let lines = text.split(separator: "\n")
        for line in lines.suffix(capacity) { remember(String(line)) }
        fileLines = lines.count
        // Rewritten when missing, unreadable, grown, or torn (no final newline: the next
        // line would join it).
        if read == nil || fileLines >= 2 * capacity || !(text.isEmpty || text.hasSuffix("\n")) {
            try rewrite()
        }
        handle = try Self.openForAppending(path)
    }

    /// Records `key`; false when it was already recorded (a replay).
    func claim(_ key: String) -> Bool { claim([key]) }

    /// Records every key of one delivery; false when any was already recorded.
    func claim(_ keys: [String]) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !keys.contains(where: seen.contains) else { return false }
        for key in keys {
            remember(key)
            persist(key)
        }
        return true
    }

    private func remember(_ key: String) {
        guard seen.insert(key).inserted else { return }
        if order.count < capacity {
            order.append(key)
        } else {
            seen.remove(order[head])
            order[head] = key
            head = (head + 1) % capacity
        }
    }

    /// Appends one line; compacts the file when it has grown to twice the capacity. A
    /// failed write is logged: the id is still remembered until the next restart.
    private func persist(_ key: String) {
        do {
            try handle?.write(contentsOf: Data((key + "\n").utf8))
            fileLines += 1
            if fileLines >= 2 * capacity {
                try? handle?.close()
                try rewrite()
                handle = try Self.openForAppending(path)
            }
        } catch {
            logger.error("cannot persist a delivery id", metadata: ["file": "\(path)", "error": "\(error)"])
        }
    }

    /// Replaces the file with the ids in memory, oldest first.
    private func rewrite() throws(ServeError) {
        let newest = Array(order[head...] + order[..<head])
        let text = newest.map { $0 + "\n" }.joined()
        let temporary = path + ".tmp"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            let fd = open(temporary, O_RDONLY | O_CLOEXEC)
            if fd >= 0 {
                fsync(fd)
                close(fd)
            }
            guard rename(temporary, path) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        } catch {
            unlink(temporary)
            throw .stateDirectoryUnusable(path: path, reason: "\(error)")
        }
        fileLines = newest.count
    }

    private static func openForAppending(_ path: String) throws(ServeError) -> FileHandle {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .stateDirectoryUnusable(path: path, reason: String(cString: strerror(errno))) }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }
}
