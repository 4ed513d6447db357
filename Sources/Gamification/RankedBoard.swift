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
/// at most ``blockCapacity`` entries, with a Fenwick tree over the blocks' sizes.
///
/// - Rank ("how many are ahead of this key"): a binary search over the blocks' first keys (a
///   small array that stays in cache), a prefix sum of block sizes (O(log n)) and a count
///   inside one block.
/// - Insert and remove: the same search, then moving at most one block's entries (a constant:
///   ``blockCapacity``), and an O(log n) Fenwick update. A full block splits in two; an empty
///   one goes. Both rebuild the Fenwick tree, once every few dozen changes at most.
///
/// Memory layout, chosen because an operation at 650,000 members is bound by cache misses:
/// every block lives in the same two flat arrays (packed keys and values: structure of
/// arrays), at a fixed stride, so a block is no separate heap object and its packed keys
/// (``RankKey/packed``) are 1 KiB of contiguous words. The board keeps no full tie-breaks:
/// the caller holds them, one per value, and passes them in (`ties[value]`); they are read
/// only when two packed words are equal, which is rare. `order` maps a block's place in rank
/// order to its storage, so a split appends storage rather than moving other blocks.
struct RankedBoard: Sendable {
    /// The most entries a block holds.
    static let blockCapacity = 128

    /// The period whose points the board ranks.
    let period: LeaderboardPeriod

    /// Storage: block `p` holds its entries, best first, at `p * blockCapacity ..<` that plus
    /// its size.
    private var keys: [UInt64] = []
    private var values: [Int32] = []
    /// Storage blocks no longer in use, for reuse.
    private var freeBlocks: [Int32] = []
    /// Per block, in rank order: its storage block, first key and size.
    private var order: [Int32] = []
    private var firsts: [RankKey] = []
    private var blockSizes: [Int32] = []
    /// Fenwick tree (1-based) over `blockSizes`.
    private var fenwick: [Int] = [0]
    private(set) var count = 0

    init(period: LeaderboardPeriod = .allTime) { self.period = period }

    /// Adds an entry. The caller keeps keys and values unique, and `ties[value]` is `key.tie`.
    mutating func insert(_ key: RankKey, value: Int32, ties: [UInt64]) {
        if order.isEmpty {
            order = [allocateBlock()]
            firsts = [key]
            blockSizes = [0]
            rebuildFenwick()
        }
        var block = self.block(for: key)
        var index = position(of: key, inBlock: block, ties: ties)
        if Int(blockSizes[block]) == Self.blockCapacity {
            let half = Self.blockCapacity / 2
            split(block, at: half, ties: ties)
            if index > half {
                block += 1
                index -= half
            }
        }
        let base = Int(order[block]) * Self.blockCapacity
        let size = Int(blockSizes[block])
        shift(from: base + index, count: size - index, by: 1)
        keys[base + index] = key.packed
        values[base + index] = value
        if index == 0 { firsts[block] = key }
        blockSizes[block] += 1
        addToFenwick(1, at: block)
        count += 1
    }

    /// Removes the entry with `key` and `value`; false when there is none.
    @discardableResult
    mutating func remove(_ key: RankKey, value: Int32, ties: [UInt64]) -> Bool {
        guard !order.isEmpty else { return false }
        let block = self.block(for: key)
        let index = position(of: key, inBlock: block, ties: ties)
        let base = Int(order[block]) * Self.blockCapacity
        let size = Int(blockSizes[block])
        guard index < size, keys[base + index] == key.packed, values[base + index] == value else { return false }
        shift(from: base + index + 1, count: size - index - 1, by: -1)
        count -= 1
        blockSizes[block] -= 1
        if blockSizes[block] == 0 {
            freeBlocks.append(order[block])
            order.remove(at: block)
            firsts.remove(at: block)
            blockSizes.remove(at: block)
            rebuildFenwick()
        } else {
            if index == 0 { firsts[block] = Self.key(packed: keys[base], tie: ties[Int(values[base])]) }
            addToFenwick(-1, at: block)
        }
        return true
    }

    /// How many entries rank ahead of `key` (whether or not `key` is on the board).
    func countAhead(of key: RankKey, ties: [UInt64]) -> Int {
        guard !order.isEmpty else { return 0 }
        let block = self.block(for: key)
        return prefix(block) + position(of: key, inBlock: block, ties: ties)
    }

