import Foundation
import OverlayCore

/// One host's managed block: marker lines naming the host around named cron entries.
///
/// ```
/// # >>> overlay managed: host=timmy -- do not edit inside this block >>>
/// # overlay job: heartbeat
/// */1 * * * * overlay heartbeat
/// # <<< overlay managed: host=timmy <<<
/// ```
public struct CrontabBlock: Sendable, Equatable {
    /// One named entry: the job name and its full crontab line.
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// The crontab line; empty when an installed job marker has no line after it.
        public var line: String

        public init(name: String, line: String) {
            self.name = name
            self.line = line
        }
    }

    /// The inventory host that owns the block.
    public var host: String
    /// Entries in block order (rendered blocks sort them by name).
    public var entries: [Entry]
    /// Lines inside an installed block that belong to no job marker (hand edits).
    public var strays: [String]

    public init(host: String, entries: [Entry], strays: [String] = []) {
        self.host = host
        self.entries = entries
        self.strays = strays
    }

    static let beginPrefix = "# >>> overlay managed: host="
    static let endPrefix = "# <<< overlay managed: host="
    static let jobPrefix = "# overlay job: "

    /// The first line of `host`'s block.
    public static func beginMarker(host: String) -> String {
        beginPrefix + host + " -- do not edit inside this block >>>"
    }

    /// The last line of `host`'s block.
    public static func endMarker(host: String) -> String {
        endPrefix + host + " <<<"
    }

    /// The block of `jobs` as they will be installed, sorted by name so declaration order does not matter.
    public static func rendering(host: String, lines: [(name: String, line: String)]) -> CrontabBlock {
        CrontabBlock(host: host, entries: lines.sorted { $0.name < $1.name }.map { Entry(name: $0.name, line: $0.line) })
    }

    /// The block's text, every line ending in a newline.
    public func render() -> String {
        var out = [Self.beginMarker(host: host)]
        for entry in entries {
            out.append(Self.jobPrefix + entry.name)
            out.append(entry.line)
        }
        out.append(Self.endMarker(host: host))
        return out.joined(separator: "\n") + "\n"
    }

    /// Reads the lines strictly between the markers of an installed block.
    static func parseBody(host: String, lines: ArraySlice<Substring>) -> CrontabBlock {
        var entries: [Entry] = []
        var strays: [String] = []
        var pending: String?
        for raw in lines {
            // A job line keeps a CR of a CRLF file: cron hands it to sh as part of the command,
            // so such a line differs from the declared one (drift, rewritten by the next apply).
            // The markers and job names are read without it.
            let line = String(raw)
            let trimmed = StringScan.trimmingBlanks(raw.hasSuffix("\r") ? raw.dropLast() : raw)
            if trimmed.hasPrefix(jobPrefix) {
                if let name = pending { entries.append(Entry(name: name, line: "")) }
                pending = String(StringScan.trimmingBlanks(trimmed.dropFirst(jobPrefix.count)))
            } else if trimmed.isEmpty || trimmed.hasPrefix("#") {
                continue
            } else if let name = pending {
                entries.append(Entry(name: name, line: line))
                pending = nil
            } else {
                strays.append(line)
            }
        }
        if let name = pending { entries.append(Entry(name: name, line: "")) }
        return CrontabBlock(host: host, entries: entries, strays: strays)
    }

    /// The host named by a marker line with `prefix`, or nil when the line is no such marker.
    static func markerHost(_ line: Substring, prefix: String) -> String? {
        let trimmed = StringScan.trimmingBlanks(line)
        guard trimmed.hasPrefix(prefix) else { return nil }
        return String(trimmed.dropFirst(prefix.count).prefix(while: { !$0.isWhitespace }))
    }
}
