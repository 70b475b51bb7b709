import ArgumentParser
import Foundation
import OverlayCore

/// `overlay inventory`: show the inventory like ansible-inventory.
///
/// `--list` and `--host` print exactly ansible-inventory's JSON (no `ok` key: its
/// top-level keys are group names), whatever `--format` says; see docs/inventory.md.
struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Show the inventory like ansible-inventory.",
        discussion: "Exactly one of --list, --host NAME or --graph [GROUP].")

    @OptionGroup var global: GlobalOptions

    @Option(name: [.customShort("i"), .customLong("inventory")], help: "Inventory file (default: <root>/inventory/hosts.yml).")
    var inventory: String?

    @Flag(help: "Print every host's variables and every group, as ansible-inventory --list does.")
    var list = false

    @Option(help: "Print one host's variables, as ansible-inventory --host does.")
    var host: String?

    @Flag(help: "Print the tree of groups and hosts, as ansible-inventory --graph does.")
    var graph = false

    @Argument(help: "With --graph: the group to start from (default: all).")
    var group: String?

    func validate() throws {
        try global.requireTextOrJSON()
        let modes = [list, host != nil, graph].filter { $0 }.count
        if modes != 1 { throw ValidationError("give exactly one of --list, --host NAME or --graph") }
        if group != nil && !graph { throw ValidationError("a GROUP argument is only accepted with --graph") }
    }

    func run() throws {
        let inv = try loadInventory()
        let listing = InventoryListing(inv)
        if list {
            // Written piece by piece: the hosts' JSON is megabytes, not worth joining first.
            listing.writeListJSON { Output.raw($0) }
            Output.raw("\n")
            // Done: exiting here spares tearing the inventory down object by object, which
            // for thousands of hosts costs more than printing them; the OS frees it at once.
            Foundation.exit(0)
        } else if let host {
            guard let json = listing.hostJSON(host) else {
                let hint = Suggest.closest(host, in: inv.hostNames).map { " — did you mean '\($0)'?" } ?? ""
                throw CommandFailure(description: "host '\(host)' is not in \(inv.file)\(hint)")
            }
            Output.raw(json + "\n")
        } else {
            let start = group ?? "all"
            guard let text = listing.graph(from: start), let tree = listing.graphTree(from: start) else {
                let hint = Suggest.closest(start, in: inv.groupNames).map { " — did you mean '\($0)'?" } ?? ""
                throw CommandFailure(description: "group '\(start)' is not in \(inv.file)\(hint)")
            }
            if global.format == .json {
                Output.raw(JSONWriter.string(.object([("ok", .bool(true)), ("graph", tree)]), pretty: true) + "\n")
            } else {
                Output.line(text)
            }
        }
    }

    /// Reads the inventory; errors are printed with their locations and end the command with exit 1.
    private func loadInventory() throws -> Inventory {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var reported = inventory ?? Inventory.defaultPath
        var url =
            inventory.map { URL(fileURLWithPath: $0, relativeTo: cwd) } ?? global.rootURL.appendingPathComponent(Inventory.defaultPath)
        if inventory == nil, !FileManager.default.fileExists(atPath: url.path) {
            for alt in Inventory.repoPaths.dropFirst()
            where FileManager.default.fileExists(atPath: global.rootURL.appendingPathComponent(alt).path) {
                url = global.rootURL.appendingPathComponent(alt)
                reported = alt
            }
        }
        if inventory == nil, global.root != "." { reported = global.root + "/" + reported }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else {
            throw CommandFailure(
                description: "inventory file \(reported) not found; pass -i FILE or run from the overlay repo (--root DIR)")
        }
        if isDir.boolValue {
            throw CommandFailure(description: "\(reported) is a folder; pass the inventory file itself (-i \(reported)/hosts.yml)")
        }
        let (inv, read) = Inventory.load(file: url.standardizedFileURL, reportedAs: reported)
        let diagnostics = Inventory.asAnsibleReadsThem(read)
        if !global.quiet || diagnostics.errorCount > 0 {
            for d in diagnostics where !global.quiet || d.severity == .error { Output.log(d.description) }
        }
        guard let inv, diagnostics.errorCount == 0 else {
            let e = diagnostics.errorCount
            throw CommandFailure(description: "\(reported) has \(e) error\(e == 1 ? "" : "s"); fix them and run again")
        }
        return inv
    }
}
