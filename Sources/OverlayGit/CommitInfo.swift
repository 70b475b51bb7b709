import Foundation

/// What a fetched commit is, as `overlay pull` reports and records it.
///
/// Text fields come from the commit object, which anyone who can push writes: control
/// characters are replaced and the subject is capped, so printing them cannot move a
/// terminal's cursor or flood a log.
public struct CommitInfo: Sendable, Equatable, Codable {
    /// The full commit id (40 hex digits).
    public var id: String
    /// The author's name.
    public var authorName: String
    /// The author's email.
    public var authorEmail: String
    /// When the author made it, ISO 8601 in UTC (`2026-01-01T00:00:00Z`).
    public var time: String
    /// The first paragraph of the message on one line, as `git log --format=%s` shows it.
    public var subject: String

    /// The longest subject kept; the rest is cut with an ellipsis.
    public static let subjectLimit = 200

    public init(id: String, authorName: String, authorEmail: String, time: Date, subject: String) {
        self.id = id
        self.authorName = Self.printable(authorName, limit: 200)
        self.authorEmail = Self.printable(authorEmail, limit: 200)
        self.time = Self.iso8601(time)
        self.subject = Self.printable(subject, limit: Self.subjectLimit)
    }

    /// The text with control characters replaced by U+FFFD and at most `limit` characters.
    static func printable(_ text: String, limit: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let isControl = scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value)
            scalars.append(isControl ? "\u{FFFD}" : scalar)
        }
        let clean = String(scalars)
        return clean.count > limit ? String(clean.prefix(limit - 1)) + "…" : clean
    }

    static func iso8601(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
