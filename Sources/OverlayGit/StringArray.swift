import CLibgit2
import Foundation

/// A `git_strarray` over Swift strings, valid while `withStrArray`'s body runs.
struct StringArray {
    let strings: [String]

    init(_ strings: [String]) { self.strings = strings }

    func withStrArray<R>(_ body: (UnsafePointer<git_strarray>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { for p in pointers { free(p) } }
        return pointers.withUnsafeMutableBufferPointer { buffer in
            var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            return body(&array)
        }
    }
}
