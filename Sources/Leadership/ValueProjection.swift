public import CommunityModel
import Foundation
public import Storage

/// What the value report for leadership is built from, kept up to date from the activity log
/// (a `ProjectionRunner` keeps and checkpoints it): per member, when they joined, the months
/// they were active, when they first took part in the community, and their enrolments; per
/// month, the events, registrations, attendance and advocacy; per question, when it was asked,
/// first answered and accepted.
public struct ValueProjection: ActivityProjection, Equatable {
    public let checkpointName: String
    public let configuration = "value (state 5)"
    public private(set) var position: UInt64 = 0

    struct EnrolmentFacts: Codable, Hashable {
        var enrolledAt: Int64
        var completedAt: Int64?
    }

    struct MemberFacts: Codable, Hashable {
        var joinedAt: Int64?
        /// Month numbers (year × 12 + month − 1, in UTC), ascending, each once.
        var activeMonths: [Int32] = []
        /// The last of `activeMonths` (`Int32.min` while there is none), kept beside it so that the
        /// common case, another event in the same month, reads no array: at 650,000 members
        /// the array's storage is one more trip to memory per event.
        var latestActiveMonth = Int32.min
        /// The first time they took part in the community (a post, a reaction, an event, a chapter, a share).
        var firstParticipation: Int64?
        var enrolments: [String: EnrolmentFacts] = [:]
    }

    struct QuestionFacts: Codable, Hashable {
        var askedAt: Int64
        var board: String?
        var chapter: String?
        var firstAnswerAt: Int64?
    }

    /// Counts per month and chapter ("" for none).
    struct Counts: Codable, Hashable {
        var eventsCreated = 0
        var registrations = 0
        var attendance = 0
        var shares = 0
        var referredSignUps = 0

        enum Field: Sendable { case eventsCreated, registrations, attendance, shares, referredSignUps }

        /// Takes back one of `field`, never below zero.
        mutating func remove(_ field: Field) {
            switch field {
            case .eventsCreated: eventsCreated = max(0, eventsCreated - 1)
            case .registrations: registrations = max(0, registrations - 1)
            case .attendance: attendance = max(0, attendance - 1)
            case .shares: shares = max(0, shares - 1)
            case .referredSignUps: referredSignUps = max(0, referredSignUps - 1)
            }
        }

        mutating func add(_ field: Field) {
            switch field {
            case .eventsCreated: eventsCreated += 1
            case .registrations: registrations += 1
            case .attendance: attendance += 1
            case .shares: shares += 1
            case .referredSignUps: referredSignUps += 1
            }
        }
    }

    struct State: Codable, Hashable {
        /// Each member's facts, by member id. The facts are the dictionary's values, not an
        /// array beside it found through a slot: at 650,000 members each lookup is a trip to
        /// memory, and the dictionary reads a key and its value at once.
        var members: [String: MemberFacts] = [:]
        var counts: [Int32: [String: Counts]] = [:]
        var questions: [String: QuestionFacts] = [:]
    }

    var state = State()

