public import CommunityModel
import Storage

/// Which members a leaderboard ranks.
public enum LeaderboardScope: Hashable, Sendable, CustomStringConvertible {
    case global
    case chapter(ChapterID)
    case country(CountryCode)

    public var description: String {
        switch self {
        case .global: "global"
        case .chapter(let chapter): "chapter \(chapter)"
        case .country(let country): "country \(country)"
        }
    }
}

/// Which points a leaderboard counts: this week's (Monday to Sunday), this month's, or all.
public enum LeaderboardPeriod: String, Hashable, Sendable, CaseIterable, Codable {
    case week, month, allTime
}

/// What decides on which boards a member appears: their country, their chapters, and whether
/// they consented to public leaderboards.
public struct LeaderboardFacts: Hashable, Sendable {
    /// Nil for a former member.
    public var country: CountryCode?
    public var chapters: Set<ChapterID>
    /// False for members who did not consent to `Consent.publicLeaderboards`:
    /// they never appear on a board, but can ask for their own rank.
    public var isPublic: Bool

    public init(country: CountryCode?, chapters: Set<ChapterID>, isPublic: Bool) {
        self.country = country
        self.chapters = chapters
        self.isPublic = isPublic
    }
}

/// One row of a public board.
public struct LeaderboardRow: Hashable, Sendable {
    /// 1 for the first.
    public var rank: Int
    public var member: MemberID
    public var points: Int
}

/// A member's standing on a board.
public struct MemberRank: Hashable, Sendable {
    public var member: MemberID
    public var points: Int
    /// 1 + the number of public members with more points (or equal points and an earlier tie-break).
    public var rank: Int
    /// False when the member is hidden or not in the board's scope, or has no points in the
    /// period: the rank is then the one they *would* have.
    public var isListed: Bool
}

/// Global, chapter and country leaderboards for the week, the month and all time, with rank
/// and top-N queries in O(log n).
///
/// Boards hold public members with points in the period. Equal points are ordered by a stable
/// 64-bit digest of the member id (FNV-1a): deterministic in every process, and favouring no
/// one for their name or for joining early.
public struct Leaderboards: Sendable {
    struct BoardKey: Hashable, Sendable {
        var scope: LeaderboardScope
        var period: LeaderboardPeriod
    }

    /// A member's points and where they are listed: plain values only, so that a points update
    /// copies no reference and touches no reference count. 32 bytes: with the member's id, one
    /// bucket of ``MemberTable``.
    struct Entry: Sendable {
        /// Week, month and all-time points.
        var week: Int64 = 0
        var month: Int64 = 0
        var allTime: Int64 = 0
        /// The member's index in `ids`, `ties` and `facts`, and their value on the boards.
        var slot: Int32
        /// The member's boards (an index into `boardSets`); 0, the empty set, while hidden.
        var boardSet: Int32 = 0

        @inline(__always)
        func points(_ period: LeaderboardPeriod) -> Int64 {
            switch period {
            case .week: week
            case .month: month
            case .allTime: allTime
            }
        }
    }

    /// Every board, found by key once per change of a member's facts, then by index.
    private var boards: [RankedBoard] = []
    private var boardIndex: [BoardKey: Int32] = [:]
    /// The distinct sets of boards members are on, each sorted, shared by every member with
    /// the same country and chapters (a few hundred sets for 650,000 members). Set 0 is empty.
    private var boardSets: [[Int32]] = [[]]
    private var boardSetIndex: [[Int32]: Int32] = [[]: 0]
    /// Each member's entry, found by id and tie-break (see ``MemberTable``).
    private var entries = MemberTable()
    /// Member ids by slot.
    private var ids: [MemberID] = []
    /// Every member's tie-break, by slot: the boards read it when two packed keys are equal.
    private var ties: [UInt64] = []
    /// Facts per slot, nil until set; read only when facts change.
    private var facts: [LeaderboardFacts?] = []

    public init() {}

    /// Members known to the boards.
    public var memberCount: Int { ids.count }

