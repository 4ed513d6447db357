import Foundation
import Storage

/// A coding key made from any string.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// What a member did. Kinds are open: later modules add their own (`checkedIn`, `badgeAwarded`),
/// so this is a struct with well-known values rather than a closed enum.
public struct ActivityKind: RawRepresentable, Hashable, Comparable, Sendable, Codable, CodingKeyRepresentable,
    CustomStringConvertible
{
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }

    /// A dictionary keyed by kind encodes as a JSON object (`{"answered": 3}`), so policies read
    /// well in a file and equal policies encode to equal bytes.
    public var codingKey: any CodingKey { AnyCodingKey(rawValue) }
    public init?<Key: CodingKey>(codingKey: Key) { self.init(codingKey.stringValue) }

    public static let joinedCommunity = ActivityKind("joinedCommunity")
    public static let profileUpdated = ActivityKind("profileUpdated")
    public static let roleGranted = ActivityKind("roleGranted")
    /// A role was taken away (the entry's ``ActivityDetails/role``).
    public static let roleRevoked = ActivityKind("roleRevoked")
    public static let enrolled = ActivityKind("enrolled")
    public static let completed = ActivityKind("completed")
    public static let joinedChapter = ActivityKind("joinedChapter")
    public static let leftChapter = ActivityKind("leftChapter")
    public static let becameOrganizer = ActivityKind("becameOrganizer")
    public static let startedThread = ActivityKind("startedThread")
    /// An organizer marked a thread on their chapter's board as an announcement.
    public static let announced = ActivityKind("announced")
    public static let askedQuestion = ActivityKind("askedQuestion")
    public static let replied = ActivityKind("replied")
    /// A reply to a question thread.
    public static let answered = ActivityKind("answered")
    /// The member's answer was accepted by the question's asker (or staff: the actor).
    public static let answerAccepted = ActivityKind("answerAccepted")
    /// An accepted answer was un-accepted; the entry reverses the acceptance.
    public static let answerUnaccepted = ActivityKind("answerUnaccepted")
    /// Feedback on a peer's answer.
    public static let gaveFeedback = ActivityKind("gaveFeedback")
    public static let reacted = ActivityKind("reacted")
    /// A reaction was taken back; the entry `reverses` the `reacted` entry.
    public static let reactionWithdrawn = ActivityKind("reactionWithdrawn")
    /// Shared a certificate, event or badge to an outside network.
    public static let shared = ActivityKind("shared")
    public static let createdEvent = ActivityKind("createdEvent")
    public static let cancelledEvent = ActivityKind("cancelledEvent")
    public static let registeredForEvent = ActivityKind("registeredForEvent")
    public static let waitlistedForEvent = ActivityKind("waitlistedForEvent")
    public static let promotedFromWaitlist = ActivityKind("promotedFromWaitlist")
    public static let cancelledRegistration = ActivityKind("cancelledRegistration")
    /// Entered in a registrant's stream when the event they were registered for is cancelled.
    public static let eventCancelledForRegistrant = ActivityKind("eventCancelledForRegistrant")
    public static let attendedEvent = ActivityKind("attendedEvent")
    /// An application to organize a chapter was made (by the member, or staff nominated them).
    public static let organizerApplication = ActivityKind("organizerApplication")
    /// Staff moved an organizer application to another stage (the record holds the trail).
    public static let organizerApplicationMoved = ActivityKind("organizerApplicationMoved")
    /// An organizer went on leave or retired: their organizer powers ended.
    public static let steppedDown = ActivityKind("steppedDown")
    public static let warned = ActivityKind("warned")
    public static let suspended = ActivityKind("suspended")
    public static let suspensionLifted = ActivityKind("suspensionLifted")
}

/// What an activity was about, as the log stores it: a kind of thing and its id, e.g.
/// `thread:7f…`. Read it as a ``Subject`` (``subject``) rather than by its prefix.
public struct SubjectRef: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ subject: Subject) { rawValue = subject.rawValue }

    /// The subject, parsed once.
    public var subject: Subject { Subject(rawValue: rawValue) }

    public static func member(_ id: MemberID) -> Self { .init(.member(id)) }
    public static func programme(_ id: ProgrammeID) -> Self { .init(.programme(id)) }
    public static func chapter(_ id: ChapterID) -> Self { .init(.chapter(id)) }
    public static func board(_ id: BoardID) -> Self { .init(.board(id)) }
    public static func thread(_ id: ThreadID) -> Self { .init(.thread(id)) }
    public static func post(_ id: PostID) -> Self { .init(.post(id)) }
    public static func event(_ id: EventID) -> Self { .init(.event(id)) }
    public static func organizerApplication(_ id: String) -> Self { .init(.organizerApplication(id)) }
    public static func feedback(_ id: FeedbackID) -> Self { .init(.feedback(id)) }
    public static func survey(_ id: SurveyID) -> Self { .init(.survey(id)) }
    public static func challenge(_ id: ChallengeID) -> Self { .init(.challenge(id)) }
    public static func challengeTeam(_ id: ChallengeTeamID) -> Self { .init(.challengeTeam(id)) }
    public static func badge(_ id: BadgeID) -> Self { .init(.badge(id)) }
    public static func reward(_ id: RewardTierID) -> Self { .init(.reward(id)) }
    public static func trainingSession(_ id: TrainingSessionID) -> Self { .init(.trainingSession(id)) }

    public var description: String { rawValue }
}