    public init(checkpointName: String = "value") { self.checkpointName = checkpointName }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.checkpointName == rhs.checkpointName && lhs.position == rhs.position && lhs.state == rhs.state
    }

    /// The kinds that count as taking part in the community (beyond joining and enrolling).
    static let participation: Set<ActivityKind> = [
        .startedThread, .askedQuestion, .replied, .answered, .gaveFeedback, .reacted, .registeredForEvent,
        .attendedEvent, .joinedChapter, .shared, .createdEvent, .answerAccepted,
    ]

    /// Kinds that do not make a member active: they happen to the member's record, not in the community.
    /// A removal is done to the author by a moderator.
    static let bookkeeping: Set<ActivityKind> = [.joinedCommunity, .profileUpdated, .roleGranted, .contentRemoved]

    /// What the projection does with an event of one kind: found with one lookup per event,
    /// where asking two sets and matching the kind against each case compared strings a dozen
    /// times.
    struct Role: Sendable {
        enum Action: Sendable {
            case none, joined, enrolled, completed, question, answer
            case count(Counts.Field)
        }

        var makesActive = true
        var isParticipation = false
        var action = Action.none
    }

    /// The role of every kind the projection reads; any other kind makes its member active and
    /// nothing more.
    static let roles: [ActivityKind: Role] = {
        let actions: [ActivityKind: Role.Action] = [
            .joinedCommunity: .joined, .enrolled: .enrolled, .completed: .completed, .askedQuestion: .question,
            .answered: .answer, .createdEvent: .count(.eventsCreated), .registeredForEvent: .count(.registrations),
            .attendedEvent: .count(.attendance), .shared: .count(.shares),
            .referralAttributed: .count(.referredSignUps),
        ]
        var roles: [ActivityKind: Role] = [:]
        for kind in participation.union(bookkeeping).union(actions.keys) {
            roles[kind] = Role(
                makesActive: !bookkeeping.contains(kind), isParticipation: participation.contains(kind),
                action: actions[kind] ?? .none)
        }
        return roles
    }()

    /// The month (year × 12 + month − 1) of a time, in UTC, by integer arithmetic only.
    static func month(_ milliseconds: Int64) -> Int32 {
        let day = (milliseconds - (milliseconds < 0 ? 86_399_999 : 0)) / 86_400_000
        let date = LocalDate(dayNumber: Int(day))
        return Int32(date.year * 12 + date.month - 1)
    }

    ///
    /// - Complexity: O(1) amortized per entry; the state is O(members + threads).
    public mutating func apply(_ logged: LoggedActivity) {
        guard logged.position > position else { return }
        position = logged.position
        let event = logged.event
        guard event.kind != .memberErased else {
            // The counts by month and chapter stay (they tell no one apart); the member's own
            // facts go, so the report's cohorts and retention no longer count them.
            state.members.removeValue(forKey: event.member.rawValue)
            return
        }
        let time = event.time.millisecondsSince1970
        let month = Self.month(time)
        let role = Self.roles[event.kind] ?? Role()
        // An entry that reverses another takes back the count the reversed entry added, in the
        // month and chapter it was counted in. (The time to a question's first answer is not
        // taken back: a removed answer was still a response.)
        if event.reverses != nil, let kind = event.details.reversedKind, let reversedDay = event.details.reversedDay,
            case .count(let field) = Self.roles[kind]?.action
        {
            let reversedMonth = Int32(reversedDay.year * 12 + reversedDay.month - 1)
            state.counts[reversedMonth]?[event.chapter?.rawValue ?? ""]?.remove(field)
        }
        let member = index(event.member.rawValue)
        // One mutating call, so the facts are changed in place in the dictionary, never copied.
        state.members.values[member].note(event, role: role, time: time, month: month)
        switch role.action {
        case .count(let field):
            state.counts[month, default: [:]][event.chapter?.rawValue ?? "", default: Counts()].add(field)
        case .question:
            if let thread = event.subject?.rawValue {
                state.questions[thread] = QuestionFacts(
                    askedAt: time, board: event.board?.rawValue, chapter: event.chapter?.rawValue)
            }
        case .answer:
            if event.details.isFirstResponse == true, let thread = event.subject?.rawValue,
                state.questions[thread]?.firstAnswerAt == nil
            {
                state.questions[thread]?.firstAnswerAt = time
            }
        case .none, .joined, .enrolled, .completed: break
        }
    }

    /// Where the member's facts are in `state.members`, adding them when they are new.
    private mutating func index(_ member: String) -> Dictionary<String, MemberFacts>.Index {
        if let found = state.members.index(forKey: member) { return found }
        state.members[member] = MemberFacts()
        return state.members.index(forKey: member)!
    }

    /// The state in binary (JSON of 650,000 members took most of a checkpoint's time), in the
    /// order of the dictionaries: equal states may differ in bytes, never in what they decode to.
    public func encodeState(into writer: inout BinaryWriter) {
        writer.unsigned(UInt64(state.members.count))
        for (member, facts) in state.members {
            writer.string(member)
            writer.optionalInteger(facts.joinedAt)
            writer.unsigned(UInt64(facts.activeMonths.count))
            for month in facts.activeMonths { writer.integer(Int64(month)) }
            writer.optionalInteger(facts.firstParticipation)
            writer.unsigned(UInt64(facts.enrolments.count))
            for (programme, enrolment) in facts.enrolments {
                writer.string(programme)
                writer.integer(enrolment.enrolledAt)
                writer.optionalInteger(enrolment.completedAt)
            }
        }
        writer.unsigned(UInt64(state.counts.count))
        for (month, byChapter) in state.counts {
            writer.integer(Int64(month))
            writer.unsigned(UInt64(byChapter.count))
            for (chapter, counts) in byChapter {
                writer.string(chapter)
                for value in [
                    counts.eventsCreated, counts.registrations, counts.attendance, counts.shares,
                    counts.referredSignUps,
                ] {
                    writer.integer(Int64(value))
                }
            }
        }
        writer.unsigned(UInt64(state.questions.count))
        for (thread, question) in state.questions {
            writer.string(thread)
            writer.integer(question.askedAt)
            writer.optionalString(question.board)
            writer.optionalString(question.chapter)
            writer.optionalInteger(question.firstAnswerAt)
        }
    }

    public mutating func restoreState(from reader: inout BinaryReader, position: UInt64) throws(StorageError) {
        var restored = State()
        let memberCount = try reader.count()
        restored.members.reserveCapacity(memberCount)
        for _ in 0..<memberCount {
            let member = try reader.string()
            var facts = MemberFacts()
            facts.joinedAt = try reader.optionalInteger()
            let months = try reader.count()
            facts.activeMonths.reserveCapacity(months)
            for _ in 0..<months { facts.activeMonths.append(try reader.integer(as: Int32.self)) }
            guard facts.activeMonths == facts.activeMonths.sorted() else {
                throw reader.corrupt("the active months of \(member) are not in order")
            }
            facts.latestActiveMonth = facts.activeMonths.last ?? .min
            facts.firstParticipation = try reader.optionalInteger()
            for _ in 0..<(try reader.count()) {
                let programme = try reader.string()
                facts.enrolments[programme] = EnrolmentFacts(
                    enrolledAt: try reader.integer(), completedAt: try reader.optionalInteger())
            }
            restored.members[member] = facts
        }
        for _ in 0..<(try reader.count()) {
            let month = try reader.integer(as: Int32.self)
            var byChapter: [String: Counts] = [:]
            for _ in 0..<(try reader.count()) {
                let chapter = try reader.string()
                byChapter[chapter] = Counts(
                    eventsCreated: try reader.integer(as: Int.self), registrations: try reader.integer(as: Int.self),
                    attendance: try reader.integer(as: Int.self), shares: try reader.integer(as: Int.self),
                    referredSignUps: try reader.integer(as: Int.self))
            }
            restored.counts[month] = byChapter
        }
        for _ in 0..<(try reader.count()) {
            let thread = try reader.string()
            restored.questions[thread] = QuestionFacts(
                askedAt: try reader.integer(), board: try reader.optionalString(), chapter: try reader.optionalString(),
                firstAnswerAt: try reader.optionalInteger())
        }
        try reader.expectEnd()
        state = restored
        self.position = position
    }
}

