public import CommunityModel
import Foundation
import Storage

/// The signals of a superuser that the brief names, counted per member over their whole history.
public enum EngagementSignal: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    /// Replies that were the first response to someone else's thread.
    case firstResponses
    /// Feedback given on a peer's answer.
    case feedbackGiven
    /// Replies to question threads.
    case answersGiven
    /// Certificates shared to an outside network.
    case certificatesShared
    /// Programmes enrolled in (more than one is a signal of its own).
    case programmesTaken
    /// Events attended (checked in).
    case eventsAttended

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.index < rhs.index }

    /// The signal's place in a member's counters.
    var index: Int {
        switch self {
        case .firstResponses: 0
        case .feedbackGiven: 1
        case .answersGiven: 2
        case .certificatesShared: 3
        case .programmesTaken: 4
        case .eventsAttended: 5
        }
    }
}

/// The month a member joined the community: their cohort.
public struct CohortMonth: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    public init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    init(_ date: LocalDate) { self.init(year: date.year, month: date.month) }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }

    /// `YYYY-MM`.
    public var description: String { String(LocalDate.firstOfMonth(year: year, month: month).description.prefix(7)) }
}

/// One part of a member's score: a kind of activity (or a bonus) and the points it is worth on
/// the day asked about, after decay.
public struct EngagementContribution: Hashable, Sendable {
    /// The activity kind's name, or `bonus:firstResponse`, `bonus:secondProgramme`.
    public var source: String
    /// Milli-points (1 point = 1,000).
    public var milliPoints: Int
}

/// A member's engagement on a day, with what makes it up.
public struct MemberEngagement: Hashable, Sendable {
    public var member: MemberID
    public var cohort: CohortMonth
    /// Milli-points (1 point = 1,000): exactly the sum of `contributions`.
    public var score: Int
    /// The non-zero parts of the score, largest first.
    public var contributions: [EngagementContribution]
    /// Every signal's count, including zeros.
    public var signals: [EngagementSignal: Int]
}

/// How one signal of a flagged member compares with their cohort.
public struct SignalComparison: Hashable, Sendable {
    public var signal: EngagementSignal
    public var value: Int
    /// The share of the cohort, in percent (0…100), with a lower value.
    public var percentile: Int
}

/// A member whose engagement puts them in the top band of their cohort, and why.
public struct Superuser: Hashable, Sendable {
    public var engagement: MemberEngagement
    /// The months whose members were compared (one month, or several merged when small).
    public var cohort: ClosedRange<CohortMonth>
    public var cohortSize: Int
    /// 1 for the highest score in the cohort.
    public var rank: Int
    /// The share of the cohort, in percent (0…100), with a lower score.
    public var percentile: Int
    /// Every signal, with its cohort percentile, strongest first.
    public var signals: [SignalComparison]

    /// One line a person can read: `score 48.5, rank 2 of 40 in cohort 2026-01 (above 95% of it);
    /// signals: answersGiven 9 (97th percentile), …; score from: answered 30.1, …`.
    public var explanation: String {
        let cohortName =
            cohort.lowerBound == cohort.upperBound
            ? "\(cohort.lowerBound)" : "\(cohort.lowerBound)…\(cohort.upperBound)"
        let strong = signals.filter { $0.value > 0 }.map {
            "\($0.signal.rawValue) \($0.value) (\(ordinal($0.percentile)) percentile)"
        }
        let parts = engagement.contributions.prefix(3).map { "\($0.source) \(points($0.milliPoints))" }
        return "score \(points(engagement.score)), rank \(rank) of \(cohortSize) in cohort \(cohortName) "
            + "(above \(percentile)% of it); signals: \(strong.isEmpty ? "none" : strong.joined(separator: ", "))"
            + "; score from: \(parts.joined(separator: ", "))"
    }

    private func ordinal(_ number: Int) -> String {
        let suffix =
            switch (number % 10, number % 100) {
            case (_, 11...13): "th"
            case (1, _): "st"
            case (2, _): "nd"
            case (3, _): "rd"
            default: "th"
            }
        return "\(number)\(suffix)"
    }

    private func points(_ milli: Int) -> String {
        let tenths = (milli + 50) / 100
        return "\(tenths / 10).\(tenths % 10)"
    }
}

/// Every member's engagement, kept up to date one activity event at a time: a pure fold over
/// the activity log.
///
/// - **Cost.** O(1) per event (amortized: a dictionary lookup and a fixed number of integer
///   operations) and memory proportional to members, never to events.
/// - **Exact.** Scores are integer milli-points and decay uses a table of fixed-point factors
///   built once from the policy, so applying events one by one, in chunks with a checkpoint in
///   between, or all at once in a replay gives bit-identical state.
/// - **Decay.** A contribution halves every ``EngagementPolicy/halfLifeDays``, counted in whole
///   local days of the member (their `localDate`), and reaches exactly zero after 24 half-lives.
public struct EngagementProjection: ActivityProjection, Equatable {
    public let policy: EngagementPolicy
    /// The log position of the last event applied through ``apply(_:)-(LoggedActivity)``.
    public private(set) var position: UInt64 = 0
    private var members: [MemberID: MemberState] = [:]
    private let tables: Tables

