/// The position of an entry on a ranked board: a higher score ranks ahead; equal scores are
/// ordered by `tie`, lower first.
struct RankKey: Hashable, Sendable {
    var score: Int64
    var tie: UInt64

    /// True when `self` ranks ahead of `other`.
    @inline(__always)
    func isAhead(of other: RankKey) -> Bool {
        score != other.score ? score > other.score : tie < other.tie
    }
}

/// An order-statistic list for leaderboards: entries in rank order, cut into sorted blocks of
/// at most ``maximumBlock`` entries, with a Fenwick tree over the blocks' sizes.
///
/// - Rank ("how many are ahead of this key"): a binary search over the blocks' first keys, a
///   prefix sum of block sizes (O(log n)) and a binary search inside one block.
/// - Insert and remove: the same search, then moving at most one block's entries in contiguous
///   memory (a constant: ``maximumBlock``), and an O(log n) Fenwick update. A block that grows
///   past the maximum splits in two; an empty one goes. Both rebuild the Fenwick tree, which
///   happens once every few hundred changes.
///
/// Contiguous blocks replaced a treap: the treap's 48-level walks at 650,000 members missed the
/// cache at every level (see Benchmarks/RESULTS.md).
struct RankedBoard: Sendable {
    struct Entry: Sendable {
        var key: RankKey
        var value: Int32
    }

    static let maximumBlock = 512

    private var blocks: [[Entry]] = []
    /// The first key of each block, for the search.
    private var firsts: [RankKey] = []
    /// Each block's size, contiguous, so a rebuild of the Fenwick tree does not visit the blocks.
    private var blockSizes: [Int] = []
    /// Fenwick tree (1-based) over the blocks' sizes.
    private var sizes: [Int] = [0]
    private(set) var count = 0

    /// Adds an entry. The caller keeps keys unique.
    mutating func insert(_ key: RankKey, value: Int32) {
        count += 1
        guard !blocks.isEmpty else {
            blocks = [[Entry(key: key, value: value)]]
            firsts = [key]
            blockSizes = [1]
            rebuildSizes()
            return
        }
        let block = self.block(for: key)
        let index = Self.position(of: key, in: blocks[block])
        blocks[block].insert(Entry(key: key, value: value), at: index)
        if index == 0 { firsts[block] = key }
        if blocks[block].count > Self.maximumBlock {
            let half = blocks[block].count / 2
            let tail = Array(blocks[block][half...])
            blocks[block].removeSubrange(half...)
            blocks.insert(tail, at: block + 1)
            firsts.insert(tail[0].key, at: block + 1)
            blockSizes[block] = half
            blockSizes.insert(tail.count, at: block + 1)
            rebuildSizes()
        } else {
            blockSizes[block] += 1
            addSize(1, at: block)
        }
    }

    /// Removes the entry with `key`; false when there is none.
    @discardableResult
    mutating func remove(_ key: RankKey) -> Bool {
        guard !blocks.isEmpty else { return false }
        let block = self.block(for: key)
        let index = Self.position(of: key, in: blocks[block])
        guard index < blocks[block].count, blocks[block][index].key == key else { return false }
        count -= 1
        blocks[block].remove(at: index)
        if blocks[block].isEmpty {
            blocks.remove(at: block)
            firsts.remove(at: block)
            blockSizes.remove(at: block)
            rebuildSizes()
        } else {
            if index == 0 { firsts[block] = blocks[block][0].key }
            blockSizes[block] -= 1
            addSize(-1, at: block)
        }
        return true
    }

    /// How many entries rank ahead of `key` (whether or not `key` is on the board).
    func countAhead(of key: RankKey) -> Int {
        guard !blocks.isEmpty else { return 0 }
        let block = self.block(for: key)
        return prefix(block) + Self.position(of: key, in: blocks[block])
    }

    /// The first `limit` entries, best first.
    func first(_ limit: Int) -> [(key: RankKey, value: Int32)] {
        var result: [(key: RankKey, value: Int32)] = []
        result.reserveCapacity(min(limit, count))
        for block in blocks {
            for entry in block {
                guard result.count < limit else { return result }
                result.append((entry.key, entry.value))
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

    /// The number of entries of `block` that rank ahead of `key`.
    private static func position(of key: RankKey, in block: [Entry]) -> Int {
        var low = 0
        var high = block.count
        while low < high {
            let middle = (low + high) / 2
            if block[middle].key.isAhead(of: key) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The total size of the blocks before `block`.
    private func prefix(_ block: Int) -> Int {
        var total = 0
        var index = block
        while index > 0 {
            total += sizes[index]
            index &= index - 1
        }
        return total
    }

    private mutating func addSize(_ delta: Int, at block: Int) {
        var index = block + 1
        while index < sizes.count {
            sizes[index] += delta
            index += index & -index
        }
    }

    private mutating func rebuildSizes() {
        sizes.removeAll(keepingCapacity: true)
        sizes.append(0)
        sizes.append(contentsOf: blockSizes)
        for index in 1..<max(1, sizes.count) {
            let parent = index + (index & -index)
            if parent < sizes.count { sizes[parent] += sizes[index] }
        }
    }
}
