public import CommunityModel
import Foundation
public import Storage

/// Why a ledger line has the points it has.
public enum LedgerOutcome: String, Hashable, Sendable, Codable, CaseIterable {
    /// Paid in full.
    case paid
    /// Cut (possibly to zero) by the member's daily cap.
    case dailyCap
    /// Cut by the daily cap of the kind.
    case kindCap
    /// Cut by the ring throttle: the giver had paid this member their share for the period.
    case pairCap
    /// Nothing paid: the member acted on their own content.
    case ownContent
    /// A compensating line: takes back what an earlier line paid.
    case reversal
    /// A staff adjustment (not capped).
    case adjustment
}

/// One line of a member's points ledger: what an entry of the log paid them and why.
public struct LedgerLine: Hashable, Sendable {
    /// The log position of the entry.
    public var position: UInt64
    public var kind: ActivityKind
    /// The entry's time and its local day (the performer's).
    public var time: Timestamp
    public var day: LocalDate
    /// The other member involved: who reacted (for points received), whose content it was.
    public var counterpart: MemberID?
    /// What the rule would pay.
    public var requested: Int
    /// What was paid (negative for a reversal or a deduction).
    public var points: Int
    public var outcome: LedgerOutcome
    /// For a reversal: the position of the line it takes back. For a reversed line: the
    /// position of the entry that reversed it.
    public var linked: UInt64?

    /// One sentence a member can read.
    public var reason: String {
        let other = counterpart.map { " (\($0))" } ?? ""
        switch outcome {
        case .paid: return "\(kind)\(other): \(points) points"
        case .dailyCap:
            return "\(kind)\(other): \(points) of \(requested) points; the daily cap was reached on \(day)"
        case .kindCap:
            return "\(kind)\(other): \(points) of \(requested) points; the day's cap for \(kind) was reached"
        case .pairCap:
            return "\(kind)\(other): \(points) of \(requested) points; this member had given you the most "
                + "points one member may give in a period"
        case .ownContent: return "\(kind): no points for acting on your own content"
        case .reversal:
            return "\(kind): \(points) points, taking back entry \(linked.map(String.init) ?? "?")"
        case .adjustment: return "staff adjustment: \(points) points"
        }
    }
}

/// What a change in points means for a member: their new balance and period totals.
public struct PointsChange: Hashable, Sendable {
    public var member: MemberID
    public var delta: Int
    public var time: Timestamp
}

/// Every member's points, as a pure fold over the activity log, with the lines that explain
/// each balance.
///
/// - **Cost.** O(1) amortized per entry. Memory grows with members and with the entries that
///   paid or cut points (one compact line each), because explaining a balance needs them;
///   entries that pay nothing keep nothing.
/// - **Periods.** Besides the all-time balance, each member's total for the current week
///   (Monday to Sunday) and month in ``periodTimeZone`` is kept for the leaderboards.
public struct PointsLedger: ActivityProjection, Equatable {
    public let policy: PointsPolicy
    /// The time zone in which weeks and months begin (the leaderboards' stated time zone).
    public let periodTimeZone: TimeZoneID
    public let checkpointName: String
    public let configuration: String
    public private(set) var position: UInt64 = 0

    var slots: [MemberID: Int32] = [:]
    var ids: [MemberID] = []
    var accounts: [Account] = []
    /// Points paid per giver → receiver pair in the current throttle period.
    var pairs: [PairKey: PairUse] = [:]
    /// Kinds seen on lines, by index.
    var kinds: [ActivityKind] = []
    var kindIndex: [ActivityKind: UInt16] = [:]
    /// Members whose points changed since ``takeTouched()``: not part of the state.
    var touched: Set<Int32> = []
    private var offsetCache = OffsetCache()

    struct PairKey: Hashable, Sendable {
        var giver: Int32
        var receiver: Int32
    }

    struct PairUse: Equatable, Sendable {
        var period: Int32
        var points: Int32
    }

