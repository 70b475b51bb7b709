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
    ],
    targets: [
        // The binary only starts the CLI.
        .executableTarget(name: "overlay", dependencies: ["OverlayCLI", "OverlayRuntime"]),
        // Argument parsing, exit codes and output rendering.
        .target(
            name: "OverlayCLI",
            dependencies: [
                "OverlayCore", "OverlayRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Pure logic: documents with locations, diagnostics, schema, cron, policy,
        // inventory, templates, golden state. No effects beyond reading files.
        .target(name: "OverlayCore", dependencies: ["CLibYAML"]),
        // Effects: generations, atomic switch, locks, crontab, processes.
        .target(
            name: "OverlayRuntime",
            dependencies: [
                "OverlayCore", "CSpawn",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // posix_spawn in a new session with no inherited descriptors (needs _GNU_SOURCE).
        .target(name: "CSpawn"),
        // Debian's libyaml (libyaml-dev), used through our own located composer.
        .systemLibrary(
            name: "CLibYAML", pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]),
        // What several test targets share (the real-crontab session and its lock).
        .target(name: "TestSupport", dependencies: ["OverlayRuntime"], path: "Tests/TestSupport"),
        .testTarget(name: "OverlayCoreTests", dependencies: ["OverlayCore"]),
        .testTarget(name: "OverlayRuntimeTests", dependencies: ["OverlayRuntime", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["overlay", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
