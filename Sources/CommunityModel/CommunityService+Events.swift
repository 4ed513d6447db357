import Foundation
import Storage

/// What an organizer fills in to announce an event.
public struct NewEvent: Hashable, Sendable {
    public var title: String
    public var description: String
    public var format: EventFormat
    public var start: Date
    public var end: Date
    /// The IANA time zone the event is announced in; the chapter's when nil.
    public var timeZone: String?

    public init(
        title: String, description: String = "", format: EventFormat, start: Date, end: Date, timeZone: String? = nil
    ) {
        self.title = title
        self.description = description
        self.format = format
        self.start = start
        self.end = end
        self.timeZone = timeZone
    }
}

extension CommunityService {
    /// How long before an event starts attendance check-in opens.
    public static let checkInOpensBeforeStart: TimeInterval = 3_600
    /// The largest capacity of one attendance mode, and the longest waitlist. The roster lives in
    /// the event's record (one version guards seats and waitlist order), so it is kept bounded;
    /// the yearly conference splits into sessions.
    public static let maximumCapacity = 10_000

    /// How long after an event ends attendance can still be recorded.
    public static let checkInClosesAfterEnd: TimeInterval = 6 * 3_600

    /// Creates an event of a chapter. Organizers of the chapter and staff may; leaders pass
    /// the leadership gate first (e.g. guidelines acknowledged).
    ///
    /// - Throws: ``CommunityError/invalidInput(field:reason:)`` for an empty title, a capacity
    ///   below 1, an end not after the start or a start in the past.
    @discardableResult
    public func createEvent(
        _ new: NewEvent, in chapterID: ChapterID, by organizerID: MemberID, idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> ChapterEvent
    {
        let title = try Validate.name(new.title, field: "title")
        try Validate.text(new.description, field: "description", limit: Limits.freeText)
        for (mode, capacity) in new.format.capacities.sorted(by: { $0.key < $1.key })
        where capacity < 1 || capacity > Self.maximumCapacity {
            throw .invalidInput(
                field: "capacity",
                reason: "the \(mode.rawValue) capacity must be 1 to \(Self.maximumCapacity), not \(capacity)")
        }
        try Validate.date(new.start, field: "start")
        try Validate.date(new.end, field: "end")
        guard new.end > new.start else {
            throw .invalidInput(field: "end", reason: "an event must end after it starts (\(new.start) → \(new.end))")
        }
        let zone = try new.timeZone.map { (identifier: String) throws(CommunityError) in try TimeZoneID(identifier) }
        return try await transact(
            by: organizerID, key: idempotencyKey,
            replay: .record(Collections.events, kind: "event", id: { $0.id.rawValue })
        ) { tx in
            guard new.start > tx.now else {
                throw CommunityError.invalidInput(
                    field: "start", reason: "an event cannot start in the past (\(new.start))")
            }
            let organizer = try await tx.member(organizerID)
            let chapter = try await tx.load(chapterID.rawValue, in: Collections.chapters, kind: "chapter")
            try await tx.requireLeader(
                organizer.value, of: chapterID, for: .createChapterEvent, described: "create events")
            let event = ChapterEvent(
                id: EventID(tx.newID()), chapter: chapterID, title: title, description: new.description,
                format: new.format, start: Timestamp(new.start).date, end: Timestamp(new.end).date,
                timeZone: zone ?? chapter.value.timeZone, createdBy: organizerID)
            try tx.create(event, id: event.id.rawValue, in: Collections.events)
            try tx.log(
                .createdEvent, member: organizer.value,
                .init(subject: .event(event.id), subjectOwner: organizerID, chapter: chapterID))
            return event
        }
    }

    /// The event with this id, as anyone may see it (no roster).
    public func event(_ id: EventID) async throws(CommunityError) -> EventListing {
        EventListing(try await lookup(id.rawValue, in: Collections.events, kind: "event"))
    }

    /// The event with its roster (who registered, waits and attended): for the organizers of
    /// its chapter and staff and community managers.
    ///
    /// - Throws: ``CommunityError/notPermitted(member:action:rule:reason:)`` for anyone else.
    public func roster(of eventID: EventID, by readerID: MemberID) async throws(CommunityError) -> ChapterEvent {
        try await transact { tx in
            let event = try await tx.load(eventID.rawValue, in: Collections.events, kind: "event").value
            try await tx.authorize(
                .leader(event.chapter), by: try await tx.member(readerID).value, to: "read the roster of \(eventID)")
            return event
        }
    }

    /// A chapter's events as anyone may see them, ordered by start time.
    public func events(of chapterID: ChapterID) async throws(CommunityError) -> [EventListing] {
        _ = try await chapter(chapterID)
        return try await query {
            try await store.fetchAll(Collections.events, where: IndexQuery("chapter", equals: chapterID.rawValue))
                .map { EventListing($0.value) }.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
        }
    }

    /// A member's registrations, ordered by event id: for the member themself and for staff and
    /// community managers.
    public func registrations(of memberID: MemberID, by readerID: MemberID) async throws(CommunityError)
        -> [Registration]
    {
        try await authorize(.partiesOrStaff([memberID]), by: readerID, to: "read the registrations of \(memberID)")
        return try await values(of: memberID, in: Collections.registrations)
    }

    /// Registers a member for an event: a seat when one is free in the chosen mode, otherwise a
    /// place at the end of that mode's waitlist.
    ///
    /// - Parameters:
    ///   - memberID: the member who registers.
    ///   - eventID: the event.
    ///   - mode: in person or virtual; the format's only mode (in person for hybrid) when nil.
    ///   - actorID: who registers them: the member, or staff or a community manager for them.
    ///   - idempotencyKey: the request's key: a repeat with it returns the first outcome (`IdempotencyKey`).
    /// - Throws: ``CommunityError/invalidState(_:)`` when already registered or waitlisted, when the
    ///   event was cancelled or has ended; ``CommunityError/invalidInput(field:reason:)`` for a mode
    ///   the event does not offer.
    @discardableResult
    public func register(
        _ memberID: MemberID, for eventID: EventID, mode: AttendanceMode? = nil, by actorID: MemberID,
        idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> RegistrationOutcome
    {
        try await transact(by: actorID, key: idempotencyKey, replay: .registration) { tx in
            let member = try await tx.member(memberID)
            try await tx.authorize(
                .themselfOrSupport(memberID, whileSuspended: false),
                by: try await tx.acting(actorID, for: member.value),
                to: "register \(memberID) for event \(eventID)")
            var event = try await tx.load(eventID.rawValue, in: Collections.events, kind: "event")
            guard event.value.status == .scheduled else {
                throw CommunityError.invalidState("Event \(event.value.title) was cancelled; registration is closed.")
            }
            guard event.value.end > tx.now else {
                throw CommunityError.invalidState("Event \(event.value.title) has ended; registration is closed.")
            }
            let mode = mode ?? event.value.format.defaultMode
            guard var lane = event.value.lanes[mode] else {
                throw CommunityError.invalidInput(
                    field: "mode", reason: "event \(event.value.title) has no \(mode.rawValue) attendance")
            }
            let key = CompositeKey.make(eventID, memberID)
            let existing = try await tx.find(key, in: Collections.registrations)
            if let existing, existing.value.isActive || existing.value.status == .attended {
                throw CommunityError.invalidState(
                    "Member \(memberID) is already \(existing.value.status.rawValue) for \(event.value.title).")
            }
            let outcome: RegistrationOutcome
            if lane.hasSeat {
                lane.registered.append(memberID)
                outcome = .registered(mode)
            } else {
                guard lane.waitlist.count < Self.maximumCapacity else {
                    throw CommunityError.invalidState(
                        "The \(mode.rawValue) waitlist of \(event.value.title) is full (\(Self.maximumCapacity) members)."
                    )
                }
                lane.waitlist.append(memberID)
                outcome = .waitlisted(mode, position: lane.waitlist.count)
            }
            event.value.lanes[mode] = lane
            try tx.update(event, in: Collections.events)
            let status: RegistrationStatus
            if case .registered = outcome { status = .registered } else { status = .waitlisted }
            let registration = Registration(
                event: eventID, member: memberID, mode: mode, status: status, registeredAt: tx.now)
            if var existing {
                existing.value = registration
                try tx.update(existing, in: Collections.registrations)
            } else {
                try tx.create(registration, id: key, in: Collections.registrations)
            }
            var details = ActivityDetails(attendanceMode: mode)
            if case .waitlisted(_, let position) = outcome { details.waitlistPosition = position }
            try tx.log(
                status == .registered ? .registeredForEvent : .waitlistedForEvent, member: member.value,
                .init(
                    subject: .event(eventID), subjectOwner: event.value.createdBy, chapter: event.value.chapter,
                    details: details))
            return outcome
        }
    }

    /// Cancels a member's registration or waitlist place. A freed seat goes to the first member
    /// on that mode's waitlist, who is told through their activity stream.
    @discardableResult
    public func cancelRegistration(
        of memberID: MemberID, for eventID: EventID, by actorID: MemberID, idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> CancellationOutcome
    {
        try await transact(by: actorID, key: idempotencyKey, replay: .cancellation) { tx in
            let member = try await tx.member(memberID)
            try await tx.authorize(
                .themselfOrSupport(memberID, whileSuspended: true), by: try await tx.acting(actorID, for: member.value),
                to: "cancel the registration of \(memberID) for event \(eventID)")
            var event = try await tx.load(eventID.rawValue, in: Collections.events, kind: "event")
            guard
                var registration = try await tx.find(
                    CompositeKey.make(eventID, memberID), in: Collections.registrations),
                registration.value.isActive
            else {
                throw CommunityError.invalidState("Member \(memberID) is not registered for event \(eventID).")
            }
            guard tx.now < event.value.end else {
                throw CommunityError.invalidState(
                    "Event \(event.value.title) has ended; a registration can no longer be cancelled.")
            }
            let mode = registration.value.mode
            var lane = event.value.lanes[mode] ?? EventLane(capacity: 0)
            var promoted: MemberID?
            if registration.value.status == .registered {
                lane.registered.removeAll { $0 == memberID }
                // Promote only while the event has not started: a seat freed during it stays free.
                if event.value.status == .scheduled, tx.now < event.value.start, lane.hasSeat, !lane.waitlist.isEmpty {
                    let next = lane.waitlist.removeFirst()
                    lane.registered.append(next)
                    promoted = next
                }
            } else {
                lane.waitlist.removeAll { $0 == memberID }
            }
            event.value.lanes[mode] = lane
            try tx.update(event, in: Collections.events)
            registration.value.status = .cancelled
            try tx.update(registration, in: Collections.registrations)
            try tx.log(
                .cancelledRegistration, member: member.value,
                .init(
                    subject: .event(eventID), subjectOwner: event.value.createdBy, chapter: event.value.chapter,
                    details: ActivityDetails(attendanceMode: mode)))
            if let promoted {
                var seat = try await tx.load(
                    CompositeKey.make(eventID, promoted), in: Collections.registrations, kind: "registration")
                seat.value.status = .registered
                try tx.update(seat, in: Collections.registrations)
                try tx.log(
                    .promotedFromWaitlist, member: try await tx.member(promoted).value,
                    .init(
                        subject: .event(eventID), subjectOwner: event.value.createdBy, chapter: event.value.chapter,
                        details: ActivityDetails(attendanceMode: mode)))
            }
            return CancellationOutcome(promoted: promoted)
        }
    }

    /// Records that a registered member attended. The member checks in themselves, or an
    /// organizer of the chapter (or staff) records it; from an hour before the start until six
    /// hours after the end.
    ///
    /// - Parameters:
    ///   - memberID: the member who attended.
    ///   - eventID: the event.
    ///   - actorID: who acts: the member themself, or an organizer of the event's chapter or
    ///     staff recording it (they pass the leadership gate).
    ///   - idempotencyKey: the request's key: a repeat with it returns the first outcome (`IdempotencyKey`).
    /// - Throws: ``CommunityError/invalidState(_:)`` when the member holds no seat (never
    ///   registered, only waitlisted, cancelled), already checked in, or check-in is not open;
    ///   ``CommunityError/notPermitted(member:action:rule:reason:)`` for anyone else.
    public func checkIn(
        _ memberID: MemberID, at eventID: EventID, by actorID: MemberID, idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) {
        try await transact(by: actorID, key: idempotencyKey, replay: .nothing) { tx in
            let member = try await tx.member(memberID)
            var event = try await tx.load(eventID.rawValue, in: Collections.events, kind: "event")
            if actorID == memberID {
                try await tx.authorize(.goodStanding, by: member.value, to: "check in at event \(eventID)")
            } else {
                try await tx.requireLeader(
                    try await tx.member(actorID).value, of: event.value.chapter, for: .createChapterEvent,
                    described: "record attendance at event \(eventID)")
            }
            guard event.value.status == .scheduled else {
                throw CommunityError.invalidState("Event \(event.value.title) was cancelled.")
            }
            let opens = event.value.start.addingTimeInterval(-Self.checkInOpensBeforeStart)
            let closes = event.value.end.addingTimeInterval(Self.checkInClosesAfterEnd)
            guard tx.now >= opens, tx.now <= closes else {
                throw CommunityError.invalidState(
                    "Check-in for \(event.value.title) is open from \(opens.formatted(.iso8601)) to \(closes.formatted(.iso8601))."
                )
            }
            guard
                var registration = try await tx.find(
                    CompositeKey.make(eventID, memberID), in: Collections.registrations)
            else {
                throw CommunityError.invalidState(
                    "Member \(memberID) never registered for \(event.value.title); register before checking in.")
            }
            switch registration.value.status {
            case .registered: break
            case .attended:
                throw CommunityError.invalidState("Member \(memberID) already checked in at \(event.value.title).")
            case .waitlisted:
                throw CommunityError.invalidState(
                    "Member \(memberID) is still on the waitlist for \(event.value.title).")
            case .cancelled, .eventCancelled:
                throw CommunityError.invalidState(
                    "Member \(memberID)'s registration for \(event.value.title) was cancelled.")
            }
            registration.value.status = .attended
            try tx.update(registration, in: Collections.registrations)
            event.value.attended.append(memberID)
            try tx.update(event, in: Collections.events)
            try tx.log(
                .attendedEvent, member: member.value,
                .init(
                    actor: actorID == memberID ? nil : actorID, subject: .event(eventID),
                    subjectOwner: event.value.createdBy,
                    chapter: event.value.chapter, details: ActivityDetails(attendanceMode: registration.value.mode)))
        }
    }

    /// Cancels an event. Everyone registered or waiting is told through their activity stream.
    public func cancelEvent(_ eventID: EventID, by organizerID: MemberID, idempotencyKey: IdempotencyKey? = nil)
        async throws(CommunityError)
    {
        try await transact(by: organizerID, key: idempotencyKey, replay: .nothing) { tx in
            let organizer = try await tx.member(organizerID)
            var event = try await tx.load(eventID.rawValue, in: Collections.events, kind: "event")
            try await tx.requireLeader(
                organizer.value, of: event.value.chapter, for: .createChapterEvent, described: "cancel events")
            guard event.value.status == .scheduled else {
                throw CommunityError.invalidState("Event \(event.value.title) is already cancelled.")
            }
            guard tx.now < event.value.end else {
                throw CommunityError.invalidState(
                    "Event \(event.value.title) has already ended; it cannot be cancelled.")
            }
            event.value.status = .cancelled
            try tx.update(event, in: Collections.events)
            try tx.log(
                .cancelledEvent, member: organizer.value,
                .init(subject: .event(eventID), subjectOwner: event.value.createdBy, chapter: event.value.chapter))
            let affected = try await store.fetchAll(
                Collections.registrations, where: IndexQuery("event", equals: eventID.rawValue)
            ).filter { $0.value.isActive }
            for var registration in affected {
                registration.value.status = .eventCancelled
                try tx.update(registration, in: Collections.registrations)
                try tx.log(
                    .eventCancelledForRegistrant, member: try await tx.member(registration.value.member).value,
                    .init(
                        actor: organizerID, subject: .event(eventID), subjectOwner: event.value.createdBy,
                        chapter: event.value.chapter, details: ActivityDetails(attendanceMode: registration.value.mode))
                )
            }
        }
    }
}

extension CommunityService {
    /// A member's activity in a time range, oldest first: for the member themself and for
    /// staff and community managers.
    ///
    /// - Throws: ``CommunityError/notPermitted(member:action:rule:reason:)`` for any other reader.
    public func activity(
        of memberID: MemberID, from start: Date = .distantPast, to end: Date = .distantFuture, by readerID: MemberID
    ) async throws(CommunityError) -> [LoggedActivity] {
        guard !start.timeIntervalSince1970.isNaN, !end.timeIntervalSince1970.isNaN, start <= end else {
            throw .invalidInput(field: "from", reason: "the range must start no later than it ends (\(start) → \(end))")
        }
        _ = try await member(memberID)
        try await authorize(.partiesOrStaff([memberID]), by: readerID, to: "read the activity of \(memberID)")
        return try await query {
            try await store.allEntries(
                matching: .stream(ActivityEvent.stream(of: memberID)), in: Timestamp(start)..<Timestamp(end)
            ).map { try LoggedActivity($0) }
        }
    }

    /// The activity about one subject (a thread, an event), oldest first: for staff and community
    /// managers (it names the members involved, whatever board or roster they were on).
    public func activity(about subject: SubjectRef, by readerID: MemberID) async throws(CommunityError)
        -> [LoggedActivity]
    {
        try await authorize(.staff, by: readerID, to: "read the activity about \(subject.rawValue)")
        return try await query {
            try await store.allEntries(matching: .subject(subject.rawValue)).map { try LoggedActivity($0) }
        }
    }

    /// The last `limit` activities of the whole community, oldest first: for staff and community
    /// managers.
    public func recentActivity(limit: Int = 20, by readerID: MemberID) async throws(CommunityError)
        -> [LoggedActivity]
    {
        guard (1...StorageLimits.maximumPageSize).contains(limit) else {
            throw .invalidInput(field: "limit", reason: "must be 1 to \(StorageLimits.maximumPageSize), not \(limit)")
        }
        try await authorize(.staff, by: readerID, to: "read the community's recent activity")
        return try await query {
            let head = try await store.head()
            let start = head > UInt64(limit) ? head - UInt64(limit) : 0
            return try await store.entries(after: start, limit: limit).map { try LoggedActivity($0) }
        }
    }
}