    struct Account: Equatable, Sendable {
        var balance: Int64 = 0
        var capDay: Int32 = .min
        var today: Int32 = 0
        var kindToday: [KindPoints] = []
        var week: Int32 = .min
        var weekPoints: Int64 = 0
        var month: Int32 = .min
        var monthPoints: Int64 = 0
        var lines: [Line] = []
    }

    struct KindPoints: Equatable, Sendable {
        var kind: UInt16
        var points: Int32
    }

    /// A line, compactly: 48 bytes.
    struct Line: Equatable, Sendable {
        var position: UInt64
        var entry: UInt64
        var time: Int64
        var linked: UInt64
        var day: Int32
        var counterpart: Int32
        var points: Int32
        var requested: Int32
        var kind: UInt16
        var outcome: UInt8
    }

    /// The UTC offset of the period time zone, cached per hour: entries come in time order.
    struct OffsetCache: Equatable, Sendable {
        var hour: Int64 = .min
        var offset: Int64 = 0
    }

    /// - Throws: `CommunityError.invalidInput(field:reason:)` for a policy out
    ///   of range.
    public init(
        policy: PointsPolicy = .default, periodTimeZone: TimeZoneID = .utc, checkpointName: String = "points"
    ) throws(CommunityError) {
        try policy.validate()
        self.policy = policy
        self.periodTimeZone = periodTimeZone
        self.checkpointName = checkpointName
        configuration = "\(Self.configurationText(of: policy)) in \(periodTimeZone)"
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.configuration == rhs.configuration && lhs.checkpointName == rhs.checkpointName
            && lhs.position == rhs.position && lhs.ids == rhs.ids && lhs.accounts == rhs.accounts
            && lhs.pairs == rhs.pairs && lhs.kinds == rhs.kinds
    }

    // MARK: Reading

    /// The number of members with a ledger.
    public var memberCount: Int { ids.count }

    /// A member's all-time balance (0 for a member never paid).
    public func balance(of member: MemberID) -> Int {
        slots[member].map { Int(accounts[Int($0)].balance) } ?? 0
    }

    /// A member's points in the week (Monday to Sunday in ``periodTimeZone``) that contains `date`.
    public func weekPoints(of member: MemberID, at date: Date) -> Int {
        guard let slot = slots[member] else { return 0 }
        let account = accounts[Int(slot)]
        return account.week == Self.weekKey(localDay(of: Timestamp(date))) ? Int(account.weekPoints) : 0
    }

    /// A member's points in the month (in ``periodTimeZone``) that contains `date`.
    public func monthPoints(of member: MemberID, at date: Date) -> Int {
        guard let slot = slots[member] else { return 0 }
        let account = accounts[Int(slot)]
        return account.month == Self.monthKey(localDay(of: Timestamp(date))) ? Int(account.monthPoints) : 0
    }

    /// Every line of a member's ledger, oldest first: paid, cut, refused and reversed ones.
    /// The points of the lines add up to ``balance(of:)``.
    ///
    /// - Complexity: O(k) for the member's k lines.
    public func lines(of member: MemberID) -> [LedgerLine] {
        guard let slot = slots[member] else { return [] }
        return accounts[Int(slot)].lines.map { line in
            LedgerLine(
                position: line.position, kind: kinds[Int(line.kind)], time: Timestamp(millisecondsSince1970: line.time),
                day: LocalDate(dayNumber: Int(line.day)),
                counterpart: line.counterpart >= 0 ? ids[Int(line.counterpart)] : nil,
                requested: Int(line.requested), points: Int(line.points),
                outcome: LedgerOutcome.allCases[Int(line.outcome)], linked: line.linked == 0 ? nil : line.linked)
        }
    }

