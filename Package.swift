// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "overlay",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "overlay", targets: ["overlay"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // The binary only starts the CLI.
        .executableTarget(name: "overlay", dependencies: ["OverlayCLI", "OverlayRuntime"]),
        // Argument parsing, exit codes and output rendering.
        .target(
            name: "OverlayCLI",
            dependencies: [
                "OverlayCore", "OverlayRuntime", "OverlayEngine", "OverlayJobs", "OverlayServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Orchestration: load a host's golden state, apply, rollback, plan and run a converge
        // (local and SSH hosts). What commands, pull, serve, the deadman and jobs call.
        .target(name: "OverlayEngine", dependencies: ["OverlayCore", "OverlayRuntime", "OverlayGit", "OverlayJobs"]),
        // Pure logic: documents with locations, diagnostics, schema, cron, policy,
        // inventory, templates, golden state. No effects beyond reading files.
        .target(name: "OverlayCore", dependencies: ["CLibYAML", "CSpawn"]),
        // Effects: generations, atomic switch, locks, crontab, processes.
        .target(
            name: "OverlayRuntime",
            dependencies: [
                "OverlayCore", "CSpawn",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // The signed-webhook receiver behind `overlay serve`: the only code that imports
        // Hummingbird (and the NIO pieces under it).
        .target(
            name: "OverlayServer",
            dependencies: [
                "OverlayRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]),
        // A stand-alone receiver with a stand-in action, for `bench/serve.sh` and the
        // SIGTERM test, until `overlay serve` runs the engine's pull.
        .executableTarget(name: "overlay-serve-bench", dependencies: ["OverlayServer"]),
        // Training and eval jobs: the DAG runner, the SQLite ledger, gate, promote, provenance.
        .target(
            name: "OverlayJobs",
            dependencies: [
                "OverlayCore", "OverlayRuntime", "CSQLite", .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // Debian's SQLite (libsqlite3-dev) for the job ledger; see ARCHITECTURE.md, "Jobs".
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // posix_spawn in a new session with no inherited descriptors (needs _GNU_SOURCE).
        .target(name: "CSpawn"),
        // Debian's libyaml (libyaml-dev), used through our own located composer.
        .systemLibrary(
            name: "CLibYAML", pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]),
        // The libgit2 wrapper: mirror, fetch, resolve, materialise, signed commits.
        // The only code that imports CLibgit2.
        .target(name: "OverlayGit", dependencies: ["CLibgit2", "OverlayRuntime"]),
        // Debian's libgit2 (libgit2-dev 1.5), behind OverlayGit.
        .systemLibrary(
            name: "CLibgit2", pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]),
        // What several test targets share (the real-crontab session and its lock).
        .target(name: "TestSupport", dependencies: ["OverlayRuntime"], path: "Tests/TestSupport"),
        .testTarget(name: "OverlayCoreTests", dependencies: ["OverlayCore"]),
        .testTarget(name: "OverlayRuntimeTests", dependencies: ["OverlayRuntime", "TestSupport"]),
        .testTarget(name: "OverlayEngineTests", dependencies: ["OverlayEngine", "TestSupport"]),
        .testTarget(name: "OverlayGitTests", dependencies: ["OverlayGit", "OverlayRuntime", "TestSupport"]),
        .testTarget(
            name: "OverlayServerTests",
            dependencies: [
                "OverlayServer", "overlay-serve-bench", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "OverlayJobsTests", dependencies: ["OverlayJobs", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["overlay", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
