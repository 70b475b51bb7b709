import Foundation
import OverlayCore

/// A whole crontab split once into every host's managed block and the exact text between them,
/// so that many hosts' blocks can be changed with one read, one parse and one write (a converge
/// whose local hosts share one crontab).
///
/// Replacing a block here gives byte for byte the text that `CrontabDocument` gives host by host.
/// A crontab with any damaged block has no layout (`parse` returns nil): callers then go host
/// by host, so each damaged block is reported to its own host as before.
struct CrontabLayout {
    enum Segment {
        /// Text outside every block, kept as it was.
        case text(String)
        /// A host's block: what is parsed from it, and its text (the marker lines included).
        case block(CrontabBlock?, String)
    }

    private(set) var segments: [Segment] = []
    /// Where each host's block is in `segments`.
    private var positions: [String: Int] = [:]

    /// The layout of `text`, or nil when a block is damaged (see `CrontabDocument.parse`).
    static func parse(_ text: String) -> CrontabLayout? {
        let lines = StringScan.lines(text)
        var layout = CrontabLayout()
        var textStart = 0
        var open: (host: String, line: Int)?
        for (index, line) in lines.enumerated() {
            if let host = CrontabBlock.markerHost(line, prefix: CrontabBlock.beginPrefix) {
                guard open == nil, layout.positions[host] == nil else { return nil }
                if index > textStart { layout.segments.append(.text(lines[textStart..<index].joined(separator: "\n") + "\n")) }
                open = (host, index)
            } else if let host = CrontabBlock.markerHost(line, prefix: CrontabBlock.endPrefix) {
                guard let block = open, block.host == host else { return nil }
                let hasTail = index + 1 < lines.count
                let blockText = lines[block.line...index].joined(separator: "\n") + (hasTail ? "\n" : "")
                layout.positions[host] = layout.segments.count
                layout.segments.append(.block(CrontabBlock.parseBody(host: host, lines: lines[(block.line + 1)..<index]), blockText))
                open = nil
                textStart = index + 1
            }
        }
        guard open == nil else { return nil }
        if textStart < lines.count { layout.segments.append(.text(lines[textStart...].joined(separator: "\n"))) }
        return layout
    }

    /// `host`'s installed block, nil when it has none.
    func block(of host: String) -> CrontabBlock? {
        guard let position = positions[host], case .block(let block, _) = segments[position] else { return nil }
        return block
    }

    /// Replaces `host`'s block with `newBlock` (nil removes it); a new block goes at the end,
    /// after a line break when the crontab's last line lacks one — as `CrontabDocument` does.
    /// Returns true when the text changed.
    @discardableResult
    mutating func replace(host: String, with newBlock: CrontabBlock?) -> Bool {
        let rendered = newBlock?.render() ?? ""
        if let position = positions[host] {
            guard case .block(_, let old) = segments[position], old != rendered else { return false }
            segments[position] = .block(newBlock, rendered)
            return true
        }
        guard !rendered.isEmpty else { return false }
        if let last = lastText(), last.unicodeScalars.last != "\n" { segments.append(.text("\n")) }  // a CRLF end counts
        positions[host] = segments.count
        segments.append(.block(newBlock, rendered))
        return true
    }

    /// The whole crontab.
    func render() -> String {
        var out = ""
        for segment in segments {
            switch segment {
            case .text(let text), .block(_, let text): out += text
            }
        }
        return out
    }

    /// The last non-empty piece of text, nil for an empty crontab.
    private func lastText() -> String? {
        for segment in segments.reversed() {
            switch segment {
            case .text(let text), .block(_, let text): if !text.isEmpty { return text }
            }
        }
        return nil
    }
}
