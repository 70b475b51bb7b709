/// A string's UTF-8 bytes as one buffer, for byte loops that the generic `UTF8View`
/// iteration makes several times slower. Strings read from files are native and
/// contiguous, so this borrows their storage; any other string is copied once.
enum UTF8Bytes {
    /// Calls `body` with the bytes of `text`.
    @inline(__always) static func with<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    /// True when any byte of `text` satisfies `test`.
    @inline(__always) static func contains(_ text: String, where test: (UInt8) -> Bool) -> Bool {
        with(text) { bytes in
            for b in bytes where test(b) { return true }
            return false
        }
    }
}
