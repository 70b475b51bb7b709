import Foundation
import Testing

@testable import OverlayCore

/// The composer's shared entry buffer: tails move out intact, and whatever is left when a
/// parse stops half-way (a syntax error) is destroyed exactly once.
@Suite struct TailBufferTests {
    /// Counts live instances, so a leak or a double destroy shows.
    final class Tracked {
        nonisolated(unsafe) static var live = 0
        let id: Int
        init(_ id: Int) {
            self.id = id
            Tracked.live += 1
        }
        deinit { Tracked.live -= 1 }
    }

    @Test func tailsMoveOutInOrderAndLeftoversAreFreed() {
        Tracked.live = 0
        do {
            let buffer = TailBuffer<Tracked>(capacity: 2)
            for i in 0..<100 { buffer.append(Tracked(i)) }  // grows past its capacity several times
            let tail = buffer.takeTail(from: 60)
            #expect(tail.map(\.id) == Array(60..<100))
            #expect(buffer.count == 60)
            #expect(buffer.takeTail(from: 60).isEmpty)
            buffer[3] = Tracked(1000)
            #expect(buffer[3].id == 1000 && buffer[4].id == 4)
            #expect(Tracked.live == 100)  // 60 left in the buffer and 40 in `tail`
            // A parse that stops here leaves 60 entries behind: the buffer frees them.
        }
        #expect(Tracked.live == 0)
    }

    @Test func nestedCollectionsComposeFromOneBuffer() throws {
        let text = "a:\n  - [1, 2, {x: [3, 4]}]\n  - {y: 5, z: [6]}\nb: [7]\n"
        let doc = DocumentLoader().parse(data: Data(text.utf8), path: "t.yaml", format: .yaml)
        let root = try #require(doc.root)
        #expect(root.pairs?.map { $0.key.scalarText } == ["a", "b"])
        let a = try #require(root["a"]?.items)
        #expect(a.count == 2)
        #expect(a[0].items?.count == 3)
        #expect(a[0].items?[2]["x"]?.items?.compactMap(\.scalarText) == ["3", "4"])
        #expect(a[1]["z"]?.items?.first?.scalarText == "6")
        #expect(a[1]["z"]?.items?.first?.mark == Mark(line: 3, column: 16))
        #expect(root["b"]?.items?.compactMap(\.scalarText) == ["7"])
    }
}
