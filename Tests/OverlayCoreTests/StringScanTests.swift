import Foundation
import Testing

@testable import OverlayCore

/// The Swift replacements of Foundation calls on hot paths answer as Foundation does.
@Suite struct StringScanTests {
    static let samples = [
        "", " ", "\t", "  \t ", "a", " a ", "\ta b\t", "a\n", "\n a \n", " \u{00A0}x\u{3000}", "\u{2003}é\u{2009}", " e\u{301} ",
        " \u{301}x", "x\u{200B} ", "0 */5 * * *  ", "日本 語", "\r\n x \r\n", "# overlay-job: heartbeat ",
    ]

    @Test(arguments: samples)
    func trimmingBlanksIsWhatFoundationTrims(_ text: String) {
        #expect(String(StringScan.trimmingBlanks(text)) == text.trimmingCharacters(in: .whitespaces))
        let sub = Substring("»" + text + "«").dropFirst().dropLast()
        #expect(String(StringScan.trimmingBlanks(sub)) == String(sub).trimmingCharacters(in: .whitespaces))
    }

    @Test func everyScalarIsBlankExactlyWhenFoundationSaysSo() {
        var differ: [UInt32] = []
        for v in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            if StringScan.isBlank(s) != CharacterSet.whitespaces.contains(s) { differ.append(v) }
        }
        #expect(differ.isEmpty, "\(differ.map { String($0, radix: 16) })")
    }

    @Test func containsIsALiteralSearch() {
        let needles = ["${secret:", "\n", "\r", "ab", "a", "zz", "é"]
        let texts = ["", "a", "ab", "xxab", "echo ${secret:k}", "echo ${secret", "line\nline", "cr\r", "café", "aaab"]
        for text in texts {
            for needle in needles {
                #expect(StringScan.contains(text, needle) == Array(text.utf8).firstRange(of: Array(needle.utf8)).map { _ in true } ?? false,
                    "\(text) / \(needle)")
            }
        }
        #expect(StringScan.contains("abc", ""))
    }

    @Test func utcTimestampIsWhatISO8601DateFormatterWrites() {
        let formatter = ISO8601DateFormatter()
        var generator = SystemRandomNumberGenerator()
        var times: [TimeInterval] = [0, -0.5, -1, 0.999, 59.5, 951_782_400, 1_798_761_599.9, 4_102_444_800, -2_208_988_800]
        for _ in 0..<2_000 { times.append(TimeInterval(Int64.random(in: -2_000_000_000...4_000_000_000, using: &generator)) + 0.25) }
        for t in times {
            let date = Date(timeIntervalSince1970: t)
            #expect(UTCTimestamp.string(date) == formatter.string(from: date), "\(t)")
        }
    }
}
