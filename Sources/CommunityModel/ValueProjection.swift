import Foundation
public import Storage

/// What the value report for leadership is built from, kept up to date from the activity log
/// (a ``ProjectionRunner`` keeps and checkpoints it): per member, when they joined, the months
/// they were active, when they first took part in the community, and their enrolments; per
/// month, the events, registrations, attendance and advocacy; per question, when it was asked,
/// first answered and accepted.
public struct ValueProjection: ActivityProjection {
    public let checkpointName: String
    public let configuration = "value (state 2)"
    public private(set) var position: UInt64 = 0

    struct EnrolmentFacts: Codable, Hashable {
        var enrolledAt: Int64
        var completedAt: Int64?
    }

    struct MemberFacts: Codable, Hashable {
        var joinedAt: Int64?
        /// Month numbers (year × 12 + month − 1, in UTC), ascending, each once.
        var activeMonths: [Int32] = []
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
    }

    struct State: Codable, Hashable {
        var slots: [String: Int32] = [:]
        var members: [MemberFacts] = []
        var counts: [Int32: [String: Counts]] = [:]
        var questions: [String: QuestionFacts] = [:]
    }

    var state = State()

    public init(checkpointName: String = "value") { self.checkpointName = checkpointName }

    /// The kinds that count as taking part in the community (beyond joining and enrolling).
    static let participation: Set<ActivityKind> = [
        .startedThread, .askedQuestion, .replied, .answered, .gaveFeedback, .reacted, .registeredForEvent,
        .attendedEvent, .joinedChapter, .shared, .createdEvent, .answerAccepted,
    ]

    /// Kinds that do not make a member active: they happen to the member's record, not in the community.
    static let bookkeeping: Set<ActivityKind> = [.joinedCommunity, .profileUpdated, .roleGranted]

    /// The month (year × 12 + month − 1) of a time, in UTC, by integer arithmetic only.
    static func month(_ milliseconds: Int64) -> Int32 {
        let day = (milliseconds - (milliseconds < 0 ? 86_399_999 : 0)) / 86_400_000
        let date = LocalDate(dayNumber: Int(day))
        return Int32(date.year * 12 + date.month - 1)
    }

    public mutating func apply(_ logged: LoggedActivity) {
        guard logged.position > position else { return }
        position = logged.position
        let event = logged.event
        let time = event.time.millisecondsSince1970
        let month = Self.month(time)
        let slot = self.slot(event.member.rawValue)
        if !Self.bookkeeping.contains(event.kind), state.members[slot].activeMonths.last != month {
            if let last = state.members[slot].activeMonths.last, last > month {
                if !state.members[slot].activeMonths.contains(month) {
                    state.members[slot].activeMonths.append(month)
                    state.members[slot].activeMonths.sort()
                }
            } else {
                state.members[slot].activeMonths.append(month)
            }
        }
        if Self.participation.contains(event.kind), state.members[slot].firstParticipation == nil {
            state.members[slot].firstParticipation = time
        }
        let chapter = event.chapter?.rawValue ?? ""
        switch event.kind {
        case .joinedCommunity:
            if state.members[slot].joinedAt == nil { state.members[slot].joinedAt = time }
        case .enrolled:
            if let programme = event.programme?.rawValue, state.members[slot].enrolments[programme] == nil {
                state.members[slot].enrolments[programme] = EnrolmentFacts(enrolledAt: time)
            }
        case .completed:
            if let programme = event.programme?.rawValue {
                state.members[slot].enrolments[programme, default: EnrolmentFacts(enrolledAt: time)].completedAt = time
            }
        case .createdEvent: state.counts[month, default: [:]][chapter, default: Counts()].eventsCreated += 1
        case .registeredForEvent: state.counts[month, default: [:]][chapter, default: Counts()].registrations += 1
        case .attendedEvent: state.counts[month, default: [:]][chapter, default: Counts()].attendance += 1
        case .shared: state.counts[month, default: [:]][chapter, default: Counts()].shares += 1
        case .referralAttributed: state.counts[month, default: [:]][chapter, default: Counts()].referredSignUps += 1
        case .askedQuestion:
            if let thread = event.subject?.rawValue {
                state.questions[thread] = QuestionFacts(
                    askedAt: time, board: event.board?.rawValue, chapter: event.chapter?.rawValue)
            }
        case .answered:
            if event.details.isFirstResponse == true, let thread = event.subject?.rawValue,
                state.questions[thread]?.firstAnswerAt == nil
            {
                state.questions[thread]?.firstAnswerAt = time
            }
        default: break
        }
    }

    private mutating func slot(_ member: String) -> Int {
        if let found = state.slots[member] { return Int(found) }
        state.slots[member] = Int32(state.members.count)
        state.members.append(MemberFacts())
        return state.members.count - 1
    }

    public func encodeState(into writer: inout BinaryWriter) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        writer.raw((try? encoder.encode(state)) ?? Data())
    }

    public mutating func restoreState(from reader: inout BinaryReader, position: UInt64) throws(StorageError) {
        let bytes = try reader.take(reader.remaining)
        do { state = try JSONDecoder().decode(State.self, from: bytes) } catch {
            throw reader.corrupt("the value state does not decode: \(error)")
        }
        self.position = position
    }
}
