import Foundation
import OverlayCore

/// One host's part of an install of many blocks into one crontab.
public struct CrontabInstall: Sendable {
    /// The host whose block this is.
    public var host: String
    /// The jobs its block must hold.
    public var jobs: [RenderedCronJob]
    /// Asked under the crontab's lock: false when the host's block must be left as it is (a
    /// newer run of the host made another generation live and installs that one's jobs).
    public var stillWanted: @Sendable () -> Bool

    public init(host: String, jobs: [RenderedCronJob], stillWanted: @escaping @Sendable () -> Bool = { true }) {
        self.host = host
        self.jobs = jobs
        self.stillWanted = stillWanted
    }
}

extension ManagedCrontab {
    /// What one host's part of `install(many:)` did: its change, nil when it was left alone.
    public typealias ManyResult = Result<CrontabChange?, CrontabError>

    /// Makes each host's block hold its jobs with one lock, one read and at most one write of the
    /// crontab, instead of one each per host; results in the order of `installs`.
    ///
    /// Each host's block ends as `install(jobs:host:)` would leave it. A host whose jobs do not
    /// render fails alone; a crontab that cannot be read or written fails every host.
    public func install(many installs: [CrontabInstall], dryRun: Bool = false) -> [ManyResult] {
        var results = [ManyResult](repeating: .success(nil), count: installs.count)
        var declared: [Int: CrontabBlock] = [:]
        for (index, request) in installs.enumerated() {
            do { declared[index] = try declaredBlock(jobs: request.jobs, host: request.host) } catch { results[index] = .failure(error) }
        }
        do throws(CrontabError) {
            try CrontabLock.withLock(target) { () throws(CrontabError) in
                let text = try store.read()
                var newText = text
                var touched: Set<Int> = []
                if var layout = CrontabLayout.parse(text) {
                    for (index, request) in installs.enumerated() {
                        guard let block = declared[index], request.stillWanted() else { continue }
                        let installed = layout.block(of: request.host)
                        results[index] = .success(Self.change(from: installed, to: block))
                        if layout.replace(host: request.host, with: block.entries.isEmpty && installed == nil ? nil : block) {
                            touched.insert(index)
                        }
                    }
                    newText = layout.render()
                } else {
                    // A damaged block somewhere: host by host, so each host meets only its own damage.
                    for (index, request) in installs.enumerated() {
                        guard let block = declared[index], request.stillWanted() else { continue }
                        do throws(CrontabError) {
                            let document = try CrontabDocument.parse(newText, host: request.host)
                            results[index] = .success(Self.change(from: document.block, to: block))
                            let replaced = document.replacingBlock(with: block.entries.isEmpty && document.block == nil ? nil : block)
                            if replaced != newText { touched.insert(index) }
                            newText = replaced
                        } catch {
                            results[index] = .failure(error)
                        }
                    }
                }
                guard newText != text else { return }
                if !dryRun { try store.write(newText) }
                for index in touched {
                    if case .success(var change?) = results[index] {
                        change.written = !dryRun
                        results[index] = .success(change)
                    }
                }
            }
        } catch {
            results = results.map { result in
                if case .failure = result { return result }
                return .failure(error)
            }
        }
        return results
    }
}