    /// A member's state: decayed points per source as of `day`, today's counts for caps,
    /// lifetime signal counts.
    struct MemberState: Equatable, Sendable {
        var cohort: CohortMonth
        var day: Int
        var parts: [Int64]
        var capDay: Int
        var capCounts: [UInt16]
        var signals: [Int32]
    }

    /// What the policy turns into for quick lookups.
    struct Tables: Equatable, Sendable {
        /// Sources in a stable order: weighted kinds sorted by name, then the two bonuses.
        var sources: [String]
        var kindIndex: [ActivityKind: Int]
        var weights: [Int64]
        var caps: [Int]
        var firstResponse: Int
        var secondProgramme: Int
        /// `decay[d]`: 2^(-d / halfLife) in 32-bit fixed point, for d = 0 … 24 half-lives.
        var decay: [UInt64]

        init(_ policy: EngagementPolicy) {
            let kinds = policy.weights.keys.sorted()
            sources = kinds.map(\.rawValue) + ["bonus:firstResponse", "bonus:secondProgramme"]
            kindIndex = Dictionary(uniqueKeysWithValues: kinds.enumerated().map { ($1, $0) })
            weights = kinds.map { Int64(policy.weights[$0]!) * 1_000 }
            caps = kinds.map { policy.dailyCaps[$0] ?? Int.max }
            firstResponse = kinds.count
            secondProgramme = kinds.count + 1
            let days = policy.halfLifeDays * 24
            decay = (0...days).map { day in
                UInt64((pow(2, -Double(day) / Double(policy.halfLifeDays)) * 4_294_967_296).rounded())
            }
        }
    }

    /// The name its checkpoint is saved under (see `ProjectionRunner`).
    public let checkpointName: String
    /// The policy as JSON with sorted keys: a checkpoint saved under another policy is not restored.
    public let configuration: String

    /// An empty projection.
    ///
    /// - Parameters:
    ///   - policy: how activity is weighed and how superusers are chosen.
    ///   - checkpointName: the name of its saved checkpoint; give projections with different
    ///     policies that run side by side different names.
    /// - Throws: `CommunityError.invalidInput(field:reason:)` when the policy is out of range.
    public init(policy: EngagementPolicy = .default, checkpointName: String = "engagement") throws(CommunityError) {
        try policy.validate()
        self.policy = policy
        self.checkpointName = checkpointName
        tables = Tables(policy)
        configuration = Self.configurationText(of: policy)
    }

    /// The number of members seen.
    public var memberCount: Int { members.count }

    /// Applies a logged event once: events at or below ``position`` were applied already and
    /// are ignored, so replaying a page twice is harmless.
    ///
    /// - Complexity: O(1) amortized per entry; the state is O(members), with per-day buckets for the
    ///   window.
    public mutating func apply(_ logged: LoggedActivity) {
        guard logged.position > position else { return }
        apply(logged.event)
        position = logged.position
    }

    /// Applies one event.
    public mutating func apply(_ event: ActivityEvent) {
        guard event.kind != .memberErased else {
            // An erased member's score and signals go; their cohort no longer counts them.
            members.removeValue(forKey: event.member)
            return
        }
        let day = event.localDate.dayNumber
        let index: Dictionary<MemberID, MemberState>.Index
        if let found = members.index(forKey: event.member) {
            index = found
        } else {
            members[event.member] = MemberState(
                cohort: CohortMonth(event.localDate), day: day, parts: Array(repeating: 0, count: tables.sources.count),
                capDay: day, capCounts: Array(repeating: 0, count: tables.weights.count),
                signals: Array(repeating: 0, count: EngagementSignal.allCases.count))
            index = members.index(forKey: event.member)!
        }
        // In place: the member's arrays are not copied.
        Self.update(&members.values[index], with: event, day: day, tables: tables, policy: policy)
    }

