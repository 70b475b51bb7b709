/// A growable buffer of the composer's open collections, whose tail (a collection that has
/// just ended) is moved out into an array of exactly its count. An `Array` can only copy a
/// slice out and then destroy the originals: a reference count up and down for every
/// string and collection of every entry of the file. Here the entries change owner instead.
final class TailBuffer<Element> {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// Number of elements held.
    private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// The element at `index` (below `count`).
    subscript(index: Int) -> Element {
        get {
            precondition(index >= 0 && index < count, "TailBuffer index out of range")
            return base[index]
        }
        set {
            precondition(index >= 0 && index < count, "TailBuffer index out of range")
            base[index] = newValue
        }
    }

    func append(_ element: Element) {
        if count == capacity {
            let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: base, count: count)
            base.deallocate()
            base = grown
            capacity *= 2
        }
        (base + count).initialize(to: element)
        count += 1
    }

    /// The elements from `start` on, moved into an array; the buffer ends at `start`.
    func takeTail(from start: Int) -> [Element] {
        precondition(start >= 0 && start <= count, "TailBuffer tail out of range")
        let taken = count - start
        let source = base + start
        let tail = [Element](unsafeUninitializedCapacity: taken) { buffer, initialized in
            if taken > 0, let destination = buffer.baseAddress {
                destination.moveInitialize(from: source, count: taken)
                initialized = taken
            } else {
                initialized = 0
            }
        }
        count = start
        return tail
    }
}
