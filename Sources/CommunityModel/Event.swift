import Foundation

/// How members attend an event.
public enum AttendanceMode: String, Hashable, Sendable, Codable, CodingKeyRepresentable, CaseIterable, Comparable {
    case inPerson
    case virtual

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs == .inPerson && rhs == .virtual }
}

/// An event's format and capacities.
public enum EventFormat: Hashable, Sendable, Codable {
    case inPerson(capacity: Int)
    case virtual(capacity: Int)
    /// A hybrid event has an in-person capacity and a virtual one, each with its own waitlist.
    case hybrid(inPersonCapacity: Int, virtualCapacity: Int)

    /// The capacity for each mode the format offers.
    public var capacities: [AttendanceMode: Int] {
        switch self {
        case .inPerson(let capacity): [.inPerson: capacity]
        case .virtual(let capacity): [.virtual: capacity]
        case .hybrid(let inPerson, let virtual): [.inPerson: inPerson, .virtual: virtual]
        }
    }

    /// The mode a registration takes when the member names none: the only one, or in person.
    public var defaultMode: AttendanceMode {
        if case .virtual = self { return .virtual }
        return .inPerson
    }
}

/// The seats and waitlist of one attendance mode.
public struct EventLane: Hashable, Sendable, Codable {
    public var capacity: Int
    /// Registered members, in the order they got their seat.
    public var registered: [MemberID]
    /// Waiting members, first come first promoted.
    public var waitlist: [MemberID]

    public init(capacity: Int, registered: [MemberID] = [], waitlist: [MemberID] = []) {
        self.capacity = capacity
        self.registered = registered
        self.waitlist = waitlist
    }

    public var hasSeat: Bool { registered.count < capacity }
}

/// Whether an event is going ahead.
public enum EventStatus: String, Hashable, Sendable, Codable {
    case scheduled
    case cancelled
}

/// An event of a chapter, with its roster: for the chapter's organizers and staff
/// (`CommunityService.roster(of:by:)`); anyone else sees an ``EventListing``.
public struct ChapterEvent: Hashable, Sendable, Codable, Identifiable {
    public var id: EventID
    public var chapter: ChapterID
    public var title: String
    public var description: String
    public var format: EventFormat
    public var start: Date
    public var end: Date
    /// The time zone the event is announced in.
    public var timeZone: TimeZoneID
    public var status: EventStatus
    public var createdBy: MemberID
    /// The seats and waitlists, one lane per attendance mode (sorted by mode).
    public var lanes: [AttendanceMode: EventLane]
    /// Members who checked in, in check-in order.
    public var attended: [MemberID]

    public init(
        id: EventID,
        chapter: ChapterID,
        title: String,
        description: String,
        format: EventFormat,
        start: Date,
        end: Date,
        timeZone: TimeZoneID,
        createdBy: MemberID
    ) {
        self.id = id
        self.chapter = chapter
        self.title = title
        self.description = description
        self.format = format
        self.start = start
        self.end = end
        self.timeZone = timeZone
        self.status = .scheduled
        self.createdBy = createdBy
        self.lanes = format.capacities.mapValues { EventLane(capacity: $0) }
        self.attended = []
    }

    /// Every registered member, over all modes.
    public var registeredCount: Int { lanes.values.reduce(0) { $0 + $1.registered.count } }
    /// Every waiting member, over all modes.
    public var waitlistCount: Int { lanes.values.reduce(0) { $0 + $1.waitlist.count } }
}

/// The seats of one attendance mode, as anyone may see them: how many, not who.
public struct EventSeats: Hashable, Sendable {
    public var capacity: Int
    /// Seats taken.
    public var taken: Int
    /// Members waiting for a seat.
    public var waiting: Int

    public init(capacity: Int, taken: Int, waiting: Int) {
        self.capacity = capacity
        self.taken = taken
        self.waiting = waiting
    }

    /// Whether a seat is free.
    public var hasSeat: Bool { taken < capacity }
}

/// An event as anyone may see it: what, when, where, and how many seats are taken, without the
/// roster (who registered, waits or attended is for the chapter's organizers, staff and each
/// member themself).
public struct EventListing: Hashable, Sendable, Identifiable {
    public var id: EventID
    public var chapter: ChapterID
    public var title: String
    public var description: String
    public var format: EventFormat
    public var start: Date
    public var end: Date
    /// The time zone the event is announced in.
    public var timeZone: TimeZoneID
    public var status: EventStatus
    public var createdBy: MemberID
    /// The seats of each attendance mode.
    public var seats: [AttendanceMode: EventSeats]
    /// How many members checked in.
    public var attendedCount: Int

    /// The public view of `event`.
    public init(_ event: ChapterEvent) {
        self.id = event.id
        self.chapter = event.chapter
        self.title = event.title
        self.description = event.description
        self.format = event.format
        self.start = event.start
        self.end = event.end
        self.timeZone = event.timeZone
        self.status = event.status
        self.createdBy = event.createdBy
        self.seats = event.lanes.mapValues {
            EventSeats(capacity: $0.capacity, taken: $0.registered.count, waiting: $0.waitlist.count)
        }
        self.attendedCount = event.attended.count
    }

    /// Every taken seat, over all modes.
    public var registeredCount: Int { seats.values.reduce(0) { $0 + $1.taken } }
    /// Every waiting member, over all modes.
    public var waitlistCount: Int { seats.values.reduce(0) { $0 + $1.waiting } }
}

/// Where a member stands for an event.
public enum RegistrationStatus: String, Hashable, Sendable, Codable {
    case registered
    case waitlisted
    case cancelled
    case attended
    /// The event was cancelled while the member was registered or waiting.
    case eventCancelled
}

/// One member's registration for one event.
public struct Registration: Hashable, Sendable, Codable {
    public var event: EventID
    public var member: MemberID
    public var mode: AttendanceMode
    public var status: RegistrationStatus
    public var registeredAt: Date

    public init(event: EventID, member: MemberID, mode: AttendanceMode, status: RegistrationStatus, registeredAt: Date)
    {
        self.event = event
        self.member = member
        self.mode = mode
        self.status = status
        self.registeredAt = registeredAt
    }

    /// Whether the registration still holds a seat or a place in the waitlist.
    public var isActive: Bool { status == .registered || status == .waitlisted }
}

/// What registering did.
public enum RegistrationOutcome: Hashable, Sendable {
    case registered(AttendanceMode)
    /// Waitlisted at this position (1 = next to be promoted).
    case waitlisted(AttendanceMode, position: Int)
}

/// What cancelling a registration did.
public struct CancellationOutcome: Hashable, Sendable {
    /// The member who moved from the waitlist into the freed seat, if any.
    public var promoted: MemberID?
}
