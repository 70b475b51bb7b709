import Foundation
import OverlayCore

/// A whole crontab split around one host's managed block, keeping every other byte as it was.
///
/// The text before and after the block is kept verbatim (other hosts' blocks, user
/// lines, comments, a missing final newline), so replacing or removing the block
/// never rewrites anything outside it.
public struct CrontabDocument: Sendable, Equatable {
    /// The host whose block this document isolates.
    public var host: String
    /// Exact text before the begin marker (the whole crontab when there is no block).
    public var before: String
    /// The installed block, nil when the crontab has none for the host.
    public var block: CrontabBlock?
    /// The installed block's exact text, marker lines included.
    public var blockText: String
    /// Exact text after the end marker line.
    public var after: String

    /// Splits `text` around `host`'s block; a damaged block is an error rather than a guess.
    public static func parse(_ text: String, host: String) throws(CrontabError) -> CrontabDocument {
        try checkHost(host)
        let lines = StringScan.lines(text)
        var begin: Int?
        var end: Int?
        for (index, line) in lines.enumerated() {
            let lineNumber = index + 1
            if let other = CrontabBlock.markerHost(line, prefix: CrontabBlock.beginPrefix) {
                if begin != nil && end == nil {
                    throw .damagedBlock(
                        host: host, line: lineNumber, reason: "a block for host '\(other)' begins before this block's end marker")
                }
                guard other == host else { continue }
                if end != nil {
                    throw .damagedBlock(host: host, line: lineNumber, reason: "a second block for the same host begins here")
                }
                begin = index
            } else if let other = CrontabBlock.markerHost(line, prefix: CrontabBlock.endPrefix) {
                let inside = begin != nil && end == nil
                if inside && other != host {
                    throw .damagedBlock(host: host, line: lineNumber, reason: "the end marker of host '\(other)' appears inside this block")
                }
                guard other == host else { continue }
                if !inside {
                    throw .damagedBlock(host: host, line: lineNumber, reason: "an end marker without a begin marker")
                }
                end = index
            }
        }
        guard let begin else {
            return CrontabDocument(host: host, before: text, block: nil, blockText: "", after: "")
        }
        guard let end else {
            throw .damagedBlock(host: host, line: begin + 1, reason: "the begin marker has no matching end marker")
        }
        let before = begin == 0 ? "" : lines[..<begin].joined(separator: "\n") + "\n"
        let hasTail = end + 1 < lines.count
        let blockText = lines[begin...end].joined(separator: "\n") + (hasTail ? "\n" : "")
        let after = hasTail ? lines[(end + 1)...].joined(separator: "\n") : ""
        let block = CrontabBlock.parseBody(host: host, lines: lines[(begin + 1)..<end])
        return CrontabDocument(host: host, before: before, block: block, blockText: blockText, after: after)
    }

    /// The crontab with the host's block replaced by `newBlock`, or removed when it is nil.
    ///
    /// A new block goes at the end; a line break is added first when the crontab's last line lacks one.
    public func replacingBlock(with newBlock: CrontabBlock?) -> String {
        let rendered = newBlock?.render() ?? ""
        if block != nil { return before + rendered + after }
        guard !rendered.isEmpty else { return before }
        let separator = before.isEmpty || before.unicodeScalars.last == "\n" ? "" : "\n"  // a CRLF end counts
        return before + separator + rendered
    }

    /// Marker lines name the host, so the name must stay one token on one line.
    static func checkHost(_ host: String) throws(CrontabError) {
        let bad =
            host.isEmpty
            || host.unicodeScalars.contains {
                $0.properties.isWhitespace || $0.properties.generalCategory == .control
            }
        if bad { throw .invalidHost(host) }
    }
}
