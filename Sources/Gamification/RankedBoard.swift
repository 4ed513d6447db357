/// The position of an entry on a ranked board: a higher score ranks ahead; equal scores are
/// ordered by `tie`, lower first.
///
/// Scores saturate at the bounds of `Int32`: a board orders two scores beyond 2,147,483,647
/// points by their tie-break alone (the daily cap puts that bound millions of years away).
/// The saturation lets a board compare one 64-bit word per entry, see ``RankedBoard``.
struct RankKey: Hashable, Sendable {
    let score: Int64
    let tie: UInt64

    init(score: Int64, tie: UInt64) {
        self.score = min(max(score, Int64(Int32.min)), Int64(Int32.max))
        self.tie = tie
    }

    /// The key's order as one word: larger ranks ahead, and equal words need the full tie.
    /// The saturated score, offset to be unsigned, above the complement of the tie's high half.
    @inline(__always)
    var packed: UInt64 {
        UInt64(score - Int64(Int32.min)) << 32 | UInt64(~UInt32(truncatingIfNeeded: tie >> 32))
    }

    /// True when `self` ranks ahead of `other`.
    @inline(__always)
    func isAhead(of other: RankKey) -> Bool {
        score != other.score ? score > other.score : tie < other.tie
    }
}

/// An order-statistic list for leaderboards: entries in rank order, cut into sorted blocks of
/// at most ``blockCapacity`` entries. The blocks' sizes are summed per group of
/// ``groupWidth`` blocks, with a Fenwick tree over the groups' sums.
///
/// - Rank ("how many are ahead of this key"): a binary search over the blocks' first keys (a
///   small array that stays in cache), the sum of the groups before (O(log n) in the Fenwick
///   tree) and of the blocks before in the group (at most ``groupWidth``: a constant), and a
///   count inside one block.
/// - Insert and remove: the same search, then moving at most one block's entries (a constant:
///   ``blockCapacity``), and an O(log n) Fenwick update. A full block splits in two; an empty
///   one goes. Every later block then moves one place, so each later group gains one block at
///   one edge and loses one at the other: O(n / (``blockCapacity`` × ``groupWidth``)) sums to
///   correct, once every few dozen changes at most.
///
/// Memory layout, chosen because an operation at 650,000 members is bound by cache misses:
/// every block lives in one flat array at a fixed stride, each entry its packed key
/// (``RankKey/packed``) beside its value, so a block is no separate heap object and the entry
/// an operation looks for shares a cache line with its value. Inside a block the search starts
/// where the key falls between the block's first key and the next block's (tie-breaks are
/// uniform digests, so that guess is usually within a few entries) and gallops from there:
/// one or two cache lines of the block are read where a binary search reads five. The board
/// keeps no full tie-breaks: the caller holds them, one per value, and passes them in
/// (`ties[value]`); they are read only when two packed words are equal, which is rare. `order`
/// maps a block's place in rank order to its storage, so a split appends storage rather than
/// moving other blocks.
struct RankedBoard: Sendable {
    /// The most entries a block holds.
    static let blockCapacity = 128
    /// Blocks per group of ``groupSizes``.
    static let groupWidth = 64

    /// One place on the board: the packed key and the value it belongs to.
    struct Entry: Sendable {
        var key: UInt64
        var value: Int32
    }

    /// The period whose points the board ranks.
    let period: LeaderboardPeriod

    /// Storage: block `p` holds its entries, best first, at `p * blockCapacity ..<` that plus
    /// its size.
    private var storage: [Entry] = []
    /// Storage blocks no longer in use, for reuse.
    private var freeBlocks: [Int32] = []
    /// Per block, in rank order: its storage block, first key (packed, and its tie) and size.
    private var order: [Int32] = []
    private var firsts: [UInt64] = []
    private var firstTies: [UInt64] = []
    private var sizes: [Int32] = []
    /// The sum of `sizes` per group of `groupWidth` blocks in rank order, and a Fenwick tree
    /// (1-based) over these sums.
    private var groupSizes: [Int] = []
    private var fenwick: [Int] = [0]
    private(set) var count = 0

    init(period: LeaderboardPeriod = .allTime) { self.period = period }

    /// Adds an entry. The caller keeps keys and values unique, and `ties[value]` is `key.tie`.
    mutating func insert(_ key: RankKey, value: Int32, ties: [UInt64]) {
        if order.isEmpty {
            order = [allocateBlock()]
            firsts = [key.packed]
            firstTies = [key.tie]
            sizes = [0]
            regroup(at: 0, blockInserted: true)
        }
        var block = self.block(for: key)
        var index = position(of: key, value: nil, inBlock: block, ties: ties)
        if Int(sizes[block]) == Self.blockCapacity {
            let half = Self.blockCapacity / 2
            split(block, at: half, ties: ties)
            if index > half {
                block += 1
                index -= half
            }
        }
        let base = Int(order[block]) * Self.blockCapacity
        let size = Int(sizes[block])
        shift(from: base + index, count: size - index, by: 1)
        storage[base + index] = Entry(key: key.packed, value: value)
        if index == 0 {
            setFirst(of: block, packed: key.packed, tie: key.tie)
        }
        sizes[block] += 1
        addToGroup(1, of: block)
        count += 1
    }

