public import CommunityModel
public import Foundation
public import Gamification
public import Storage

/// Evaluates badges as events arrive: a projection of the activity log that a
/// `ProjectionHost` keeps up to date and checkpointed, together with the awards it makes (its
/// effects). Each badge is awarded
/// at most once per member (repeatable ones once per fresh set of evidence), with the log
/// positions that earned it. ``evaluate(asOf:points:)`` awards what the clock alone completes (a role
/// held for long enough).
///
/// Only what the badges need is kept: activity of the kinds their criteria count, check-in
/// days, roles, hosted events, chapter sizes, challenge places, and (when a badge counts
/// points) a points ledger.
public struct BadgeProjection: ActivityProjection, Equatable {
    public let badges: [BadgeDefinition]
    public let checkpointName: String
    public let configuration: String
    public private(set) var position: UInt64 = 0

    /// Awards made since the last ``takeNewAwards()``, in the order they were made.
    public private(set) var newAwards: [BadgeAward] = []
    /// The local day of the entry (or the clock) that made each of ``newAwards``.
    private var newAwardDays: [LocalDate] = []
    /// The local day of the entry being applied: an award's `badgeAwarded` entry takes it.
    private var currentDay = LocalDate(dayNumber: 0)

    private var state = State()
    /// Its own points ledger, when a badge counts points and no shared ledger is named.
    private var ledger: PointsLedger?
    /// The name of the host's points ledger that point criteria read, when shared.
    public let sharedLedgerName: String?
    /// The shared ledger as it stands after the entry being applied; held only during that
    /// entry, so that the host's ledger stays uniquely owned (no copy of its state).
    private var sharedLedger: PointsLedger?
    /// Whether some badge counts points.
    private let usesPoints: Bool
    /// For each counted kind: its number (the index into a member's counts) and how many of
    /// the most recent activities are kept per member.
    private let window: [ActivityKind: (number: Int, keep: Int)]
    private let chapterThresholds: [Int]
    /// Per kind, the badges (indexes into ``badges``) whose criteria it can advance; an event
    /// of a kind not listed is only counted, never evaluated.
    private let badgesByKind: [ActivityKind: [Int]]
    /// Everything the projection does with a kind, found with one lookup per event; a kind
    /// that is not here is skipped.
    private let kinds: [ActivityKind: KindInfo]
    /// Per badge: the counts its criterion needs whatever else holds (a count criterion's, and
    /// those of the count parts of an `all`), and whether it is repeatable. With these, most
    /// events are found to award nothing by reading a few numbers in place.
    private let needs: Needs

    /// What ``Progress/mayEarn(any:_:)`` reads of the badges: per badge, a range of `counts`
    /// and whether it repeats.
    struct Needs: Sendable {
        var ranges: [Range<Int>] = []
        var counts: [(number: Int, atLeast: Int)] = []
        var isRepeatable: [Bool] = []
    }

    /// What the projection does with events of one kind.
    struct KindInfo: Sendable {
        var counted: (number: Int, keep: Int)?
        var role: Structural
        var badges: [Int]
    }

    /// The kinds that change more than counts.
    enum Structural: Sendable {
        case none, checkIn, roleGranted, steppedDown, createdEvent, cancelledEvent, joinedChapter, leftChapter
        case placed
    }

    struct Stamp: Codable, Hashable {
        var position: UInt64
        var time: Int64
    }

    struct Progress: Codable, Hashable {
        /// By counted kind number: the total, and the most recent activities.
        var totals: [Int] = []
        var recent: [[Stamp]] = []
        /// Per programme: check-in day numbers, sorted, with the position of each.
        var checkIns: [String: [Int32: UInt64]] = [:]
        /// The longest check-in run so far: its positions.
        var longestRun: [UInt64] = []
        var roles: [String: Stamp] = [:]
        var hosted: [String: UInt64] = [:]
        var placements: [Stamp] = []
        /// Placement places, parallel to `placements`.
        var places: [Int] = []
        /// By badge index (in ``BadgeProjection/badges``): awards so far, and for repeatable
        /// ones the evidence used. Shorter than the badges while the later ones are at 0.
        var awarded: [Int] = []
        var consumed: [Int] = []