    /// Every member with a ledger, with their all-time, week and month points as of `date`.
    ///
    /// - Complexity: O(n) for n members with points.
    public func standings(at date: Date) -> [(member: MemberID, allTime: Int, week: Int, month: Int)] {
        let day = localDay(of: Timestamp(date))
        let week = Self.weekKey(day)
        let month = Self.monthKey(day)
        return ids.indices.map { slot in
            let account = accounts[slot]
            return (
                ids[slot], Int(account.balance), account.week == week ? Int(account.weekPoints) : 0,
                account.month == month ? Int(account.monthPoints) : 0
            )
        }
    }

    /// The members whose points changed since the last call, and forgets them.
    public mutating func takeTouched() -> [MemberID] {
        defer { touched.removeAll(keepingCapacity: true) }
        return touched.sorted().map { ids[Int($0)] }
    }

    // MARK: Applying

    ///
    /// - Complexity: O(1) amortized per entry, plus O(r) for a reversal of r lines; the state is
    ///   O(members + subjects), never per entry.
    public mutating func apply(_ logged: LoggedActivity) {
        guard logged.position > position else { return }
        position = logged.position
        let event = logged.event
        if event.kind == .memberErased {
            // An erased member's lines and totals go; their slot stays (others' lines may name it).
            if let slot = slots[event.member] {
                accounts[Int(slot)] = Account()
                touched.insert(slot)
            }
            return
        }
        if let reversed = event.reverses {
            reverse(reversed, by: event, at: logged.position)
            return
        }
        if event.kind == .pointsAdjusted {
            guard let amount = event.details.points, amount != 0 else { return }
            let receiver = slot(event.member)
            let staff = event.actor.map { slot($0) } ?? -1
            add(
                Line(
                    position: logged.position, entry: Self.hash(event.id), time: event.time.millisecondsSince1970,
                    linked: 0, day: Int32(clamping: event.localDate.dayNumber),
                    counterpart: staff, points: Int32(clamping: amount),
                    requested: Int32(clamping: amount), kind: kindNumber(event.kind),
                    outcome: Self.code(.adjustment)), to: receiver)
            return
        }
        guard let rule = policy.rules[event.kind] else { return }
        let performer = event.member
        let owner = event.subjectOwner
        if let owner, owner == performer,
            rule.owner > 0 || event.kind == .reacted || event.kind == .gaveFeedback || event.kind == .answerAccepted
        {
            // Acting on one's own content pays no one.
            let slot = self.slot(performer)
            add(
                line(
                    for: event, at: logged.position, counterpart: -1, requested: rule.performer + rule.owner,
                    points: 0, outcome: .ownContent), to: slot)
            return
        }
        if rule.performer > 0 {
            // An accepted answer is paid by the asker's choice: the pair cap stops two members
            // who only accept each other's answers.
            let from = event.kind == .answerAccepted ? owner.map { slot($0) } : nil
            pay(rule.performer, to: slot(performer), from: from, for: event, at: logged.position)
        }
        if rule.owner > 0, let owner {
            pay(rule.owner, to: slot(owner), from: slot(performer), for: event, at: logged.position)
        }
    }

