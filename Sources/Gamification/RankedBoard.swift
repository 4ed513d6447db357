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

/// An order-statistic tree (a treap whose nodes know their subtree's size, kept in one array):
/// insert, remove and "how many rank ahead of this key" in O(log n) expected, the first `n` in
/// O(log n + n). Values are small integers (member slots).
struct RankedBoard: Sendable {
    private struct Node: Sendable {
        var key: RankKey
        var value: Int32
        var left: Int32
        var right: Int32
        var size: Int32
        var priority: UInt32
    }

    private var nodes: [Node] = []
    private var free: [Int32] = []
    private var root: Int32 = -1
    private var seed: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The number of entries.
    var count: Int { root < 0 ? 0 : Int(nodes[Int(root)].size) }

    /// Adds an entry. The caller keeps keys unique.
    mutating func insert(_ key: RankKey, value: Int32) {
        let node = allocate(key, value)
        let (ahead, rest) = split(root, at: key)
        root = merge(merge(ahead, node), rest)
    }

    /// Removes the entry with `key`; false when there is none.
    @discardableResult
    mutating func remove(_ key: RankKey) -> Bool {
        var parent: Int32 = -1
        var current = root
        while current >= 0 {
            let node = nodes[Int(current)]
            if node.key == key { break }
            parent = current
            current = key.isAhead(of: node.key) ? node.left : node.right
        }
        guard current >= 0 else { return false }
        let replacement = merge(nodes[Int(current)].left, nodes[Int(current)].right)
        if parent < 0 {
            root = replacement
        } else if nodes[Int(parent)].left == current {
            nodes[Int(parent)].left = replacement
        } else {
            nodes[Int(parent)].right = replacement
        }
        free.append(current)
        // Every node on the path from the root lost one descendant.
        var walk = root
        while walk >= 0, walk != replacement {
            let node = nodes[Int(walk)]
            nodes[Int(walk)].size -= 1
            if node.key == key { break }
            walk = key.isAhead(of: node.key) ? node.left : node.right
        }
        return true
    }

    /// How many entries rank ahead of `key` (whether or not `key` is on the board).
    func countAhead(of key: RankKey) -> Int {
        var count = 0
        var current = root
        while current >= 0 {
            let node = nodes[Int(current)]
            if node.key.isAhead(of: key) {
                count += 1 + size(node.left)
                current = node.right
            } else {
                current = node.left
            }
        }
        return count
    }

    /// The first `limit` entries, best first.
    func first(_ limit: Int) -> [(key: RankKey, value: Int32)] {
        var result: [(key: RankKey, value: Int32)] = []
        result.reserveCapacity(min(limit, count))
        var stack: [Int32] = []
        var current = root
        while result.count < limit, current >= 0 || !stack.isEmpty {
            while current >= 0 {
                stack.append(current)
                current = nodes[Int(current)].left
            }
            let node = nodes[Int(stack.removeLast())]
            result.append((node.key, node.value))
            current = node.right
        }
        return result
    }

    private func size(_ node: Int32) -> Int { node < 0 ? 0 : Int(nodes[Int(node)].size) }

    private mutating func allocate(_ key: RankKey, _ value: Int32) -> Int32 {
        // SplitMix64: deterministic priorities, so the same operations build the same tree.
        seed &+= 0x9E37_79B9_7F4A_7C15
        var mixed = seed
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        let node = Node(
            key: key, value: value, left: -1, right: -1, size: 1, priority: UInt32(truncatingIfNeeded: mixed >> 32))
        if let reused = free.popLast() {
            nodes[Int(reused)] = node
            return reused
        }
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    /// Splits `tree` into the entries ahead of `key` and the rest.
    private mutating func split(_ tree: Int32, at key: RankKey) -> (Int32, Int32) {
        guard tree >= 0 else { return (-1, -1) }
        if nodes[Int(tree)].key.isAhead(of: key) {
            let (ahead, rest) = split(nodes[Int(tree)].right, at: key)
            nodes[Int(tree)].right = ahead
            update(tree)
            return (tree, rest)
        } else {
            let (ahead, rest) = split(nodes[Int(tree)].left, at: key)
            nodes[Int(tree)].left = rest
            update(tree)
            return (ahead, tree)
        }
    }

    /// Joins two trees where every entry of `first` ranks ahead of every entry of `second`.
    private mutating func merge(_ first: Int32, _ second: Int32) -> Int32 {
        guard first >= 0 else { return second }
        guard second >= 0 else { return first }
        if nodes[Int(first)].priority > nodes[Int(second)].priority {
            nodes[Int(first)].right = merge(nodes[Int(first)].right, second)
            update(first)
            return first
        } else {
            nodes[Int(second)].left = merge(first, nodes[Int(second)].left)
            update(second)
            return second
        }
    }

    private mutating func update(_ node: Int32) {
        nodes[Int(node)].size = Int32(1 + size(nodes[Int(node)].left) + size(nodes[Int(node)].right))
    }
}