    /// Removes the entry with `key` and `value`; false when there is none.
    @discardableResult
    mutating func remove(_ key: RankKey, value: Int32, ties: [UInt64]) -> Bool {
        guard !order.isEmpty else { return false }
        let block = self.block(for: key)
        let index = position(of: key, value: value, inBlock: block, ties: ties)
        let base = Int(order[block]) * Self.blockCapacity
        let size = Int(sizes[block])
        guard index < size, storage[base + index].key == key.packed, storage[base + index].value == value else {
            return false
        }
        shift(from: base + index + 1, count: size - index - 1, by: -1)
        count -= 1
        sizes[block] -= 1
        if sizes[block] == 0 {
            freeBlocks.append(order[block])
            order.remove(at: block)
            firsts.remove(at: block)
            firstTies.remove(at: block)
            sizes.remove(at: block)
            regroup(at: block, blockInserted: false)
        } else {
            if index == 0 { setFirst(of: block, packed: storage[base].key, tie: ties[Int(storage[base].value)]) }
            addToGroup(-1, of: block)
        }
        return true
    }

    /// How many entries rank ahead of `key` (whether or not `key` is on the board). Give the
    /// `value` of a key that is on the board: its own entry is then recognised without reading
    /// its tie.
    func countAhead(of key: RankKey, value: Int32? = nil, ties: [UInt64]) -> Int {
        guard !order.isEmpty else { return 0 }
        let block = self.block(for: key)
        return prefix(block) + position(of: key, value: value, inBlock: block, ties: ties)
    }

    /// The first `limit` entries, best first.
    func first(_ limit: Int, ties: [UInt64]) -> [(key: RankKey, value: Int32)] {
        var result: [(key: RankKey, value: Int32)] = []
        result.reserveCapacity(min(limit, count))
        for (block, place) in order.enumerated() {
            let base = Int(place) * Self.blockCapacity
            for entry in storage[base..<base + Int(sizes[block])] {
                guard result.count < limit else { return result }
                result.append((Self.key(packed: entry.key, tie: ties[Int(entry.value)]), entry.value))
            }
        }
        return result
    }

    /// The block where `key` is or would go: the last whose first key does not rank behind it.
    private func block(for key: RankKey) -> Int {
        let packed = key.packed
        return firsts.withUnsafeBufferPointer { firsts in
            var low = 0
            var length = firsts.count
            while length > 0 {
                let half = length / 2
                let first = firsts[low + half]
                if first > packed || (first == packed && firstTies[low + half] <= key.tie) {
                    low += half + 1
                    length -= half + 1
                } else {
                    length = half
                }
            }
            return max(0, low - 1)
        }
    }

    /// Sets the first key of `block`.
    private mutating func setFirst(of block: Int, packed: UInt64, tie: UInt64) {
        firsts[block] = packed
        firstTies[block] = tie
    }

    /// The key whose packed word and tie these are.
    private static func key(packed: UInt64, tie: UInt64) -> RankKey {
        RankKey(score: Int64(packed >> 32) + Int64(Int32.min), tie: tie)
    }

    /// The number of entries of `block` that rank ahead of `key`: those with a larger packed
    /// word, then those with the same word and a lower tie (the entry with `value` is the key's
    /// own, and is not ahead of it).
    private func position(of key: RankKey, value: Int32?, inBlock block: Int, ties: [UInt64]) -> Int {
        let base = Int(order[block]) * Self.blockCapacity
        let size = Int(sizes[block])
        let packed = key.packed
        let upper = firsts[block]
        let lower = block + 1 < firsts.count ? firsts[block + 1] : 0
        return storage.withUnsafeBufferPointer { storage in
            let entries = UnsafeBufferPointer(rebasing: storage[base..<base + size])
            var ahead = Self.countGreater(than: packed, in: entries, between: lower, and: upper)
            while ahead < size, entries[ahead].key == packed, entries[ahead].value != value,
                ties[Int(entries[ahead].value)] < key.tie
            {
                ahead += 1
            }
            return ahead
        }
    }