/// What an activity was about, typed: the one place where the log's subject strings
/// (`thread:7f…`, `badge:first-answer`) are written and read.
public enum Subject: Hashable, Sendable, CustomStringConvertible {
    case member(MemberID)
    case programme(ProgrammeID)
    case chapter(ChapterID)
    case board(BoardID)
    case thread(ThreadID)
    case post(PostID)
    case event(EventID)
    case organizerApplication(String)
    case feedback(FeedbackID)
    case survey(SurveyID)
    case challenge(ChallengeID)
    case challengeTeam(ChallengeTeamID)
    case badge(BadgeID)
    case reward(RewardTierID)
    case trainingSession(TrainingSessionID)
    /// A guidelines version (`2.1`).
    case guidelines(String)
    /// A subject of a kind this version does not know (written by a newer one, or an
    /// integrator's own): kept as it was.
    case other(kind: String, id: String)

    /// Parses a stored subject: `kind:id`, split at the first colon. Never fails: an unknown
    /// kind, or text without a colon, is ``other(kind:id:)``.
    public init(rawValue: String) {
        guard let colon = rawValue.firstIndex(of: ":") else {
            self = .other(kind: "", id: rawValue)
            return
        }
        let kind = rawValue[..<colon]
        let id = String(rawValue[rawValue.index(after: colon)...])
        switch kind {
        case "member": self = .member(MemberID(id))
        case "programme": self = .programme(ProgrammeID(id))
        case "chapter": self = .chapter(ChapterID(id))
        case "board": self = .board(BoardID(id))
        case "thread": self = .thread(ThreadID(id))
        case "post": self = .post(PostID(id))
        case "event": self = .event(EventID(id))
        case "organizer-application": self = .organizerApplication(id)
        case "feedback": self = .feedback(FeedbackID(id))
        case "survey": self = .survey(SurveyID(id))
        case "challenge": self = .challenge(ChallengeID(id))
        case "challenge-team": self = .challengeTeam(ChallengeTeamID(id))
        case "badge": self = .badge(BadgeID(id))
        case "reward": self = .reward(RewardTierID(id))
        case "training-session": self = .trainingSession(TrainingSessionID(id))
        case "guidelines": self = .guidelines(id)
        default: self = .other(kind: String(kind), id: id)
        }
    }

    /// The stored form, `kind:id`.
    public var rawValue: String {
        switch self {
        case .member(let id): "member:\(id)"
        case .programme(let id): "programme:\(id)"
        case .chapter(let id): "chapter:\(id)"
        case .board(let id): "board:\(id)"
        case .thread(let id): "thread:\(id)"
        case .post(let id): "post:\(id)"
        case .event(let id): "event:\(id)"
        case .organizerApplication(let id): "organizer-application:\(id)"
        case .feedback(let id): "feedback:\(id)"
        case .survey(let id): "survey:\(id)"
        case .challenge(let id): "challenge:\(id)"
        case .challengeTeam(let id): "challenge-team:\(id)"
        case .badge(let id): "badge:\(id)"
        case .reward(let id): "reward:\(id)"
        case .trainingSession(let id): "training-session:\(id)"
        case .guidelines(let version): "guidelines:\(version)"
        case .other(let kind, let id): kind.isEmpty ? id : "\(kind):\(id)"
        }
    }

    public var description: String { rawValue }
}

/// Something shared to an outside network.
public enum SharedItem: Hashable, Sendable, Codable {
    case certificate(ProgrammeID)
    case event(EventID)
    case badge(BadgeID)
    /// A learner spotlight (by month, `2026-11`).
    case spotlight(String)
}