    private mutating func pay(
        _ requested: Int, to slot: Int32, from giver: Int32?, for event: ActivityEvent, at position: UInt64
    ) {
        let day = Int32(clamping: event.localDate.dayNumber)
        let kind = kindNumber(event.kind)
        var account = accounts[Int(slot)]
        accounts[Int(slot)] = Account()  // no copy of the lines while they change
        if account.capDay != day {
            account.capDay = day
            account.today = 0
            account.kindToday.removeAll(keepingCapacity: true)
        }
        var points = Int32(clamping: requested)
        var outcome = LedgerOutcome.paid
        func cut(to allowed: Int32, _ reason: LedgerOutcome) {
            if allowed < points {
                points = max(0, allowed)
                outcome = reason
            }
        }
        cut(to: Int32(clamping: policy.dailyCap) - account.today, .dailyCap)
        let kindSlot = account.kindToday.firstIndex { $0.kind == kind }
        if let cap = policy.kindDailyCaps[event.kind] {
            cut(to: Int32(clamping: cap) - (kindSlot.map { account.kindToday[$0].points } ?? 0), .kindCap)
        }
        var pairKey: PairKey?
        // Periods start on Mondays (day 4 of 1970 was one), so a 7-day period is an ISO week.
        let shifted = event.localDate.dayNumber - 4
        let period = Int32(
            clamping: shifted >= 0 ? shifted / policy.pairPeriodDays : (shifted + 1) / policy.pairPeriodDays - 1)
        if let giver {
            let key = PairKey(giver: giver, receiver: slot)
            pairKey = key
            let used = pairs[key].flatMap { $0.period == period ? $0.points : nil } ?? 0
            cut(to: Int32(clamping: policy.pairCap) - used, .pairCap)
        }
        account.today += points
        if let kindSlot {
            account.kindToday[kindSlot].points += points
        } else {
            account.kindToday.append(KindPoints(kind: kind, points: points))
        }
        if let pairKey {
            let used = pairs[pairKey].flatMap { $0.period == period ? $0.points : nil } ?? 0
            pairs[pairKey] = PairUse(period: period, points: used + points)
        }
        accounts[Int(slot)] = account
        add(
            line(
                for: event, at: position, counterpart: giver ?? event.subjectOwner.map { self.slot($0) } ?? -1,
                requested: requested, points: Int(points), outcome: outcome), to: slot)
    }

    private mutating func reverse(_ reversed: EntryID, by event: ActivityEvent, at position: UInt64) {
        let hash = Self.hash(reversed)
        var candidates = [event.member]
        if let owner = event.subjectOwner, owner != event.member { candidates.append(owner) }
        for member in candidates {
            guard let slot = slots[member] else { continue }
            var account = accounts[Int(slot)]
            accounts[Int(slot)] = Account()
            var taken: [Line] = []
            for index in account.lines.indices.reversed()
            where account.lines[index].entry == hash && account.lines[index].linked == 0
                && account.lines[index].points > 0 && account.lines[index].outcome != Self.code(.reversal)
            {
                account.lines[index].linked = position
                taken.append(account.lines[index])
            }
            accounts[Int(slot)] = account
            for original in taken.reversed() {
                add(
                    Line(
                        position: position, entry: Self.hash(event.id), time: event.time.millisecondsSince1970,
                        linked: original.position, day: Int32(clamping: event.localDate.dayNumber),
                        counterpart: original.counterpart, points: -original.points, requested: -original.points,
                        kind: kindNumber(event.kind), outcome: Self.code(.reversal)), to: slot)
            }
        }
    }

    private mutating func line(
        for event: ActivityEvent, at position: UInt64, counterpart: Int32, requested: Int, points: Int,
        outcome: LedgerOutcome
    ) -> Line {
        Line(
            position: position, entry: Self.hash(event.id), time: event.time.millisecondsSince1970, linked: 0,
            day: Int32(clamping: event.localDate.dayNumber), counterpart: counterpart,
            points: Int32(clamping: points), requested: Int32(clamping: requested), kind: kindNumber(event.kind),
            outcome: Self.code(outcome))
    }

    /// Adds a line and its points to the balance and the period totals.
    private mutating func add(_ line: Line, to slot: Int32) {
        var account = accounts[Int(slot)]
        accounts[Int(slot)] = Account()
        account.lines.append(line)
        if line.points != 0 {
            account.balance += Int64(line.points)
            let day = advanceDay(of: Timestamp(millisecondsSince1970: line.time))
            let week = Self.weekKey(day)
            let month = Self.monthKey(day)
            if account.week != week {
                account.week = week
                account.weekPoints = 0
            }
            if account.month != month {
                account.month = month
                account.monthPoints = 0
            }
            account.weekPoints += Int64(line.points)
            account.monthPoints += Int64(line.points)
            touched.insert(slot)
        }
        accounts[Int(slot)] = account
    }