        func value(_ array: [Int], _ index: Int) -> Int { index < array.count ? array[index] : 0 }

        /// Counts one activity of a counted kind, then tells whether any of the badges at
        /// `indexes` may now be awarded (see ``mayEarn(any:_:)``): one call, so that the
        /// progress is changed and read where it is stored, never copied.
        mutating func count(
            _ stamp: Stamp, as counted: (number: Int, keep: Int), thenMayEarn indexes: [Int], _ needs: Needs
        ) -> Bool {
            let number = counted.number
            if totals.count <= number {
                totals += [Int](repeating: 0, count: number + 1 - totals.count)
                recent += [[Stamp]](repeating: [], count: number + 1 - recent.count)
            }
            totals[number] += 1
            recent[number].append(stamp)
            // Trimmed in one go once it holds a quarter more than is kept: amortized O(1) per
            // event, where dropping the oldest one each time moves the whole window every time.
            if recent[number].count >= counted.keep + counted.keep / 4 + 8 {
                recent[number].removeFirst(recent[number].count - counted.keep)
            }
            return mayEarn(any: indexes, needs)
        }

        /// False when none of the badges at `indexes` can be awarded now: each is a one-time
        /// badge already awarded, or misses a count its criterion needs.
        func mayEarn(any indexes: [Int], _ needs: Needs) -> Bool {
            for index in indexes {
                let repeatable = needs.isRepeatable[index]
                guard repeatable || value(awarded, index) == 0 else { continue }
                let consumed = repeatable ? value(self.consumed, index) : 0
                var met = true
                for need in needs.counts[needs.ranges[index]] where value(totals, need.number) - consumed < need.atLeast
                {
                    met = false
                    break
                }
                if met { return true }
            }
            return false
        }

        /// Takes back one activity of a counted kind, logged on local day `day`: the total
        /// goes down by one (never below zero), and the latest recent activity of that day
        /// (within a day either side, since the stamp's time is in UTC) leaves the window.
        mutating func uncount(_ number: Int, onDay day: LocalDate) {
            guard number < totals.count, totals[number] > 0 else { return }
            totals[number] -= 1
            let dayStart = Int64(day.dayNumber) &* 86_400_000
            let near = (dayStart &- 86_400_000)..<(dayStart &+ 2 &* 86_400_000)
            if let index = recent[number].lastIndex(where: { near.contains($0.time) }) {
                recent[number].remove(at: index)
            }
        }

        static func set(_ array: inout [Int], _ index: Int, _ value: Int) {
            if array.count <= index { array += [Int](repeating: 0, count: index + 1 - array.count) }
            array[index] = value
        }
    }

    struct State: Codable, Hashable {
        /// Each member's progress, by id. The progress is the dictionary's value, not in an
        /// array beside it: at 650,000 members every lookup is a trip to memory, and the
        /// dictionary reads the id and the progress at once, where a slot then an array entry
        /// would be two trips, one after the other.
        var members: [String: Progress] = [:]
        var chapterSizes: [String: Int] = [:]
        /// Per chapter, per threshold: the position of the join that reached it.
        var milestones: [String: [Int: UInt64]] = [:]
        var organizers: [String: Set<String>] = [:]
        /// Who created each event not cancelled.
        var eventHosts: [String: String] = [:]
    }