    private static func update(
        _ state: inout MemberState, with event: ActivityEvent, day: Int, tables: Tables, policy: EngagementPolicy
    ) {
        if event.kind == .joinedCommunity { state.cohort = CohortMonth(event.localDate) }
        if day > state.day {
            let elapsed = day - state.day
            for index in state.parts.indices { state.parts[index] = decayed(state.parts[index], elapsed, tables) }
            state.day = day
        }

        // An entry that reverses another (a removed post, a withdrawn reaction, an un-accepted
        // answer) takes back what that entry gave: its weight, decayed from its day, and its signal.
        if event.reverses != nil, let kind = event.details.reversedKind, let reversedDay = event.details.reversedDay {
            if let index = tables.kindIndex[kind] {
                let age = max(0, day - reversedDay.dayNumber)
                state.parts[index] = max(0, state.parts[index] - decayed(tables.weights[index], age, tables))
            }
            let signal: EngagementSignal? =
                switch kind {
                case .answered: .answersGiven
                case .gaveFeedback: .feedbackGiven
                case .attendedEvent: .eventsAttended
                default: nil
                }
            if let signal, state.signals[signal.index] > 0 { state.signals[signal.index] &-= 1 }
            return
        }
        var earned = false
        if let index = tables.kindIndex[event.kind] {
            if state.capDay != day {
                state.capDay = day
                for count in state.capCounts.indices { state.capCounts[count] = 0 }
            }
            if Int(state.capCounts[index]) < tables.caps[index] {
                state.capCounts[index] &+= 1
                state.parts[index] += tables.weights[index]
                earned = true
            }
        }
        switch event.kind {
        case .replied, .answered:
            if event.kind == .answered { state.signals[EngagementSignal.answersGiven.index] &+= 1 }
            if event.details.isFirstResponse == true, event.subjectOwner != event.member {
                state.signals[EngagementSignal.firstResponses.index] &+= 1
                if earned { state.parts[tables.firstResponse] += Int64(policy.firstResponseBonus) * 1_000 }
            }
        case .gaveFeedback: state.signals[EngagementSignal.feedbackGiven.index] &+= 1
        case .shared:
            if case .certificate = event.details.shared {
                state.signals[EngagementSignal.certificatesShared.index] &+= 1
            }
        case .enrolled:
            state.signals[EngagementSignal.programmesTaken.index] &+= 1
            if state.signals[EngagementSignal.programmesTaken.index] == 2 {
                state.parts[tables.secondProgramme] += Int64(policy.secondProgrammeBonus) * 1_000
            }
        case .attendedEvent: state.signals[EngagementSignal.eventsAttended.index] &+= 1
        default: break
        }
    }

    private static func decayed(_ value: Int64, _ days: Int, _ tables: Tables) -> Int64 {
        guard value > 0 else { return value }
        guard days < tables.decay.count else { return 0 }
        let (high, low) = UInt64(value).multipliedFullWidth(by: tables.decay[days])
        return Int64(high << 32 | low >> 32)
    }

    /// A member's engagement on `date` (decayed to that day), or nil for a member never seen.
    public func engagement(of member: MemberID, on date: LocalDate) -> MemberEngagement? {
        members[member].map { engagement(member, $0, day: date.dayNumber) }
    }

    private func engagement(_ member: MemberID, _ state: MemberState, day: Int) -> MemberEngagement {
        let elapsed = max(0, day - state.day)
        let parts = state.parts.map { Self.decayed($0, elapsed, tables) }
        let contributions = zip(tables.sources, parts).filter { $0.1 > 0 }
            .map { EngagementContribution(source: $0.0, milliPoints: Int($0.1)) }
            .sorted { ($0.milliPoints, $1.source) > ($1.milliPoints, $0.source) }
        var signals: [EngagementSignal: Int] = [:]
        for signal in EngagementSignal.allCases { signals[signal] = Int(state.signals[signal.index]) }
        return MemberEngagement(
            member: member, cohort: state.cohort, score: Int(parts.reduce(0, +)), contributions: contributions,
            signals: signals)
    }

    /// The members in the top band of their cohort on `date`, each with the explanation.
    ///
    /// Members are compared only with those who joined in the same calendar month (their
    /// cohort), so a strong newcomer stands out among newcomers even when veterans have more
    /// activity in total. Cohorts smaller than ``EngagementPolicy/minimumCohortSize`` are merged
    /// with the next month's (the newest with the previous). In each cohort the top
    /// ``EngagementPolicy/topBandPercent`` percent (at least one member) with at least
    /// ``EngagementPolicy/minimumScore`` points are flagged; ties are broken by member id.
    /// Results come cohort by cohort (oldest first), highest score first.
    ///
    /// - Complexity: O(n log n) for n members: every cohort is ranked.
    public func superusers(on date: LocalDate) -> [Superuser] {
        let day = date.dayNumber
        var byCohort: [CohortMonth: [MemberEngagement]] = [:]
        for (member, state) in members {
            byCohort[state.cohort, default: []].append(engagement(member, state, day: day))
        }
        var groups: [(ClosedRange<CohortMonth>, [MemberEngagement])] = []
        var pending: (ClosedRange<CohortMonth>, [MemberEngagement])?
        for month in byCohort.keys.sorted() {
            let members = byCohort[month]!
            if let open = pending {
                pending = (open.0.lowerBound...month, open.1 + members)
            } else {
                pending = (month...month, members)
            }
            if pending!.1.count >= policy.minimumCohortSize {
                groups.append(pending!)
                pending = nil
            }
        }
        if let rest = pending {
            if let last = groups.popLast() {
                groups.append((last.0.lowerBound...rest.0.upperBound, last.1 + rest.1))
            } else {
                groups.append(rest)
            }
        }
        return groups.flatMap { superusers(in: $0.1, cohort: $0.0) }
    }