    /// Sets a member's points for the week, the month and all time, moving them on each of
    /// their boards: O(log n) per board.
    ///
    /// - Complexity: O(b log n) for a member on b boards (global, country, chapters × 3 periods)
    ///   of n members each.
    public mutating func update(_ member: MemberID, points: (week: Int, month: Int, allTime: Int)) {
        let tie = Self.tie(member)
        let bucket = self.bucket(member, tie: tie)
        let old = entries[bucket]
        let slot = old.slot
        var new = old
        new.week = Int64(points.week)
        new.month = Int64(points.month)
        new.allTime = Int64(points.allTime)
        if new.boardSet != 0 {
            for board in boardSets[Int(new.boardSet)] {
                let period = boards[Int(board)].period
                let (before, after) = (old.points(period), new.points(period))
                guard before != after else { continue }
                let (from, to) = (RankKey(score: before, tie: tie), RankKey(score: after, tie: tie))
                if before > 0 { boards[Int(board)].remove(from, value: slot, ties: ties) }
                if after > 0 { boards[Int(board)].insert(to, value: slot, ties: ties) }
            }
        }
        entries[bucket] = new
    }

    /// Sets a member's facts (country, chapters, consent), keeping their points.
    ///
    /// - Complexity: O(b log n): the member leaves the boards they no longer belong on and joins
    ///   the new ones.
    public mutating func update(_ member: MemberID, facts: LeaderboardFacts) {
        let tie = Self.tie(member)
        let bucket = self.bucket(member, tie: tie)
        let entry = entries[bucket]
        let slot = entry.slot
        let boardNumbers = Self.scopes(facts).flatMap { scope in
            LeaderboardPeriod.allCases.map { boardNumber(BoardKey(scope: scope, period: $0)) }
        }
        let newSet = boardSetNumber(boardNumbers.sorted())
        let (oldBoards, newBoards) = (Set(boardSets[Int(entry.boardSet)]), Set(boardSets[Int(newSet)]))
        for board in oldBoards.subtracting(newBoards) {
            let points = entry.points(boards[Int(board)].period)
            if points > 0 {
                boards[Int(board)].remove(RankKey(score: points, tie: tie), value: slot, ties: ties)
            }
        }
        for board in newBoards.subtracting(oldBoards) {
            let points = entry.points(boards[Int(board)].period)
            if points > 0 {
                boards[Int(board)].insert(RankKey(score: points, tie: tie), value: slot, ties: ties)
            }
        }
        entries[bucket].boardSet = newSet
        self.facts[Int(slot)] = facts
    }

    /// Whether the boards know a member's facts.
    public func hasFacts(of member: MemberID) -> Bool {
        entries.find(member, tie: Self.tie(member)).map { facts[Int(entries[$0].slot)] != nil } ?? false
    }

    private mutating func boardNumber(_ key: BoardKey) -> Int32 {
        if let found = boardIndex[key] { return found }
        let number = Int32(boards.count)
        boards.append(RankedBoard(period: key.period))
        boardIndex[key] = number
        return number
    }

    private mutating func boardSetNumber(_ sortedBoards: [Int32]) -> Int32 {
        if let found = boardSetIndex[sortedBoards] { return found }
        let number = Int32(boardSets.count)
        boardSets.append(sortedBoards)
        boardSetIndex[sortedBoards] = number
        return number
    }

    private static func scopes(_ facts: LeaderboardFacts) -> [LeaderboardScope] {
        guard facts.isPublic else { return [] }
        return [.global] + (facts.country.map { [.country($0)] } ?? []) + facts.chapters.sorted().map { .chapter($0) }
    }

    /// The first `limit` public members of a board.
    ///
    /// - Complexity: O(log n + limit).
    public func top(_ limit: Int, of scope: LeaderboardScope, for period: LeaderboardPeriod) -> [LeaderboardRow] {
        guard limit > 0, let number = boardIndex[BoardKey(scope: scope, period: period)] else { return [] }
        return boards[Int(number)].first(limit, ties: ties).enumerated().map { index, entry in
            let member = ids[Int(entry.value)]
            let bucket = entries.find(member, tie: ties[Int(entry.value)])
            return LeaderboardRow(
                rank: index + 1, member: member, points: Int(bucket.map { entries[$0].points(period) } ?? 0))
        }
    }

    /// A member's rank on a board: their place when listed, or the place they would have
    /// (1 + the public members ahead) when hidden, outside the scope or without points.
    ///
    /// - Complexity: O(log n) for a board of n members.
    public func rank(of member: MemberID, on scope: LeaderboardScope, for period: LeaderboardPeriod) -> MemberRank {
        let tie = Self.tie(member)
        let entry = entries.find(member, tie: tie).map { entries[$0] }
        let points = entry?.points(period) ?? 0
        let key = RankKey(score: points, tie: tie)
        guard let board = boardIndex[BoardKey(scope: scope, period: period)] else {
            return MemberRank(member: member, points: Int(points), rank: 1, isListed: false)
        }
        let isListed = points > 0 && entry.map { boardSets[Int($0.boardSet)].contains(board) } ?? false
        let ahead = boards[Int(board)].countAhead(of: key, value: isListed ? entry?.slot : nil, ties: ties)
        return MemberRank(member: member, points: Int(points), rank: ahead + 1, isListed: isListed)
    }