/// Small, typed facts some activity kinds carry. Never personal data: members are referred to
/// by id only, so erasing a member's records leaves the log whole.
public struct ActivityDetails: Hashable, Sendable, Codable {
    /// For a reply or answer: whether it was the first response by someone other than the author.
    public var isFirstResponse: Bool?
    public var reaction: ReactionKind?
    public var attendanceMode: AttendanceMode?
    /// For a waitlisting: the position in the waitlist.
    public var waitlistPosition: Int?
    public var certificateDate: LocalDate?
    public var role: Role?
    public var shared: SharedItem?
    /// The outside network something was shared to (`linkedin`, `x`).
    public var network: String?
    /// A number of points: a staff adjustment's amount (negative takes points away).
    public var points: Int?
    /// The calendar day an entry counts for when that is not the day it was logged (a make-up
    /// homework check-in for a missed day).
    public var day: LocalDate?
    /// A place in a ranking: 1 for the winners of a Community Challenge.
    public var placement: Int?
    /// For `joinedCommunity` and `profileUpdated`: the member's country then. A fact that
    /// projections need (leaderboards by country), not personal data that erasure must remove.
    public var country: CountryCode?
    /// For `joinedCommunity` and `profileUpdated`: the member's consents then, so that every
    /// process learns a withdrawn consent from the log.
    public var consents: Set<Consent>?
    /// For `suspended`: when the suspension ends.
    public var until: Date?
    /// For an entry that reverses another: the kind and the local day of the entry it reverses,
    /// so that a projection that keeps no entry (engagement, with its decayed sums) can take back
    /// what that entry gave.
    public var reversedKind: ActivityKind?
    public var reversedDay: LocalDate?
    /// For `joinedCommunity` and a `profileUpdated` that states a member's facts: the roles they
    /// held then.
    public var roles: Set<Role>?

    public init(
        isFirstResponse: Bool? = nil,
        reaction: ReactionKind? = nil,
        attendanceMode: AttendanceMode? = nil,
        waitlistPosition: Int? = nil,
        certificateDate: LocalDate? = nil,
        role: Role? = nil,
        shared: SharedItem? = nil,
        network: String? = nil,
        points: Int? = nil,
        day: LocalDate? = nil,
        placement: Int? = nil,
        country: CountryCode? = nil,
        consents: Set<Consent>? = nil,
        until: Date? = nil,
        reversedKind: ActivityKind? = nil,
        reversedDay: LocalDate? = nil,
        roles: Set<Role>? = nil
    ) {
        self.isFirstResponse = isFirstResponse
        self.reaction = reaction
        self.attendanceMode = attendanceMode
        self.waitlistPosition = waitlistPosition
        self.certificateDate = certificateDate
        self.role = role
        self.shared = shared
        self.network = network
        self.points = points
        self.day = day
        self.placement = placement
        self.country = country
        self.consents = consents
        self.until = until
        self.reversedKind = reversedKind
        self.reversedDay = reversedDay
        self.roles = roles
    }
}

/// What an activity involved besides who and when: who acted for the member, the subject and
/// its owner, where it happened, what it reverses, and its small typed details. The one list of
/// an event's fields; ``ActivityEvent`` and ``Transaction/log(_:member:_:)`` take it whole.
public struct ActivityContext: Hashable, Sendable, Codable {
    /// Who performed it, where that differs from the member (staff recording a completion).
    public var actor: MemberID?
    public var subject: SubjectRef?
    /// Who owns the subject (the author of the post reacted to), for rules about self-interaction.
    public var subjectOwner: MemberID?
    public var chapter: ChapterID?
    public var programme: ProgrammeID?
    public var board: BoardID?
    /// The event this one compensates (e.g. a removal reverses a post), if any.
    public var reverses: EntryID?
    public var details: ActivityDetails

    public init(
        actor: MemberID? = nil, subject: SubjectRef? = nil, subjectOwner: MemberID? = nil, chapter: ChapterID? = nil,
        programme: ProgrammeID? = nil, board: BoardID? = nil, reverses: EntryID? = nil,
        details: ActivityDetails = ActivityDetails()
    ) {
        self.actor = actor
        self.subject = subject
        self.subjectOwner = subjectOwner
        self.chapter = chapter
        self.programme = programme
        self.board = board
        self.reverses = reverses
        self.details = details
    }
}

extension ActivityContext {
    /// The context of an entry that reverses `original`: it names the reversed entry, and its
    /// kind and day (see ``ActivityDetails/reversedKind``).
    public mutating func reverse(_ original: ActivityEvent?) {
        guard let original else { return }
        reverses = original.id
        details.reversedKind = original.kind
        details.reversedDay = original.localDate
    }
}

extension ActivityDetails {
    /// The facts about a member that projections need and may hold (country, consents and
    /// roles), as `joinedCommunity` and `profileUpdated` carry them. Never a name, an email or
    /// free text.
    public init(facts member: Member) {
        self.init(country: member.profile.country, consents: member.profile.consents, roles: member.roles)
    }
}

