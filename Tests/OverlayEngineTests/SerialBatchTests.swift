import Foundation
import OverlayEngine
import Testing

/// `--serial` batches as Ansible's `serial:` makes them, checked against ansible-core itself.
@Suite struct SerialBatchTests {
    @Test func percentagesAndGrowingListsAsAnsible() throws {
        let hosts = (1...20).map { "h\($0)" }
        #expect(try SerialBatches(parsing: "30%").batches(hosts).map(\.count) == [6, 6, 6, 2])
        #expect(try SerialBatches(parsing: "1,10%,50%").batches(hosts).map(\.count) == [1, 2, 10, 7])
        #expect(try SerialBatches(parsing: "3").batches(hosts).map(\.count) == [3, 3, 3, 3, 3, 3, 2])
        #expect(try SerialBatches(parsing: "1%").batches(hosts).map(\.count) == Array(repeating: 1, count: 20))
        #expect(SerialBatches.all.batches(hosts).map(\.count) == [20])
        #expect(try SerialBatches(parsing: "100%").batches(hosts).map(\.count) == [20])
    }

    @Test func zeroNothingAndOverAHundredPercentAreRefused() {
        for bad in ["0", "0%", "101%", "-1", "x", "1,,2", "nan%"] {
            #expect(throws: SerialError.self, "\(bad)") { try SerialBatches(parsing: bad) }
        }
    }

    /// The same specs through ansible-core's own `_get_serialized_batches`.
    @Test func batchSizesEqualAnsibleCores() throws {
        guard let python = Self.ansiblePython() else {
            Issue.record("ansible-core is not importable: run scripts/install-deps.sh")
            return
        }
        let specs = [("30%", 20), ("1,10%,50%", 20), ("2", 7), ("1,5,50%", 33), ("25%", 3), ("1,2,100%", 1000)]
        for (spec, count) in specs {
            let ours = try SerialBatches(parsing: spec).batches(Array(0..<count)).map(\.count)
            #expect(try Self.ansibleBatches(python, spec: spec, hosts: count) == ours, "serial \(spec) over \(count) hosts")
        }
    }

    static func ansiblePython() -> String? {
        for python in ["/usr/bin/env"] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: python)
            p.arguments = ["python3", "-c", "import ansible.executor.playbook_executor"]
            p.standardError = FileHandle.nullDevice
            guard (try? p.run()) != nil else { continue }
            p.waitUntilExit()
            if p.terminationStatus == 0 { return python }
        }
        return nil
    }

    static func ansibleBatches(_ python: String, spec: String, hosts: Int) throws -> [Int] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("serial-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inventory = "all:\n  hosts:\n" + (0..<hosts).map { "    h\($0):\n" }.joined()
        try inventory.write(to: dir.appendingPathComponent("hosts.yml"), atomically: true, encoding: .utf8)
        let serial = spec.split(separator: ",").map { $0.hasSuffix("%") ? "'\($0)'" : String($0) }.joined(separator: ", ")
        let script = """
            import sys
            from ansible.parsing.dataloader import DataLoader
            from ansible.inventory.manager import InventoryManager
            from ansible.vars.manager import VariableManager
            from ansible.playbook.play import Play
            from ansible.executor.playbook_executor import PlaybookExecutor
            loader = DataLoader()
            inventory = InventoryManager(loader=loader, sources=[sys.argv[1]])
            variables = VariableManager(loader=loader, inventory=inventory)
            play = Play.load(dict(hosts='all', serial=[\(serial)], gather_facts=False, tasks=[]), variable_manager=variables, loader=loader)
            executor = PlaybookExecutor.__new__(PlaybookExecutor)
            executor._inventory = inventory
            print(','.join(str(len(b)) for b in executor._get_serialized_batches(play)))
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["python3", "-c", script, dir.appendingPathComponent("hosts.yml").path]
        var env = ProcessInfo.processInfo.environment
        env["ANSIBLE_INVENTORY_ENABLED"] = "yaml"
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.split(separator: ",").compactMap { Int($0) }
    }
}