    private func superusers(in cohort: [MemberEngagement], cohort months: ClosedRange<CohortMonth>) -> [Superuser] {
        let ranked = cohort.sorted { ($0.score, $1.member) > ($1.score, $0.member) }
        let band = max(1, (ranked.count * policy.topBandPercent + 99) / 100)
        let ascendingScores = Array(ranked.map(\.score).reversed())
        var ascendingSignals: [EngagementSignal: [Int]] = [:]
        for signal in EngagementSignal.allCases {
            ascendingSignals[signal] = cohort.map { $0.signals[signal] ?? 0 }.sorted()
        }
        func below(_ value: Int, in sorted: [Int]) -> Int {
            var low = 0
            var high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if sorted[middle] < value { low = middle + 1 } else { high = middle }
            }
            return low * 100 / max(1, sorted.count)
        }
        return ranked.prefix(band).enumerated().compactMap { rank, engagement in
            guard engagement.score >= policy.minimumScore * 1_000, engagement.score > 0 else { return nil }
            let signals = EngagementSignal.allCases.map { signal in
                let value = engagement.signals[signal] ?? 0
                return SignalComparison(
                    signal: signal, value: value, percentile: below(value, in: ascendingSignals[signal]!))
            }.sorted { ($0.percentile, $0.value, $1.signal) > ($1.percentile, $1.value, $0.signal) }
            return Superuser(
                engagement: engagement, cohort: months, cohortSize: ranked.count, rank: rank + 1,
                percentile: below(engagement.score, in: ascendingScores), signals: signals)
        }
    }
}

extension EngagementProjection {
    /// Writes every member's state: counts first, so a reader can check them against the policy.
    public func encodeState(into writer: inout BinaryWriter) {
        writer.unsigned(UInt64(tables.sources.count))
        writer.unsigned(UInt64(tables.weights.count))
        writer.unsigned(UInt64(EngagementSignal.allCases.count))
        writer.unsigned(UInt64(members.count))
        for (member, state) in members {
            writer.string(member.rawValue)
            writer.integer(Int64(state.cohort.year))
            writer.integer(Int64(state.cohort.month))
            writer.integer(Int64(state.day))
            for part in state.parts { writer.integer(part) }
            writer.integer(Int64(state.capDay))
            for count in state.capCounts { writer.unsigned(UInt64(count)) }
            for count in state.signals { writer.integer(Int64(count)) }
        }
    }

    /// Reads what ``encodeState(into:)`` wrote under the same policy.
    public mutating func restoreState(from reader: inout BinaryReader, position: UInt64) throws(StorageError) {
        let sources = try reader.unsigned()
        let kinds = try reader.unsigned()
        let signalCount = try reader.unsigned()
        guard sources == tables.sources.count, kinds == tables.weights.count,
            signalCount == EngagementSignal.allCases.count
        else {
            throw reader.corrupt("the state has \(sources) sources and \(signalCount) signals, the policy others")
        }
        func int<Value: FixedWidthInteger>(_ value: Int64, as type: Value.Type) throws(StorageError) -> Value {
            guard let exact = Value(exactly: value) else { throw reader.corrupt("\(value) is out of range") }
            return exact
        }
        let count = try reader.count()
        var restored: [MemberID: MemberState] = [:]
        restored.reserveCapacity(count)
        for _ in 0..<count {
            let member = MemberID(try reader.string())
            let cohort = CohortMonth(
                year: try int(reader.integer(), as: Int.self), month: try int(reader.integer(), as: Int.self))
            let day = try int(reader.integer(), as: Int.self)
            var parts: [Int64] = []
            parts.reserveCapacity(tables.sources.count)
            for _ in 0..<tables.sources.count { parts.append(try reader.integer()) }
            let capDay = try int(reader.integer(), as: Int.self)
            var capCounts: [UInt16] = []
            for _ in 0..<tables.weights.count {
                guard let value = UInt16(exactly: try reader.unsigned()) else { throw reader.corrupt("a cap count") }
                capCounts.append(value)
            }
            var signals: [Int32] = []
            for _ in 0..<EngagementSignal.allCases.count { signals.append(try int(reader.integer(), as: Int32.self)) }
            restored[member] = MemberState(
                cohort: cohort, day: day, parts: parts, capDay: capDay, capCounts: capCounts, signals: signals)
        }
        members = restored
        self.position = position
    }
}