/// An immutable fact about what a member did: the source of truth for engagement, points,
/// streaks, badges and leaderboards.
///
/// The event's own columns (id, kind, member, time, local day) are properties; what it involved
/// is its ``context``, whose fields read as the event's own (`event.chapter`, `event.details`).
@dynamicMemberLookup
public struct ActivityEvent: Hashable, Sendable, Codable, Identifiable {
    public var id: EntryID
    public var kind: ActivityKind
    /// The member whose stream the event belongs to.
    public var member: MemberID
    public var time: Timestamp
    /// The member's own calendar day at `time`, in the time zone they had then.
    public var localDate: LocalDate
    /// Who acted, on what, where, and the details. An actor equal to the member is dropped.
    public var context: ActivityContext

    public init(
        id: EntryID, kind: ActivityKind, member: MemberID, time: Timestamp, localDate: LocalDate,
        context: ActivityContext = ActivityContext()
    ) {
        self.id = id
        self.kind = kind
        self.member = member
        self.time = time
        self.localDate = localDate
        self.context = context
        if context.actor == member { self.context.actor = nil }
    }

    /// A field of the event's context, read (and written) as the event's own.
    @inlinable
    public subscript<Value>(dynamicMember field: WritableKeyPath<ActivityContext, Value>) -> Value {
        get { context[keyPath: field] }
        set { context[keyPath: field] = newValue }
    }

    /// Who performed the event: the actor, or the member themselves.
    public var performedBy: MemberID { context.actor ?? member }

    /// The log stream of a member's activity.
    public static func stream(of member: MemberID) -> String { "member:\(member)" }
}

extension ActivityEvent {
    /// The event as a log entry: member's stream, subject, kind and time in columns, the rest as
    /// a small binary payload (see `ActivityPayloadCoding`).
    public func logEntry() throws(StorageError) -> LogEntry {
        let entry = LogEntry(
            id: id,
            stream: Self.stream(of: member),
            subject: context.subject?.rawValue,
            kind: kind.rawValue,
            time: time,
            payload: ActivityPayloadCoding.encode(.init(member: member, localDate: localDate, context: context))
        )
        try entry.validate()
        return entry
    }

    /// Decodes an event from a log entry written by ``logEntry()``.
    ///
    /// - Throws: `StorageError.corruptRecord(collection:id:reason:)` when the payload does not
    ///   decode, its member id is none a stream may have, or the entry's time, a suspension's end
    ///   or one of its days lies outside ``LocalDate/supportedYears`` or is no calendar day:
    ///   projections then never see such a
    ///   value (a `ProjectionHost` quarantines the entry).
    public init(_ entry: LogEntry) throws(StorageError) {
        var payload = try ActivityPayloadCoding.decode(entry)
        func refuse(_ reason: String) -> StorageError {
            .corruptRecord(collection: "activity-log", id: entry.id.description, reason: reason)
        }
        // The member names the event's stream: an id no stream may have (empty, with NUL, too
        // long) is damage, and an event holding it could never be written again.
        do {
            try StorageLimits.validate(name: Self.stream(of: payload.member), role: "stream")
        } catch {
            throw refuse("its member id \(payload.member.rawValue.prefix(40).debugDescription) is not one: \(error)")
        }
        guard LocalDate.supportedMilliseconds.contains(entry.time.millisecondsSince1970) else {
            throw refuse(
                "its time (\(entry.time.millisecondsSince1970) ms) is outside the years \(LocalDate.supportedYears)")
        }
        let details = payload.context.details
        for (field, day) in [
            ("localDate", payload.localDate), ("certificateDate", details.certificateDate), ("day", details.day),
            ("reversedDay", details.reversedDay),
        ] {
            if let day, !day.isSupported {
                throw refuse("its \(field) \(day) is not a calendar day of the years \(LocalDate.supportedYears)")
            }
        }
        // A suspension's end is refused outside the years where it comes in: another value is
        // damage, which member facts would otherwise carry into every checkpoint.
        if let until = details.until,
            !LocalDate.supportedMilliseconds.contains(Timestamp(until).millisecondsSince1970)
        {
            throw refuse(
                "its suspension end \(until.timeIntervalSince1970) s is outside the years \(LocalDate.supportedYears)")
        }
        payload.context.subject = entry.subject.map(SubjectRef.init(rawValue:))
        self.init(
            id: entry.id, kind: ActivityKind(entry.kind), member: payload.member, time: entry.time,
            localDate: payload.localDate, context: payload.context)
    }
}

/// An activity event with the log position it was stored at.
public struct LoggedActivity: Hashable, Sendable {
    public var position: UInt64
    public var event: ActivityEvent

    public init(position: UInt64, event: ActivityEvent) {
        self.position = position
        self.event = event
    }

    public init(_ stored: StoredEntry) throws(StorageError) {
        self.init(position: stored.position, event: try ActivityEvent(stored.entry))
    }
}