    /// - Parameters:
    ///   - badges: the definitions; ids must be unique.
    ///   - pointsPolicy: the points policy, when a badge counts points and the projection keeps a
    ///     ledger of its own.
    ///   - checkpointName: the name of its saved checkpoint.
    ///   - sharedLedger: the checkpoint name of the `PointsLedger` registered before it on a
    ///     `ProjectionHost`: point criteria then read the points the leaderboards show, under the
    ///     school's policy and time zone, instead of a ledger of its own.
    public init(
        badges: [BadgeDefinition], pointsPolicy: PointsPolicy = .default, checkpointName: String = "badges",
        sharedLedger: String? = nil
    ) throws(RecognitionError) {
        var seen: Set<BadgeID> = []
        for badge in badges {
            try badge.validate()
            guard seen.insert(badge.id).inserted else {
                throw .invalidInput(field: "badges", reason: "the id \(badge.id) is used twice")
            }
        }
        self.badges = badges.sorted { $0.id < $1.id }
        self.checkpointName = checkpointName
        var keep: [ActivityKind: Int] = [:]
        var thresholds: Set<Int> = []
        var usesPoints = false
        for part in badges.flatMap(\.criterion.flattened) {
            switch part {
            case .count(let kind, let n, _): keep[kind] = max(keep[kind] ?? 0, n)
            case .chapterMembers(let n): thresholds.insert(n)
            case .points: usesPoints = true
            default: break
            }
        }
        window = Dictionary(
            uniqueKeysWithValues: keep.keys.sorted().enumerated().map { ($1, (number: $0, keep: keep[$1]!)) })
        chapterThresholds = thresholds.sorted()
        var byKind: [ActivityKind: [Int]] = [:]
        for (index, badge) in self.badges.enumerated() {
            var kinds: Set<ActivityKind> = []
            for part in badge.criterion.flattened {
                switch part {
                case .count(let kind, _, _): kinds.insert(kind)
                case .streak: kinds.insert(.checkedIn)
                case .points: kinds.formUnion(Set(pointsPolicy.rules.keys).union([.pointsAdjusted]))
                case .roleHeld: kinds.formUnion([.roleGranted, .becameOrganizer])
                case .eventsHosted: kinds.insert(.createdEvent)
                case .chapterMembers: kinds.formUnion([.joinedChapter, .becameOrganizer])
                case .challengePlacement: kinds.insert(.placedInChallenge)
                case .all, .any: break
                }
            }
            for kind in kinds { byKind[kind, default: []].append(index) }
        }
        badgesByKind = byKind
        let structural: [ActivityKind: Structural] = [
            .checkedIn: .checkIn, .roleGranted: .roleGranted, .becameOrganizer: .roleGranted,
            .steppedDown: .steppedDown, .createdEvent: .createdEvent, .cancelledEvent: .cancelledEvent,
            .joinedChapter: .joinedChapter, .leftChapter: .leftChapter, .placedInChallenge: .placed,
        ]
        var kinds: [ActivityKind: KindInfo] = [:]
        for kind in Set(window.keys).union(structural.keys).union(byKind.keys) {
            kinds[kind] = KindInfo(counted: window[kind], role: structural[kind] ?? .none, badges: byKind[kind] ?? [])
        }
        self.kinds = kinds
        var needs = Needs(isRepeatable: self.badges.map(\.isRepeatable))
        for badge in self.badges {
            let start = needs.counts.count
            needs.counts += Self.neededCounts(badge.criterion, numbers: window)
            needs.ranges.append(start..<needs.counts.count)
        }
        self.needs = needs
        self.usesPoints = usesPoints
        sharedLedgerName = usesPoints ? sharedLedger : nil
        if usesPoints, sharedLedger == nil {
            do { ledger = try PointsLedger(policy: pointsPolicy, checkpointName: checkpointName + "-points") } catch {
                throw .invalidInput(field: "pointsPolicy", reason: "\(error)")
            }
        }
        configuration =
            "badges (state 6) " + Self.configurationText(of: self.badges)
            + (usesPoints
                ? (sharedLedger.map { " points from \($0)" } ?? " points " + Self.configurationText(of: pointsPolicy))
                : "")
    }

    /// The counts that `criterion` needs whatever else holds: by counted kind number, at least
    /// how many.
    private static func neededCounts(
        _ criterion: BadgeCriterion, numbers: [ActivityKind: (number: Int, keep: Int)]
    ) -> [(number: Int, atLeast: Int)] {
        switch criterion {
        case .count(let kind, let n, _): numbers[kind].map { [(number: $0.number, atLeast: n)] } ?? []
        case .all(let parts): parts.flatMap { neededCounts($0, numbers: numbers) }
        default: []
        }
    }

