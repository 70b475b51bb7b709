import Foundation

@testable import OverlayCore

/// Builds inventories from inline YAML, as `inventory/hosts.yml` plus vars files.
enum InventoryFixture {
    /// The inventory of `yaml` with `files` (paths under `inventory/`, e.g. `group_vars/all.yml`).
    static func make(_ yaml: String, files: [String: String] = [:]) throws -> Inventory {
        let loader = DocumentLoader()
        let doc = loader.parse(data: Data(yaml.utf8), path: Inventory.defaultPath)
        guard let root = doc.root else { throw Unparsed(diagnostics: doc.diagnostics) }
        var vars: [String: Document?] = [:]
        for (rel, text) in files {
            vars[rel] = .some(
                Document.format(of: rel) == .text ? nil : loader.parse(data: Data(text.utf8), path: "inventory/" + rel))
        }
        // Files without a vars extension are read on demand, as YAML, like the repo does.
        let onDemand = VarsFiles(prefix: "inventory/", files: vars) { rel in
            files[rel].map { loader.parse(data: Data($0.utf8), path: "inventory/" + rel, format: .yaml) }
        }
        return Inventory(root: root, file: Inventory.defaultPath, varsFiles: onDemand)
    }

    struct Unparsed: Error {
        var diagnostics: [Diagnostic]
    }

    /// A repo on disk with these files, validated by the standard checks.
    static func validate(_ files: [String: String]) throws -> [Diagnostic] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-inv-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return Validator().validate(root: root).diagnostics
    }
}

extension Value {
    /// The string items of an array value.
    var strings: [String] {
        guard case .array(let items) = self else { return [] }
        return items.compactMap(\.stringValue)
    }
}