    /// The number of public members on a board.
    ///
    /// - Complexity: O(1).
    public func count(of scope: LeaderboardScope, for period: LeaderboardPeriod) -> Int {
        boardIndex[BoardKey(scope: scope, period: period)].map { boards[Int($0)].count } ?? 0
    }

    /// The bucket of the member's entry in `entries`, adding them when they are new.
    private mutating func bucket(_ member: MemberID, tie: UInt64) -> Int {
        if let found = entries.find(member, tie: tie) { return found }
        let bucket = entries.insert(member, tie: tie, entry: Entry(slot: Int32(ids.count)))
        ids.append(member)
        ties.append(tie)
        facts.append(nil)
        return bucket
    }

    /// FNV-1a of the id's UTF-8 bytes.
    static func tie(_ member: MemberID) -> UInt64 { FNV1a.hash(member.rawValue) }
}

/// Members' leaderboard entries by id: a hash table with open addressing, each bucket the id
/// beside its entry (48 bytes), so that finding a member and reading their points is one trip
/// to memory where a `Dictionary` makes two (its keys and values are separate arrays).
///
/// The hash is the member's tie-break (FNV-1a of the id, which every update needs anyway),
/// mixed with a seed drawn for each table and spread by a multiplication, so that which ids
/// share a bucket differs from table to table. Linear probing, at most three quarters full;
/// members are never removed. The table doubles when full, rehashing every id.
struct MemberTable: Sendable {
    struct Bucket: Sendable {
        /// Nil for an empty bucket.
        var id: MemberID?
        var entry: Leaderboards.Entry
    }

    private var buckets: [Bucket]
    private(set) var count = 0
    /// 64 minus log2 of the bucket count: the bucket of a hash is its top bits.
    private var shift: UInt64
    private let seed = UInt64.random(in: .min ... .max)
    /// An id's hash, which every `tie` passed in must equal: the tie-break, unless a test
    /// gives ids equal hashes on purpose.
    private let hash: @Sendable (MemberID) -> UInt64

    init(hash: @escaping @Sendable (MemberID) -> UInt64 = Leaderboards.tie) {
        buckets = Array(repeating: Bucket(id: nil, entry: .init(slot: -1)), count: 16)
        shift = 60
        self.hash = hash
    }

    /// The bucket where the search for a hash starts.
    @inline(__always)
    private func home(_ tie: UInt64) -> Int {
        Int(truncatingIfNeeded: ((tie ^ seed) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The bucket holding `id` (whose hash is `tie`), or nil.
    func find(_ id: MemberID, tie: UInt64) -> Int? {
        buckets.withUnsafeBufferPointer { buckets in
            let mask = buckets.count - 1
            var bucket = home(tie)
            while let stored = buckets[bucket].id {
                if stored == id { return bucket }
                bucket = (bucket + 1) & mask
            }
            return nil
        }
    }

    /// Adds `id`, which is not in the table, and returns its bucket.
    mutating func insert(_ id: MemberID, tie: UInt64, entry: Leaderboards.Entry) -> Int {
        if (count + 1) * 4 > buckets.count * 3 { grow() }
        count += 1
        return place(Bucket(id: id, entry: entry), tie: tie)
    }

    /// The entry in `bucket`, which holds a member.
    subscript(bucket: Int) -> Leaderboards.Entry {
        get { buckets[bucket].entry }
        set { buckets[bucket].entry = newValue }
    }

    private mutating func place(_ new: Bucket, tie: UInt64) -> Int {
        let mask = buckets.count - 1
        var bucket = home(tie)
        while buckets[bucket].id != nil { bucket = (bucket + 1) & mask }
        buckets[bucket] = new
        return bucket
    }

    private mutating func grow() {
        let old = buckets
        buckets = Array(repeating: Bucket(id: nil, entry: .init(slot: -1)), count: old.count * 2)
        shift -= 1
        for bucket in old {
            if let id = bucket.id { _ = place(bucket, tie: hash(id)) }
        }
    }
}