    /// The first `limit` entries, best first.
    func first(_ limit: Int, ties: [UInt64]) -> [(key: RankKey, value: Int32)] {
        var result: [(key: RankKey, value: Int32)] = []
        result.reserveCapacity(min(limit, count))
        for (block, storage) in order.enumerated() {
            let base = Int(storage) * Self.blockCapacity
            for slot in base..<base + Int(blockSizes[block]) {
                guard result.count < limit else { return result }
                result.append((Self.key(packed: keys[slot], tie: ties[Int(values[slot])]), values[slot]))
            }
        }
        return result
    }

    /// The block where `key` is or would go: the last whose first key does not rank behind it.
    private func block(for key: RankKey) -> Int {
        var low = 0
        var high = firsts.count
        while low < high {
            let middle = (low + high) / 2
            if key.isAhead(of: firsts[middle]) { high = middle } else { low = middle + 1 }
        }
        return max(0, low - 1)
    }

    /// The key whose packed word and tie these are.
    private static func key(packed: UInt64, tie: UInt64) -> RankKey {
        RankKey(score: Int64(packed >> 32) + Int64(Int32.min), tie: tie)
    }

    /// The number of entries of `block` that rank ahead of `key`: those with a larger packed
    /// word, found by binary search, then those with the same word and a lower tie.
    private func position(of key: RankKey, inBlock block: Int, ties: [UInt64]) -> Int {
        let base = Int(order[block]) * Self.blockCapacity
        let size = Int(blockSizes[block])
        let packed = key.packed
        return keys.withUnsafeBufferPointer { keys in
            let block = UnsafeBufferPointer(rebasing: keys[base..<base + size])
            var ahead = 0
            var length = block.count
            while length > 0 {
                let half = length / 2
                if block[ahead + half] > packed {
                    ahead += half + 1
                    length -= half + 1
                } else {
                    length = half
                }
            }
            while ahead < size, block[ahead] == packed, ties[Int(values[base + ahead])] < key.tie { ahead += 1 }
            return ahead
        }
    }

    /// Moves `count` entries starting at storage index `start` by `offset` places (±1), within
    /// one block.
    private mutating func shift(from start: Int, count: Int, by offset: Int) {
        guard count > 0 else { return }
        Self.move(&keys, from: start, count: count, by: offset)
        Self.move(&values, from: start, count: count, by: offset)
    }

    private static func move<Element: BitwiseCopyable>(
        _ array: inout [Element], from start: Int, count: Int, by offset: Int
    ) {
        array.withUnsafeMutableBufferPointer { buffer in
            let base = UnsafeMutableRawPointer(buffer.baseAddress!)
            let stride = MemoryLayout<Element>.stride
            (base + (start + offset) * stride).copyMemory(from: base + start * stride, byteCount: count * stride)
        }
    }

    /// Moves the entries of `block` from `index` on into a new block right after it.
    private mutating func split(_ block: Int, at index: Int, ties: [UInt64]) {
        let storage = allocateBlock()
        let source = Int(order[block]) * Self.blockCapacity
        let target = Int(storage) * Self.blockCapacity
        let moving = Int(blockSizes[block]) - index
        for offset in 0..<moving {
            keys[target + offset] = keys[source + index + offset]
            values[target + offset] = values[source + index + offset]
        }
        order.insert(storage, at: block + 1)
        firsts.insert(Self.key(packed: keys[target], tie: ties[Int(values[target])]), at: block + 1)
        blockSizes[block] = Int32(index)
        blockSizes.insert(Int32(moving), at: block + 1)
        rebuildFenwick()
    }

    private mutating func allocateBlock() -> Int32 {
        if let reused = freeBlocks.popLast() { return reused }
        let storage = Int32(keys.count / Self.blockCapacity)
        keys.append(contentsOf: repeatElement(0, count: Self.blockCapacity))
        values.append(contentsOf: repeatElement(0, count: Self.blockCapacity))
        return storage
    }

    /// The total size of the blocks before `block`.
    private func prefix(_ block: Int) -> Int {
        var total = 0
        var index = block
        while index > 0 {
            total += fenwick[index]
            index &= index - 1
        }
        return total
    }

    private mutating func addToFenwick(_ delta: Int, at block: Int) {
        var index = block + 1
        while index < fenwick.count {
            fenwick[index] += delta
            index += index & -index
        }
    }

    private mutating func rebuildFenwick() {
        fenwick.removeAll(keepingCapacity: true)
        fenwick.append(0)
        for size in blockSizes { fenwick.append(Int(size)) }
        for index in 1..<max(1, fenwick.count) {
            let parent = index + (index & -index)
            if parent < fenwick.count { fenwick[parent] += fenwick[index] }
        }
    }
}
