/// A 1-based line and column in a source file, taken from the parser.
public struct Mark: Sendable, Hashable, Comparable, CustomStringConvertible {
    // Stored in 32 bits each: every node carries a mark, and files are at most 16 MiB
    // (`DocumentLoader.maxFileSize`), so 8 bytes a node are saved with nothing lost.
    private var storedLine: Int32
    private var storedColumn: Int32

    /// 1-based line number.
    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = Int32(clamping: newValue) }
    }
    /// 1-based column number (counted in Unicode scalars, as libyaml counts).
    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Int32(clamping: newValue) }
    }

    /// Creates a mark at `line`:`column` (both 1-based).
    public init(line: Int, column: Int) {
        self.storedLine = Int32(clamping: line)
        self.storedColumn = Int32(clamping: column)
    }

    /// The start of a file.
    public static let start = Mark(line: 1, column: 1)

    public static func < (lhs: Mark, rhs: Mark) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}
