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
    /// False for members who did not consent to ``CommunityModel/Consent/publicLeaderboards``:
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
    /// copies no reference and touches no reference count.
    struct Entry: Sendable {
        /// Week, month and all-time points.
        var week: Int64 = 0
        var month: Int64 = 0
        var allTime: Int64 = 0
        var tie: UInt64
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
    /// Each member's entry, found by id. The entries live in the dictionary itself, not in
    /// an array beside it, because at 650,000 members every lookup is a trip to memory: the
    /// dictionary reads a member's key and value at once, where a slot then an array entry
    /// would be two trips, one after the other.
    private var entries: [MemberID: Entry] = [:]
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
    public mutating func update(_ member: MemberID, points: (week: Int, month: Int, allTime: Int)) {
        let index = self.index(member)
        let old = entries.values[index]
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
                let (from, to) = (RankKey(score: before, tie: old.tie), RankKey(score: after, tie: new.tie))
                if before > 0 { boards[Int(board)].remove(from, value: slot, ties: ties) }
                if after > 0 { boards[Int(board)].insert(to, value: slot, ties: ties) }
            }
        }
        entries.values[index] = new
    }

    /// Sets a member's facts (country, chapters, consent), keeping their points.
    public mutating func update(_ member: MemberID, facts: LeaderboardFacts) {
        let index = self.index(member)
        let entry = entries.values[index]
        let slot = entry.slot
        let boardNumbers = Self.scopes(facts).flatMap { scope in
            LeaderboardPeriod.allCases.map { boardNumber(BoardKey(scope: scope, period: $0)) }
        }
        let newSet = boardSetNumber(boardNumbers.sorted())
        let (oldBoards, newBoards) = (Set(boardSets[Int(entry.boardSet)]), Set(boardSets[Int(newSet)]))
        for board in oldBoards.subtracting(newBoards) {
            let points = entry.points(boards[Int(board)].period)
            if points > 0 {
                boards[Int(board)].remove(RankKey(score: points, tie: entry.tie), value: slot, ties: ties)
            }
        }
        for board in newBoards.subtracting(oldBoards) {
            let points = entry.points(boards[Int(board)].period)
            if points > 0 {
                boards[Int(board)].insert(RankKey(score: points, tie: entry.tie), value: slot, ties: ties)
            }
        }
        entries.values[index].boardSet = newSet
        self.facts[Int(slot)] = facts
    }

    /// Whether the boards know a member's facts.
    public func hasFacts(of member: MemberID) -> Bool {
        entries[member].map { facts[Int($0.slot)] != nil } ?? false
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
    public func top(_ limit: Int, of scope: LeaderboardScope, for period: LeaderboardPeriod) -> [LeaderboardRow] {
        guard limit > 0, let number = boardIndex[BoardKey(scope: scope, period: period)] else { return [] }
        return boards[Int(number)].first(limit, ties: ties).enumerated().map { index, entry in
            LeaderboardRow(
                rank: index + 1, member: ids[Int(entry.value)],
                points: Int(entries[ids[Int(entry.value)]]?.points(period) ?? 0))
        }
    }

    /// A member's rank on a board: their place when listed, or the place they would have
    /// (1 + the public members ahead) when hidden, outside the scope or without points.
    public func rank(of member: MemberID, on scope: LeaderboardScope, for period: LeaderboardPeriod) -> MemberRank {
        let entry = entries[member]
        let points = entry?.points(period) ?? 0
        let key = RankKey(score: points, tie: entry?.tie ?? Self.tie(member))
        guard let board = boardIndex[BoardKey(scope: scope, period: period)] else {
            return MemberRank(member: member, points: Int(points), rank: 1, isListed: false)
        }
        let isListed = points > 0 && entry.map { boardSets[Int($0.boardSet)].contains(board) } ?? false
        let ahead = boards[Int(board)].countAhead(of: key, value: isListed ? entry?.slot : nil, ties: ties)
        return MemberRank(member: member, points: Int(points), rank: ahead + 1, isListed: isListed)
    }

    /// The number of public members on a board.
    public func count(of scope: LeaderboardScope, for period: LeaderboardPeriod) -> Int {
        boardIndex[BoardKey(scope: scope, period: period)].map { boards[Int($0)].count } ?? 0
    }

    /// Where the member's entry is in `entries`, adding them when they are new.
    private mutating func index(_ member: MemberID) -> Dictionary<MemberID, Entry>.Index {
        if let found = entries.index(forKey: member) { return found }
        let tie = Self.tie(member)
        entries[member] = Entry(tie: tie, slot: Int32(ids.count))
        ids.append(member)
        ties.append(tie)
        facts.append(nil)
        return entries.index(forKey: member)!
    }

    /// FNV-1a of the id's UTF-8 bytes.
    static func tie(_ member: MemberID) -> UInt64 { FNV1a.hash(member.rawValue.utf8) }
}