    /// The number of `entries` (sorted by key, largest first, all within `lower...upper`)
    /// whose key is larger than `packed`: a guess by where `packed` falls between the bounds,
    /// then a gallop from the guess and a binary search of the stretch it brackets. At most
    /// about twice a binary search's comparisons, and one or two when the guess is close.
    @inline(__always)
    static func countGreater(
        than packed: UInt64, in entries: UnsafeBufferPointer<Entry>, between lower: UInt64, and upper: UInt64
    ) -> Int {
        let size = entries.count
        guard size > 0, packed <= upper else { return 0 }
        let guess = Self.guess(packed, size: size, between: lower, and: upper)
        // The answer is the first index whose key is not larger than `packed` (or `size`).
        var low: Int
        var high: Int
        if entries[guess].key > packed {
            low = guess + 1
            high = low
            var step = 1
            while high < size, entries[high].key > packed {
                low = high + 1
                high += step
                step &<<= 1
            }
            high = min(high, size)
        } else {
            high = guess
            var probe = guess - 1
            var step = 1
            while probe >= 0, entries[probe].key <= packed {
                high = probe
                probe -= step
                step &<<= 1
            }
            low = max(probe + 1, 0)
        }
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].key > packed { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Where in a block of `size` entries between `lower` and `upper` the key `packed` would
    /// be if the keys were spread evenly: an index below `size` (when `size` > 0).
    @inline(__always)
    private static func guess(_ packed: UInt64, size: Int, between lower: UInt64, and upper: UInt64) -> Int {
        guard upper > lower, packed <= upper else { return 0 }
        let fraction = Double(upper - max(packed, lower)) / Double(upper - lower)
        return max(0, min(size - 1, Int(fraction * Double(size))))
    }

    /// Moves `count` entries starting at storage index `start` by `offset` places (±1), within
    /// one block.
    private mutating func shift(from start: Int, count: Int, by offset: Int) {
        guard count > 0 else { return }
        storage.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            (base + start + offset).update(from: base + start, count: count)
        }
    }

    /// Moves the entries of `block` from `index` on into a new block right after it.
    private mutating func split(_ block: Int, at index: Int, ties: [UInt64]) {
        let place = allocateBlock()
        let source = Int(order[block]) * Self.blockCapacity
        let target = Int(place) * Self.blockCapacity
        let moving = Int(sizes[block]) - index
        for offset in 0..<moving { storage[target + offset] = storage[source + index + offset] }
        order.insert(place, at: block + 1)
        firsts.insert(storage[target].key, at: block + 1)
        firstTies.insert(ties[Int(storage[target].value)], at: block + 1)
        sizes[block] = Int32(index)
        sizes.insert(Int32(moving), at: block + 1)
        regroup(at: block + 1, blockInserted: true)
    }

    private mutating func allocateBlock() -> Int32 {
        if let reused = freeBlocks.popLast() { return reused }
        let place = Int32(storage.count / Self.blockCapacity)
        storage.append(contentsOf: repeatElement(Entry(key: 0, value: 0), count: Self.blockCapacity))
        return place
    }

    /// The total size of the blocks before `block`.
    private func prefix(_ block: Int) -> Int {
        let group = block / Self.groupWidth
        var total = 0
        var node = group
        while node > 0 {
            total += fenwick[node]
            node &= node - 1
        }
        for size in sizes[group * Self.groupWidth..<block] { total += Int(size) }
        return total
    }

    /// Adds `delta` to the size of `block`'s group (the block's own size is already changed).
    private mutating func addToGroup(_ delta: Int, of block: Int) {
        let group = block / Self.groupWidth
        groupSizes[group] += delta
        var node = group + 1
        while node < fenwick.count {
            fenwick[node] += delta
            node += node & -node
        }
    }

    /// Corrects the group sums and the Fenwick tree after a block was inserted at `position`
    /// or removed from it (`sizes` already changed). The blocks of every later group moved one
    /// place: such a group gained the block now at one edge and lost the one beyond the other.
    /// The group of `position` is summed again.
    private mutating func regroup(at position: Int, blockInserted: Bool) {
        let width = Self.groupWidth
        let changed = position / width
        let groups = (sizes.count + width - 1) / width
        let shifted = changed + 1..<max(changed + 1, min(groups, groupSizes.count))
        for group in shifted {
            let (start, end) = (group * width, (group + 1) * width)
            if blockInserted {
                groupSizes[group] += Int(sizes[start]) - (end < sizes.count ? Int(sizes[end]) : 0)
            } else {
                groupSizes[group] += (end - 1 < sizes.count ? Int(sizes[end - 1]) : 0) - Int(sizes[start - 1])
            }
        }
        groupSizes.removeLast(max(0, groupSizes.count - groups))
        while groupSizes.count < groups {
            let start = groupSizes.count * width
            groupSizes.append(sizes[start..<min(sizes.count, start + width)].reduce(0) { $0 + Int($1) })
        }
        if changed < groups {
            let start = changed * width
            groupSizes[changed] = sizes[start..<min(sizes.count, start + width)].reduce(0) { $0 + Int($1) }
        }
        rebuildFenwick(from: changed)
    }

    /// Recomputes the Fenwick tree's nodes from the one of `group` on. The nodes before cover
    /// earlier groups only and stay. A node is its group's sum plus its children, which come
    /// before it: O(changed nodes) in all.
    private mutating func rebuildFenwick(from group: Int) {
        let count = groupSizes.count
        if fenwick.count > count + 1 { fenwick.removeLast(fenwick.count - count - 1) }
        while fenwick.count < count + 1 { fenwick.append(0) }
        var node = group + 1
        while node <= count {
            var total = groupSizes[node - 1]
            let span = node & -node
            var child = 1
            while child < span {
                total += fenwick[node - child]
                child <<= 1
            }
            fenwick[node] = total
            node += 1
        }
    }
}
