import Foundation

extension Template {
    /// `text` parsed, from a process-wide cache: a converge renders the same templates (a
    /// config file, a command, a path) for every host, and parsing them was a tenth of a
    /// no-op converge's time. Bounded; a text that does not parse is not cached.
    public static func parsed(_ text: String) throws(TemplateError) -> Template {
        if let hit = TemplateCache.shared.lookup(text) { return hit }
        let template = try Template(text)
        TemplateCache.shared.store(text, template)
        return template
    }
}

/// The parsed templates of this process, by text; emptied when it holds more than its bound.
final class TemplateCache: @unchecked Sendable {
    static let shared = TemplateCache()
    /// Bytes of template text held at most (the texts are the keys).
    static let byteLimit = 32 << 20

    private let lock = NSLock()
    private var entries: [String: Template] = [:]
    private var bytes = 0

    func lookup(_ text: String) -> Template? {
        lock.withLock { entries[text] }
    }

    func store(_ text: String, _ template: Template) {
        let size = text.utf8.count
        guard size <= Self.byteLimit / 4 else { return }
        lock.withLock {
            if bytes + size > Self.byteLimit {
                entries.removeAll(keepingCapacity: true)
                bytes = 0
            }
            if entries.updateValue(template, forKey: text) == nil { bytes += size }
        }
    }
}