    /// Equal when they have the same configuration and are at the same position with the same
    /// progress (awards not yet taken aside).
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.configuration == rhs.configuration && lhs.checkpointName == rhs.checkpointName
            && lhs.position == rhs.position && lhs.state == rhs.state && lhs.ledger == rhs.ledger
    }

    /// The awards made since the last call, and forgets them.
    public mutating func takeNewAwards() -> [BadgeAward] {
        defer {
            newAwards = []
            newAwardDays = []
        }
        return newAwards
    }

    /// The awards made since the last call, as effects: each award's record (created only if
    /// absent) and its `badgeAwarded` entry, whose id is derived from the award's id (the same
    /// in every process) and whose local day is that of the entry that completed the criterion.
    public mutating func takeEffects() -> [ProjectionEffect] {
        let days = newAwardDays
        return zip(takeNewAwards(), days).compactMap { award, day in
            let digest = SHA256.hash(Array(("badgeAwarded\0" + award.id.rawValue).utf8))
            guard let id = EntryID(bytes: digest.prefix(16)),
                let entry = try? ActivityEvent(
                    id: id, kind: .badgeAwarded, member: award.member, time: Timestamp(award.awardedAt),
                    localDate: day, context: ActivityContext(subject: .badge(award.badge))
                ).logEntry()
            else { return nil }
            return try? ProjectionEffect.create(
                StoredAward(award: award, revocation: nil), id: award.id.rawValue, in: RecognitionService.awards,
                logging: entry)
        }
    }

    /// How many times a member has been awarded a badge.
    public func awardCount(_ badge: BadgeID, of member: MemberID) -> Int {
        guard let index = badges.firstIndex(where: { $0.id == badge }), let progress = state.members[member.rawValue]
        else { return 0 }
        return progress.value(progress.awarded, index)
    }

    // MARK: Folding

    /// An erased member's progress goes, with awards not yet stored; chapters keep their sizes
    /// (counts that tell no one apart).
    private mutating func forget(_ member: String) {
        state.members.removeValue(forKey: member)
        for chapter in state.organizers.keys { state.organizers[chapter]?.remove(member) }
        for (event, host) in state.eventHosts where host == member { state.eventHosts.removeValue(forKey: event) }
        for index in newAwards.indices.reversed() where newAwards[index].member.rawValue == member {
            newAwards.remove(at: index)
            newAwardDays.remove(at: index)
        }
    }

    /// Applies an entry on a host: with a shared ledger, the point criteria read the host's
    /// ledger as it stands after the same entry.
    public mutating func apply(_ logged: LoggedActivity, reading earlier: ProjectionReader) {
        guard let name = sharedLedgerName else { return apply(logged) }
        sharedLedger = earlier.state(of: PointsLedger.self, named: name)
        apply(logged)
        sharedLedger = nil
    }

    ///
    /// - Complexity: O(b) per entry for the b badges whose criteria count the entry's kind; the
    ///   state is O(members × badges).
    public mutating func apply(_ logged: LoggedActivity) {
        guard logged.position > position else { return }
        position = logged.position
        ledger?.apply(logged)
        let event = logged.event
        currentDay = event.localDate
        if event.kind == .memberErased {
            forget(event.member.rawValue)
            return
        }
        // An entry that reverses another (a removed post, a withdrawn reaction) takes back the
        // count the reversed entry added. Awards already made stay: staff revoke them.
        if event.reverses != nil, let reversed = event.details.reversedKind,
            let counted = kinds[reversed]?.counted
        {
            state.members[event.member.rawValue]?.uncount(
                counted.number, onDay: event.details.reversedDay ?? event.localDate)
        }
        // Kinds that pay points are among `kinds` when a badge counts points; others only
        // take points away, which never earns a badge.
        guard let info = kinds[event.kind] else { return }
        let stamp = Stamp(position: logged.position, time: event.time.millisecondsSince1970)
        let member = event.member.rawValue
        // Members to evaluate besides the event's own: usually none, and an empty array
        // allocates nothing.
        var others: [String] = []
        var memberPlace: Place?
        // False when the event's member can earn nothing from it.
        var mayAward = true
        if let counted = info.counted {
            let place = place(member)
            mayAward = state.members.values[place].count(stamp, as: counted, thenMayEarn: info.badges, needs)
            memberPlace = place
        }
        switch info.role {
        case .checkIn:
            if let programme = event.programme {
                let day = Int32(truncatingIfNeeded: (event.details.day ?? event.localDate).dayNumber)
                record(checkIn: day, programme: programme.rawValue, position: logged.position, member: member)
            }
        case .roleGranted:
            let role = event.details.role ?? (event.kind == .becameOrganizer ? .chapterOrganizer : nil)
            if let role {
                let place = place(member)
                if state.members.values[place].roles[role.rawValue] == nil {
                    state.members.values[place].roles[role.rawValue] = stamp
                }
            }
            if event.kind == .becameOrganizer, let chapter = event.chapter {
                state.organizers[chapter.rawValue, default: []].insert(member)
            }
        case .steppedDown:
            state.members[member]?.roles[Role.chapterOrganizer.rawValue] = nil
            if let chapter = event.chapter { state.organizers[chapter.rawValue]?.remove(member) }
        case .createdEvent:
            if let subject = event.subject {
                state.members.values[place(member)].hosted[subject.rawValue] = logged.position
                state.eventHosts[subject.rawValue] = member
            }
        case .cancelledEvent:
            if let subject = event.subject, let host = state.eventHosts.removeValue(forKey: subject.rawValue) {
                state.members[host]?.hosted[subject.rawValue] = nil
            }
        case .joinedChapter, .leftChapter:
            if let chapter = event.chapter?.rawValue {
                let size = state.chapterSizes[chapter, default: 0] + (event.kind == .joinedChapter ? 1 : -1)
                state.chapterSizes[chapter] = size
                for threshold in chapterThresholds
                where size >= threshold && state.milestones[chapter]?[threshold] == nil {
                    state.milestones[chapter, default: [:]][threshold] = logged.position
                    others += state.organizers[chapter] ?? []
                }
            }
        case .placed:
            if let place = event.details.placement {
                let index = self.place(member)
                state.members.values[index].placements.append(stamp)
                state.members.values[index].places.append(place)
            }
        case .none: break
        }
        if usesPoints {
            if let owner = event.subjectOwner { others.append(owner.rawValue) }
            if let actor = event.actor { others.append(actor.rawValue) }
        }
        guard !info.badges.isEmpty else { return }
        let time = event.time.millisecondsSince1970
        guard !others.isEmpty else {
            if mayAward { evaluate(member, place: memberPlace, info.badges, at: time, position: logged.position) }
            return
        }
        for member in Set(others + (mayAward ? [member] : [])).sorted() {
            evaluate(member, info.badges, at: time, position: logged.position)
        }
    }

    /// Awards what the clock completes by `date` (a role held for long enough), for every member.
    ///
    /// - Complexity: O(m × b) for the m members who hold a role and the b clock-based badges.
    @discardableResult
    public mutating func evaluate(asOf date: Date, points shared: PointsLedger? = nil) -> [BadgeAward] {
        sharedLedger = shared
        defer { sharedLedger = nil }
        let before = newAwards.count
        guard badges.contains(where: \.criterion.dependsOnTime) else { return [] }
        let time = Timestamp(date).millisecondsSince1970
        currentDay = LocalDate(date, in: .utc)
        let timed = badges.indices.filter { badges[$0].criterion.dependsOnTime }
        // Only members who hold a role can gain from time passing: found first, then sorted.
        for member in state.members.compactMap({ $0.value.roles.isEmpty ? nil : $0.key }).sorted() {
            evaluate(member, timed, at: time, position: position)
        }
        // An award the clock completed is dated when its criterion was met (the role's days
        // were up), not when the clock was read: no entry triggered it, and a catch-up that runs
        // late must not make it later.
        for index in newAwards.indices.dropFirst(before) {
            let award = newAwards[index]
            guard let badge = badges.first(where: { $0.id == award.badge }),
                let progress = state.members[award.member.rawValue],
                let met = Self.moment(badge.criterion, progress), met < time
            else { continue }
            newAwards[index].awardedAt = Timestamp(millisecondsSince1970: met).date
            newAwardDays[index] = LocalDate(newAwards[index].awardedAt, in: .utc)
        }
        return Array(newAwards[before...])
    }

    /// When the clock completed `criterion` for a member: the moment its role was held long
    /// enough (the latest such moment for `all`, the earliest for `any`); nil when no role
    /// decides it.
    private static func moment(_ criterion: BadgeCriterion, _ progress: Progress) -> Int64? {
        switch criterion {
        case .roleHeld(let role, let days):
            return progress.roles[role.rawValue].map { $0.time &+ Int64(days) &* 86_400_000 }
        case .all(let parts): return parts.compactMap { moment($0, progress) }.max()
        case .any(let parts): return parts.compactMap { moment($0, progress) }.min()
        default: return nil
        }
    }

    private mutating func record(checkIn day: Int32, programme: String, position: UInt64, member: String) {
        let place = place(member)
        var progress = state.members.values[place]
        var days = progress.checkIns[programme, default: [:]]
        guard days[day] == nil else { return }
        days[day] = position
        var run = [position]
        var before = day - 1
        while let earlier = days[before] {
            run.insert(earlier, at: 0)
            before -= 1
        }
        var after = day + 1
        while let later = days[after] {
            run.append(later)
            after += 1
        }
        if run.count > progress.longestRun.count { progress.longestRun = run }
        progress.checkIns[programme] = days
        state.members.values[place] = progress
    }

    /// Where a member's progress is in the id dictionary.
    typealias Place = Dictionary<String, Progress>.Index

    /// Where the member's progress is, made empty when they have none yet.
    private mutating func place(_ member: String) -> Place {
        if let found = state.members.index(forKey: member) { return found }
        state.members[member] = Progress()
        return state.members.index(forKey: member)!
    }

    // MARK: Evaluating

    /// Evaluates the badges at `indexes` for one member, whose place is `known` when the
    /// caller has it at hand.
    private mutating func evaluate(
        _ member: String, place known: Place? = nil, _ indexes: [Int], at time: Int64, position: UInt64
    ) {
        let existing = known ?? state.members.index(forKey: member)
        guard let progress = existing.map({ state.members.values[$0] }) ?? (usesPoints ? Progress() : nil) else {
            return
        }
        // A copy to read from (a retain of each array, measured cheaper than reading the
        // stored state in place), written back only when an award was made.
        var updated = progress
        var changed = false
        for index in indexes {
            let badge = badges[index]
            var awards = updated.value(updated.awarded, index)
            while badge.isRepeatable || awards == 0 {
                guard let evidence = evidence(for: badge.criterion, of: member, updated, at: time, badge: index)
                else { break }
                awards += 1
                changed = true
                Progress.set(&updated.awarded, index, awards)
                if badge.isRepeatable {
                    Progress.set(&updated.consumed, index, updated.value(updated.consumed, index) + used(badge))
                }
                newAwardDays.append(currentDay)
                newAwards.append(
                    BadgeAward(
                        badge: badge.id, member: MemberID(member), number: awards, position: position,
                        awardedAt: Timestamp(millisecondsSince1970: time).date, evidence: evidence))
            }
        }
        guard changed else { return }
        if let existing { state.members.values[existing] = updated } else { state.members[member] = updated }
    }

    /// What one award of a repeatable badge uses up: its count, or one placement.
    private func used(_ badge: BadgeDefinition) -> Int {
        if case .count(_, let n, _) = badge.criterion { return n }
        return 1
    }

    private func evidence(
        for criterion: BadgeCriterion, of member: String, _ progress: Progress, at time: Int64, badge: Int
    ) -> [UInt64]? {
        let consumed = badges[badge].isRepeatable ? progress.value(progress.consumed, badge) : 0
        switch criterion {
        case .count(let kind, let n, let days):
            guard let number = window[kind]?.number, number < progress.totals.count,
                progress.totals[number] - consumed >= n
            else { return nil }
            let recent = progress.recent[number]
            guard recent.count >= n else { return nil }
            let last = recent.suffix(n)
            if let days, let first = last.first, first.time < time - Int64(days) * 86_400_000 { return nil }
            return last.map(\.position)
        case .streak(let days):
            return progress.longestRun.count >= days ? progress.longestRun : nil
        case .points(let n):
            guard let ledger = sharedLedger ?? ledger, ledger.balance(of: MemberID(member)) >= n else { return nil }
            return ledger.lines(of: MemberID(member)).filter { $0.points > 0 }.map(\.position)
        case .roleHeld(let role, let days):
            guard let since = progress.roles[role.rawValue], time - since.time >= Int64(days) * 86_400_000 else {
                return nil
            }
            return [since.position]
        case .eventsHosted(let n):
            let hosted = progress.hosted.values.sorted()
            return hosted.count >= n ? Array(hosted.prefix(n)) : nil
        case .chapterMembers(let n):
            for (chapter, organizers) in state.organizers.sorted(by: { $0.key < $1.key })
            where organizers.contains(member) {
                if let reached = state.milestones[chapter]?[n] { return [reached] }
            }
            return nil
        case .challengePlacement(let best):
            let eligible = zip(progress.placements, progress.places).filter { $0.1 <= best }.map(\.0.position)
            return eligible.count > consumed ? [eligible[consumed]] : nil
        case .all(let parts):
            var evidence: [UInt64] = []
            for part in parts {
                guard let found = self.evidence(for: part, of: member, progress, at: time, badge: badge) else {
                    return nil
                }
                evidence += found
            }
            return Array(Set(evidence)).sorted()
        case .any(let parts):
            for part in parts {
                if let found = self.evidence(for: part, of: member, progress, at: time, badge: badge) { return found }
            }
            return nil
        }
    }

    // MARK: Checkpoints

    /// The state in binary (JSON of 650,000 members took most of a checkpoint's time), in the
    /// order of the dictionaries, then the points ledger the projection keeps itself, if any.
    public func encodeState(into writer: inout BinaryWriter) {
        func stamps(_ list: [Stamp]) {
            writer.unsigned(UInt64(list.count))
            for stamp in list {
                writer.unsigned(stamp.position)
                writer.integer(stamp.time)
            }
        }
        func integers(_ list: [Int]) {
            writer.unsigned(UInt64(list.count))
            for value in list { writer.integer(Int64(value)) }
        }
        writer.unsigned(UInt64(state.members.count))
        for (member, progress) in state.members {
            writer.string(member)
            integers(progress.totals)
            writer.unsigned(UInt64(progress.recent.count))
            for list in progress.recent { stamps(list) }
            writer.unsigned(UInt64(progress.checkIns.count))
            for (programme, days) in progress.checkIns {
                writer.string(programme)
                writer.unsigned(UInt64(days.count))
                for (day, position) in days {
                    writer.integer(Int64(day))
                    writer.unsigned(position)
                }
            }
            writer.unsigned(UInt64(progress.longestRun.count))
            for position in progress.longestRun { writer.unsigned(position) }
            writer.unsigned(UInt64(progress.roles.count))
            for (role, since) in progress.roles {
                writer.string(role)
                stamps([since])
            }
            writer.unsigned(UInt64(progress.hosted.count))
            for (event, position) in progress.hosted {
                writer.string(event)
                writer.unsigned(position)
            }
            stamps(progress.placements)
            integers(progress.places)
            integers(progress.awarded)
            integers(progress.consumed)
        }
        writer.unsigned(UInt64(state.chapterSizes.count))
        for (chapter, size) in state.chapterSizes {
            writer.string(chapter)
            writer.integer(Int64(size))
        }
        writer.unsigned(UInt64(state.milestones.count))
        for (chapter, reached) in state.milestones {
            writer.string(chapter)
            writer.unsigned(UInt64(reached.count))
            for (threshold, position) in reached {
                writer.integer(Int64(threshold))
                writer.unsigned(position)
            }
        }
        writer.unsigned(UInt64(state.organizers.count))
        for (chapter, organizers) in state.organizers {
            writer.string(chapter)
            writer.unsigned(UInt64(organizers.count))
            for organizer in organizers { writer.string(organizer) }
        }
        writer.unsigned(UInt64(state.eventHosts.count))
        for (event, host) in state.eventHosts {
            writer.string(event)
            writer.string(host)
        }
        var points = BinaryWriter()
        ledger?.encodeState(into: &points)
        writer.unsigned(UInt64(points.bytes.count))
        writer.raw(points.bytes)
    }

    public mutating func restoreState(from reader: inout BinaryReader, position: UInt64) throws(StorageError) {
        func stamps() throws(StorageError) -> [Stamp] {
            var list: [Stamp] = []
            for _ in 0..<(try reader.count()) {
                list.append(Stamp(position: try reader.unsigned(), time: try reader.integer()))
            }
            return list
        }
        func integers() throws(StorageError) -> [Int] {
            var list: [Int] = []
            for _ in 0..<(try reader.count()) { list.append(try reader.integer(as: Int.self)) }
            return list
        }
        var restored = State()
        let memberCount = try reader.count()
        restored.members.reserveCapacity(memberCount)
        for _ in 0..<memberCount {
            let member = try reader.string()
            var progress = Progress()
            progress.totals = try integers()
            for _ in 0..<(try reader.count()) { progress.recent.append(try stamps()) }
            guard progress.recent.count == progress.totals.count else {
                throw reader.corrupt(
                    "the progress of \(member) has \(progress.totals.count) totals, \(progress.recent.count) windows")
            }
            for _ in 0..<(try reader.count()) {
                let programme = try reader.string()
                var days: [Int32: UInt64] = [:]
                for _ in 0..<(try reader.count()) { days[try reader.integer(as: Int32.self)] = try reader.unsigned() }
                progress.checkIns[programme] = days
            }
            for _ in 0..<(try reader.count()) { progress.longestRun.append(try reader.unsigned()) }
            for _ in 0..<(try reader.count()) {
                let role = try reader.string()
                guard let since = try stamps().first else { throw reader.corrupt("a role of \(member) has no start") }
                progress.roles[role] = since
            }
            for _ in 0..<(try reader.count()) { progress.hosted[try reader.string()] = try reader.unsigned() }
            progress.placements = try stamps()
            progress.places = try integers()
            guard progress.places.count == progress.placements.count else {
                throw reader.corrupt("the placements of \(member) and their places differ in number")
            }
            progress.awarded = try integers()
            progress.consumed = try integers()
            restored.members[member] = progress
        }
        for _ in 0..<(try reader.count()) {
            restored.chapterSizes[try reader.string()] = try reader.integer(as: Int.self)
        }
        for _ in 0..<(try reader.count()) {
            let chapter = try reader.string()
            var reached: [Int: UInt64] = [:]
            for _ in 0..<(try reader.count()) { reached[try reader.integer(as: Int.self)] = try reader.unsigned() }
            restored.milestones[chapter] = reached
        }
        for _ in 0..<(try reader.count()) {
            let chapter = try reader.string()
            var organizers: Set<String> = []
            for _ in 0..<(try reader.count()) { organizers.insert(try reader.string()) }
            restored.organizers[chapter] = organizers
        }
        for _ in 0..<(try reader.count()) { restored.eventHosts[try reader.string()] = try reader.string() }
        let pointBytes = try reader.take(try reader.count())
        if var ledger {
            var pointsReader = BinaryReader(pointBytes, collection: "projection-chunks", id: checkpointName + "-points")
            try ledger.restoreState(from: &pointsReader, position: position)
            self.ledger = ledger
        }
        try reader.expectEnd()
        state = restored
        self.position = position
        newAwards = []
        newAwardDays = []
    }
}
