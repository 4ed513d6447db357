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

    struct Entry: Sendable {
        var facts: LeaderboardFacts?
        /// Week, month and all-time points.
        var week: Int64 = 0
        var month: Int64 = 0
        var allTime: Int64 = 0
        var tie: UInt64
        /// The boards of the member's scopes, per period (indices into `boards`), while public.
        var boardIndices: [Int32] = []

        func points(_ period: Int) -> Int64 { period == 0 ? week : period == 1 ? month : allTime }
    }

    /// Every board, found by key once per change of a member's facts, then by index.
    private var boards: [RankedBoard] = []
    private var boardIndex: [BoardKey: Int32] = [:]
    private var slots: [MemberID: Int32] = [:]
    private var ids: [MemberID] = []
    private var entries: [Entry] = []

    public init() {}

    /// Members known to the boards.
    public var memberCount: Int { ids.count }

    /// Sets a member's points for the week, the month and all time, moving them on each of
    /// their boards: O(log n) per board.
    public mutating func update(_ member: MemberID, points: (week: Int, month: Int, allTime: Int)) {
        let slot = self.slot(member)
        let old = entries[Int(slot)]
        var new = old
        new.week = Int64(points.week)
        new.month = Int64(points.month)
        new.allTime = Int64(points.allTime)
        move(slot, from: old, to: new)
    }

    /// Sets a member's facts (country, chapters, consent), keeping their points.
    public mutating func update(_ member: MemberID, facts: LeaderboardFacts) {
        let slot = self.slot(member)
        let old = entries[Int(slot)]
        var new = old
        new.facts = facts
        new.boardIndices = Self.scopes(facts).flatMap { scope in
            LeaderboardPeriod.allCases.map { boardNumber(BoardKey(scope: scope, period: $0)) }
        }
        move(slot, from: old, to: new)
    }

    /// Whether the boards know a member's facts.
    public func hasFacts(of member: MemberID) -> Bool {
        slots[member].map { entries[Int($0)].facts != nil } ?? false
    }

    private mutating func move(_ slot: Int32, from old: Entry, to new: Entry) {
        let periods = LeaderboardPeriod.allCases.count
        for (offset, board) in old.boardIndices.enumerated() {
            let period = offset % periods
            let points = old.points(period)
            guard points > 0, points != new.points(period) || !new.boardIndices.contains(board) else { continue }
            boards[Int(board)].remove(RankKey(score: points, tie: old.tie))
        }
        for (offset, board) in new.boardIndices.enumerated() {
            let period = offset % periods
            let points = new.points(period)
            let oldPoints = old.boardIndices.contains(board) ? old.points(period) : 0
            guard points > 0, points != oldPoints else { continue }
            boards[Int(board)].insert(RankKey(score: points, tie: new.tie), value: slot)
        }
        entries[Int(slot)] = new
    }

    private mutating func boardNumber(_ key: BoardKey) -> Int32 {
        if let found = boardIndex[key] { return found }
        let number = Int32(boards.count)
        boards.append(RankedBoard())
        boardIndex[key] = number
        return number
    }

    private static func scopes(_ facts: LeaderboardFacts?) -> [LeaderboardScope] {
        guard let facts, facts.isPublic else { return [] }
        return [.global] + (facts.country.map { [.country($0)] } ?? []) + facts.chapters.sorted().map { .chapter($0) }
    }

    private static func listed(_ entry: Entry?, on scope: LeaderboardScope, period: Int) -> Bool {
        guard let entry, entry.points(period) > 0 else { return false }
        return scopes(entry.facts).contains(scope)
    }

    /// The first `limit` public members of a board.
    public func top(_ limit: Int, of scope: LeaderboardScope, for period: LeaderboardPeriod) -> [LeaderboardRow] {
        guard limit > 0, let number = boardIndex[BoardKey(scope: scope, period: period)] else { return [] }
        return boards[Int(number)].first(limit).enumerated().map { index, entry in
            LeaderboardRow(rank: index + 1, member: ids[Int(entry.value)], points: Int(entry.key.score))
        }
    }

    /// A member's rank on a board: their place when listed, or the place they would have
    /// (1 + the public members ahead) when hidden, outside the scope or without points.
    public func rank(of member: MemberID, on scope: LeaderboardScope, for period: LeaderboardPeriod) -> MemberRank {
        let index = LeaderboardPeriod.allCases.firstIndex(of: period)!
        let entry = slots[member].map { entries[Int($0)] }
        let points = entry?.points(index) ?? 0
        let key = RankKey(score: points, tie: entry?.tie ?? Self.tie(member))
        let ahead = boardIndex[BoardKey(scope: scope, period: period)].map { boards[Int($0)].countAhead(of: key) } ?? 0
        return MemberRank(
            member: member, points: Int(points), rank: ahead + 1, isListed: Self.listed(entry, on: scope, period: index)
        )
    }

    /// The number of public members on a board.
    public func count(of scope: LeaderboardScope, for period: LeaderboardPeriod) -> Int {
        boardIndex[BoardKey(scope: scope, period: period)].map { boards[Int($0)].count } ?? 0
    }

    private mutating func slot(_ member: MemberID) -> Int32 {
        if let found = slots[member] { return found }
        let slot = Int32(ids.count)
        slots[member] = slot
        ids.append(member)
        entries.append(Entry(facts: nil, tie: Self.tie(member)))
        return slot
    }

    /// FNV-1a of the id's UTF-8 bytes.
    static func tie(_ member: MemberID) -> UInt64 { FNV1a.hash(member.rawValue.utf8) }
}