    private mutating func slot(_ member: MemberID) -> Int32 {
        if let found = slots[member] { return found }
        let slot = Int32(ids.count)
        slots[member] = slot
        ids.append(member)
        accounts.append(Account())
        return slot
    }

    private mutating func kindNumber(_ kind: ActivityKind) -> UInt16 {
        if let found = kindIndex[kind] { return found }
        let number = UInt16(kinds.count)
        kinds.append(kind)
        kindIndex[kind] = number
        return number
    }

    // MARK: Periods

    /// The local day (a ``CommunityModel/LocalDate/dayNumber``) of `time` in the period time
    /// zone, remembering the zone's offset for the hour.
    mutating func advanceDay(of time: Timestamp) -> Int32 {
        Self.localDay(of: time, in: periodTimeZone, cache: &offsetCache)
    }

    func localDay(of time: Timestamp) -> Int32 {
        var cache = offsetCache
        return Self.localDay(of: time, in: periodTimeZone, cache: &cache)
    }

    static func localDay(of time: Timestamp, in zone: TimeZoneID, cache: inout OffsetCache) -> Int32 {
        let milliseconds = time.millisecondsSince1970
        let hour = milliseconds >= 0 ? milliseconds / 3_600_000 : (milliseconds - 3_599_999) / 3_600_000
        if hour != cache.hour {
            cache.hour = hour
            cache.offset = Int64(zone.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(hour) * 3_600)))
        }
        let seconds = Int64(milliseconds >= 0 ? milliseconds / 1_000 : (milliseconds - 999) / 1_000)
        let local = seconds + cache.offset
        return Int32(clamping: local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
    }

    /// The day number of the Monday that starts the week of `day`.
    static func weekKey(_ day: Int32) -> Int32 { day - Int32(LocalDate(dayNumber: Int(day)).isoWeekday - 1) }

    /// Months since year 0.
    static func monthKey(_ day: Int32) -> Int32 {
        let date = LocalDate(dayNumber: Int(day))
        return Int32(date.year * 12 + date.month - 1)
    }

    static func code(_ outcome: LedgerOutcome) -> UInt8 { UInt8(LedgerOutcome.allCases.firstIndex(of: outcome)!) }

    /// A stable 64-bit digest of an entry id (FNV-1a over its bytes), to find the lines a
    /// reversal takes back without keeping every id.
    static func hash(_ id: EntryID) -> UInt64 { FNV1a.hash(id.bytes) }
}

extension PointsLedger {
    public func encodeState(into writer: inout BinaryWriter) {
        writer.unsigned(UInt64(kinds.count))
        for kind in kinds { writer.string(kind.rawValue) }
        writer.unsigned(UInt64(ids.count))
        for (slot, id) in ids.enumerated() {
            writer.string(id.rawValue)
            let account = accounts[slot]
            writer.integer(account.balance)
            writer.integer(Int64(account.capDay))
            writer.integer(Int64(account.today))
            writer.unsigned(UInt64(account.kindToday.count))
            for entry in account.kindToday {
                writer.unsigned(UInt64(entry.kind))
                writer.integer(Int64(entry.points))
            }
            writer.integer(Int64(account.week))
            writer.integer(account.weekPoints)
            writer.integer(Int64(account.month))
            writer.integer(account.monthPoints)
            writer.unsigned(UInt64(account.lines.count))
            for line in account.lines {
                writer.unsigned(line.position)
                writer.unsigned(line.entry)
                writer.integer(line.time)
                writer.unsigned(line.linked)
                writer.integer(Int64(line.day))
                writer.integer(Int64(line.counterpart))
                writer.integer(Int64(line.points))
                writer.integer(Int64(line.requested))
                writer.unsigned(UInt64(line.kind))
                writer.byte(line.outcome)
            }
        }
        let pairKeys = pairs.keys.sorted { ($0.giver, $0.receiver) < ($1.giver, $1.receiver) }
        writer.unsigned(UInt64(pairKeys.count))
        for key in pairKeys {
            writer.integer(Int64(key.giver))
            writer.integer(Int64(key.receiver))
            writer.integer(Int64(pairs[key]!.period))
            writer.integer(Int64(pairs[key]!.points))
        }
    }

