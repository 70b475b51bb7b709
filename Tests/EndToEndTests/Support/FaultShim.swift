import Foundation

/// The LD_PRELOAD shim of `Tests/Fixtures/fault-shim/fault_shim.c`: it fails the N-th
/// write-type call of an `overlay` process on a path under given prefixes, and logs every
/// such call. Built once per test process with the system C compiler.
enum FaultShim {
    /// One write-type call the shim counted.
    struct Call: CustomStringConvertible {
        var number: Int
        var operation: String
        var path: String
        var failed: Bool
        var description: String { "#\(number) \(operation) \(path)" + (failed ? " (failed)" : "") }
    }

    /// The built library, or why it could not be built.
    static let library: Result<String, ShimError> = build()

    struct ShimError: Error, CustomStringConvertible { var description: String }

    private static func build() -> Result<String, ShimError> {
        let source = PackagePaths.root.path + "/Tests/Fixtures/fault-shim/fault_shim.c"
        let output = FileManager.default.temporaryDirectory.path + "/overlay-fault-shim-\(getpid()).so"
        for compiler in ["/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/clang"] where FileManager.default.isExecutableFile(atPath: compiler) {
            guard let r = try? runProcess(compiler, ["-shared", "-fPIC", "-O1", "-o", output, source, "-ldl"]) else { continue }
            if r.status == 0 { return .success(output) }
            return .failure(ShimError(description: "\(compiler) failed: \(r.stderr)"))
        }
        return .failure(ShimError(description: "no C compiler (cc, gcc, clang) to build the fault shim"))
    }

    /// The environment that makes the shim fail call `failAt` (0: count only) under `paths`;
    /// with `kill`, that call SIGKILLs the process instead (a crash at that very instant).
    static func environment(
        paths: [String], failAt: Int, log: String, errno code: Int32 = EIO, kill: Bool = false
    ) throws -> [String: String] {
        let lib = try library.get()
        var env = [
            "LD_PRELOAD": lib, "FAULT_PATHS": paths.joined(separator: ":"), "FAULT_AT": String(failAt), "FAULT_LOG": log,
            "FAULT_ERRNO": String(code),
        ]
        if kill { env["FAULT_KILL"] = "1" }
        return env
    }

    /// The calls a log holds, in order.
    static func calls(in log: String) -> [Call] {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 2)
            guard parts.count == 3, let n = Int(parts[0]) else { return nil }
            let failed = parts[2].hasSuffix(" FAILED")
            let path = failed ? String(parts[2].dropLast(" FAILED".count)) : String(parts[2])
            return Call(number: n, operation: String(parts[1]), path: path, failed: failed)
        }
    }
}
