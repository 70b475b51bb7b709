/// One cron field expanded as croniter's `_expand` does it, restricted to the numeric forms
/// the harness lets through (digits, `*`, `-`, `,`, `/`).
struct FieldExpansion {
    /// The field's position (0 minute … 6 year) and how many fields the expression has.
    let index: Int
    let count: Int

    /// The expanded values, and whether a bare `*` was among them (croniter then treats the
    /// whole field as `*`).
    struct Values {
        var set: Set<Int> = []
        var star = false
    }

    private enum Item {
        case text(String)
        case value(Int)
    }

    private var low: Int { HarnessCron.bounds[index].0 }
    private var high: Int { HarnessCron.bounds[index].1 }

    /// croniter's `value_alias`: 0 → 1 in the day and month fields, 7 → 0 in the weekday
    /// field — except where croniter leaves the value alone for this number of fields.
    func alias(_ value: Int) -> Int {
        let excluded: Set<Int> =
            switch count {
            case 5: [2, 3]
            case 6: [3, 4]
            default: [2, 3, 4]
            }
        guard !excluded.contains(index) else { return value }
        switch (index, value) {
        case (2, 0), (3, 0): return 1
        case (4, 7): return 0
        default: return value
        }
    }

    /// The values `text` (lowercased) stands for, or why croniter refuses it.
    func expand(_ text: String) -> Result<Values, Refusal> {
        var items: [Item] = text.split(separator: ",", omittingEmptySubsequences: false).map { .text(String($0)) }
        var out = Values()
        while let item = items.popLast() {
            switch item {
            case .value(let v):
                let value = alias(v)
                guard (low...high).contains(value) else { return .failure(Refusal("\(value) is outside \(low)–\(high)")) }
                out.set.insert(value)
            case .text(let e):
                switch expandItem(e) {
                case .failure(let why): return .failure(why)
                case .success(.none): out.star = true
                case .success(.some(.single(let value))): out.set.insert(value)
                case .success(.some(.range(let values))): items += values.map(Item.value)
                }
            }
        }
        return .success(out)
    }

    private enum Expanded {
        case single(Int)
        case range([Int])
    }

    /// One comma-separated item: nil for `*`, a single value, or a range's values (checked
    /// one by one afterwards, as croniter re-reads them).
    private func expandItem(_ e: String) -> Result<Expanded?, Refusal> {
        var t = e
        if e.hasPrefix("*/") && e.count > 2 { t = "\(low)-\(high)" + e.dropFirst() }
        var match = Self.stepRange(t)
        if match == nil, let slash = e.lastIndex(of: "/"), slash != e.startIndex, e.index(after: slash) != e.endIndex {
            t = String(e[..<slash]) + "-\(high)/" + e[e.index(after: slash)...]
            match = Self.stepRange(t)
        }
        guard let (lowText, highText, stepText) = match else {
            if t.hasPrefix("-") { return .failure(Refusal("negative numbers are not allowed")) }
            if t == "*" { return .success(nil) }
            guard let v = HarnessText.integer(t.unicodeScalars) else {
                return .failure(
                    Refusal(t.isEmpty ? "an empty list item (two commas in a row?)" : "'\(t)' is not a number, a range or a step"))
            }
            let value = alias(v)
            guard (low...high).contains(value) else { return .failure(Refusal("\(value) is outside \(low)–\(high)")) }
            return .success(.single(value))
        }
        guard let a = HarnessText.integer(lowText.unicodeScalars), let b = HarnessText.integer(highText.unicodeScalars) else {
            return .failure(Refusal("'\(lowText)-\(highText)' is not a range of two numbers"))
        }
        guard let step = stepText.map({ HarnessText.integer($0.unicodeScalars) }) ?? 1 else {
            return .failure(Refusal("the step is not a number"))
        }
        let (from, to) = (alias(a), alias(b))
        guard max(from, to) <= high else { return .failure(Refusal("\(max(from, to)) is beyond \(high)")) }
        guard step > 0 else { return .failure(Refusal("a step of 0 never advances; write a step of 1 or more")) }
        return .success(.range(rangeValues(from: from, to: to, step: step)))
    }

    /// croniter's range rules: reversed ranges wrap (with its skip rule), equal ends mean the
    /// whole field, otherwise every `step`-th value.
    private func rangeValues(from: Int, to: Int, step: Int) -> [Int] {
        if from == to { return Array(stride(from: low, through: high, by: step)) }
        if from < to { return Array(stride(from: from, through: to, by: step)) }
        var values = Array(stride(from: from, through: high, by: step))
        var skip = 0
        if let last = values.last {
            let alreadySkipped = high - last
            if (last - low) + step > high - low + 1 && alreadySkipped < step { skip = step - alreadySkipped }
        }
        if low + skip <= to { values += stride(from: low + skip, through: to, by: step) }
        return values
    }

    /// `^([^-]+)-([^-/]+)(/(\d+))?$`: low, high and the optional step's digits.
    static func stepRange(_ t: String) -> (String, String, String?)? {
        guard let dash = t.firstIndex(of: "-"), dash != t.startIndex else { return nil }
        let lowText = String(t[..<dash])
        let rest = t[t.index(after: dash)...]
        let highEnd = rest.firstIndex(where: { $0 == "-" || $0 == "/" }) ?? rest.endIndex
        let highText = String(rest[..<highEnd])
        guard !highText.isEmpty else { return nil }
        let tail = rest[highEnd...]
        if tail.isEmpty { return (lowText, highText, nil) }
        guard tail.first == "/" else { return nil }
        let digits = String(tail.dropFirst())
        guard !digits.isEmpty, digits.unicodeScalars.allSatisfy(HarnessText.isDigit) else { return nil }
        return (lowText, highText, digits)
    }
}
