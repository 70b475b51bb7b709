import Foundation
import OverlayCore

/// The handlers a switch owes, recorded durably before the switch and cleared once they ran:
/// `<state>/handlers-owed.json`.
///
/// Without it, a run killed between its switch and its handlers leaves the new configuration
/// live and the agent never restarted, and nothing says so: the next apply sees no change.
/// With it, the next apply, converge or rollback runs what is owed (once; with the golden
/// state's current definition of a handler of that name when there still is one, else as
/// recorded) and `status` lists it.
///
/// An entry recorded for a switch to generation N is owed only once N went live (`current`
/// is N); one carried over from an earlier run is owed already (`confirmed`). So a run that
/// stops before its switch leaves no debt behind, and one that stops after it does.
public struct HandlerJournal: Codable, Sendable, Equatable {
    /// One handler and the switch it is owed for.
    public struct Entry: Codable, Sendable, Equatable {
        public var handler: Generation.Handler
        /// The generation whose switch (or whose run, when nothing switched) makes it owed.
        public var generation: Int?
        /// True when an earlier run's switch already happened: owed whatever `current` is.
        public var confirmed: Bool
    }

    public var entries: [Entry] = []

    static let fileName = "handlers-owed.json"

    static func path(_ state: StateDirectory) -> String { state.path + "/" + fileName }

    /// The journal of `state` (empty when there is none).
    public static func load(_ state: StateDirectory) throws(ApplyError) -> HandlerJournal {
        let path = Self.path(state)
        guard (try? POSIX.lstatEntry(path)) != .absent else { return HandlerJournal() }
        let data = try POSIX.readFile(path)
        do { return try JSONDecoder().decode(HandlerJournal.self, from: data) } catch {
            throw .corruptState(path: path, reason: "not a handler journal")
        }
    }

    /// The handlers owed now that `live` is the live generation, one per name, in journal order.
    public func owed(live: Int?) -> [Generation.Handler] {
        var out: [Generation.Handler] = []
        for entry in entries where entry.confirmed || entry.generation == live {
            if let i = out.firstIndex(where: { $0.name == entry.handler.name }) { out.remove(at: i) }
            out.append(entry.handler)
        }
        return out
    }

    /// The owed handlers of `state` (what `status` reports).
    public static func owed(_ state: StateDirectory) throws(ApplyError) -> [Generation.Handler] {
        try load(state).owed(live: AtomicSwitch.current(in: state))
    }

    /// A journal of `owed` (already due) and `due` (owed once `generation` is live).
    init(owed: [Generation.Handler], due: [Generation.Handler], generation: Int?) {
        entries = owed.map { Entry(handler: $0, generation: nil, confirmed: true) }
        entries += due.map { Entry(handler: $0, generation: generation, confirmed: false) }
    }

    init() {}

    /// Writes the journal durably, or removes the file when nothing is in it.
    func save(_ state: StateDirectory) throws(ApplyError) {
        guard !entries.isEmpty else { return try Self.clear(state) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try encoder.encode(self) } catch { throw .corruptState(path: Self.path(state), reason: "\(error)") }
        try DurableFile.replace(Self.path(state), with: data, mode: 0o600)
    }

    /// Removes the journal: everything in it ran.
    static func clear(_ state: StateDirectory) throws(ApplyError) {
        let path = path(state)
        if (try? POSIX.lstatEntry(path)) == .absent { return }
        try POSIX.unlinkIfPresent(path)
    }

    /// The handlers to run: the owed ones first, each with the current definition of a handler of
    /// the same name when the golden state (`current`) still has one, then the due ones not owed.
    static func merge(owed: [RenderedHandler], due: [RenderedHandler], current: [RenderedHandler]) -> [RenderedHandler] {
        let first = owed.map { o in current.first { $0.name == o.name } ?? o }
        return first + due.filter { d in !first.contains { $0.name == d.name } }
    }
}