    public mutating func restoreState(from reader: inout BinaryReader, position: UInt64) throws(StorageError) {
        func int32(_ value: Int64) throws(StorageError) -> Int32 {
            guard let exact = Int32(exactly: value) else { throw reader.corrupt("\(value) is out of range") }
            return exact
        }
        var kinds: [ActivityKind] = []
        for _ in 0..<(try reader.count()) { kinds.append(ActivityKind(try reader.string())) }
        guard kinds.count <= Int(UInt16.max) else { throw reader.corrupt("too many kinds") }
        let memberCount = try reader.count()
        var ids: [MemberID] = []
        var accounts: [Account] = []
        ids.reserveCapacity(memberCount)
        accounts.reserveCapacity(memberCount)
        func slot(_ value: Int64, allowNone: Bool) throws(StorageError) -> Int32 {
            let slot = try int32(value)
            guard slot >= (allowNone ? -1 : 0), slot < memberCount else { throw reader.corrupt("member \(slot)") }
            return slot
        }
        func kind(_ value: UInt64) throws(StorageError) -> UInt16 {
            guard value < kinds.count else { throw reader.corrupt("kind \(value)") }
            return UInt16(value)
        }
        for _ in 0..<memberCount {
            ids.append(MemberID(try reader.string()))
            var account = Account()
            account.balance = try reader.integer()
            account.capDay = try int32(reader.integer())
            account.today = try int32(reader.integer())
            for _ in 0..<(try reader.count()) {
                account.kindToday.append(
                    KindPoints(kind: try kind(reader.unsigned()), points: try int32(reader.integer())))
            }
            account.week = try int32(reader.integer())
            account.weekPoints = try reader.integer()
            account.month = try int32(reader.integer())
            account.monthPoints = try reader.integer()
            let lineCount = try reader.count()
            account.lines.reserveCapacity(lineCount)
            for _ in 0..<lineCount {
                let line = Line(
                    position: try reader.unsigned(), entry: try reader.unsigned(), time: try reader.integer(),
                    linked: try reader.unsigned(), day: try int32(reader.integer()),
                    counterpart: try slot(reader.integer(), allowNone: true), points: try int32(reader.integer()),
                    requested: try int32(reader.integer()), kind: try kind(reader.unsigned()),
                    outcome: try reader.byte())
                guard line.outcome < LedgerOutcome.allCases.count else {
                    throw reader.corrupt("outcome \(line.outcome)")
                }
                account.lines.append(line)
            }
            accounts.append(account)
        }
        var pairs: [PairKey: PairUse] = [:]
        for _ in 0..<(try reader.count()) {
            let key = PairKey(
                giver: try slot(reader.integer(), allowNone: false),
                receiver: try slot(reader.integer(), allowNone: false))
            pairs[key] = PairUse(period: try int32(reader.integer()), points: try int32(reader.integer()))
        }
        var kindIndex: [ActivityKind: UInt16] = [:]
        for (number, kind) in kinds.enumerated() where kindIndex.updateValue(UInt16(number), forKey: kind) != nil {
            throw reader.corrupt("the kind \(kind) is listed twice")
        }
        var slots: [MemberID: Int32] = [:]
        for (slot, id) in ids.enumerated() where slots.updateValue(Int32(slot), forKey: id) != nil {
            throw reader.corrupt("the member \(id) is listed twice")
        }
        self.kinds = kinds
        self.kindIndex = kindIndex
        self.ids = ids
        self.slots = slots
        self.accounts = accounts
        self.pairs = pairs
        self.touched = Set(ids.indices.map { Int32($0) })
        self.position = position
    }
}