extension ValueProjection.MemberFacts {
    /// What `event` (of `role`), at `time` in `month`, tells of the member who performed it.
    mutating func note(_ event: ActivityEvent, role: ValueProjection.Role, time: Int64, month: Int32) {
        if role.makesActive, latestActiveMonth != month { noteActive(in: month) }
        if role.isParticipation, time < firstParticipation ?? .max { firstParticipation = time }
        switch role.action {
        case .joined:
            if joinedAt == nil { joinedAt = time }
        case .enrolled:
            if let programme = event.programme?.rawValue, enrolments[programme] == nil {
                enrolments[programme] = ValueProjection.EnrolmentFacts(enrolledAt: time)
            }
        case .completed:
            if let programme = event.programme?.rawValue {
                enrolments[programme, default: ValueProjection.EnrolmentFacts(enrolledAt: time)].completedAt = time
            }
        case .none, .question, .answer, .count: break
        }
    }

    /// Adds `month` to the active months, in order: an event from a month before the latest can
    /// arrive late.
    mutating func noteActive(in month: Int32) {
        if month > latestActiveMonth {
            activeMonths.append(month)
            latestActiveMonth = month
        } else if !activeMonths.contains(month) {
            activeMonths.append(month)
            activeMonths.sort()
        }
    }
}
