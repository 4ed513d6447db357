import CommunityModel
import Foundation
import Storage

extension CommunityImporter {
    /// Checks a row and stages what it stores, or throws (a `Refusal` or the command's
    /// `CommunityError`) having staged nothing: every check comes before the first change.
    func stage(_ row: ImportRow) throws {
        let time = try row.time.map { date throws(Refusal) in try checkTime(date) }
        switch row.content {
        case .programme(let programme): try stageProgramme(programme)
        case .chapter(let chapter): try stageChapter(chapter)
        case .member(let member): try stageMember(member, at: row.location, time: time ?? 0)
        case .enrolment(let enrolment): try stageEnrolment(enrolment, at: row.location, time: time ?? 0)
        case .completion(let completion): try stageCompletion(completion, at: row.location, time: time ?? 0)
        case .membership(let membership): try stageMembership(membership, at: row.location, time: time ?? 0)
        case .organizer(let organizer): try stageOrganizer(organizer, at: row.location, time: time ?? 0)
        case .activity(let activity): try stageActivity(activity, at: row.location, time: time ?? 0)
        case .refused(let field, let reason): throw Refusal(field: field, reason: reason)
        }
        if let time { state.lastTime = max(state.lastTime ?? time, time) }
    }

    /// A row's time: within the supported years, not in the future, not before what is in.
    private func checkTime(_ date: Date) throws(Refusal) -> Int64 {
        // The rule every command's dates follow: finite, within the supported years.
        try Self.refusing { () throws(CommunityError) in try Validate.date(date, field: "time") }
        let time = Timestamp(date)
        let now = Timestamp(community.clock.now())
        guard time <= now else {
            throw Refusal(field: "time", reason: "\(time) is in the future (now is \(now))")
        }
        if let last = state.lastTime, time.millisecondsSince1970 < last {
            throw Refusal(
                field: "time",
                reason:
                    "\(time) is out of time order: history up to \(Timestamp(millisecondsSince1970: last)) is already "
                    + "imported; rows go in time order")
        }
        return time.millisecondsSince1970
    }

    private func origin(of file: String) -> UInt64 {
        if let known = origins[file] { return known }
        let origin = EntryID.importOrigin(source, file)
        origins[file] = origin
        return origin
    }

    private func entryID(_ location: ImportLocation, time: Int64, number: Int) -> EntryID {
        EntryID.imported(
            at: Timestamp(millisecondsSince1970: time), origin: origin(of: location.file), line: location.line,
            number: number)
    }

    private func known(_ schoolID: String, field: String = "member") throws(Refusal) -> ImportState.MemberInfo {
        guard let member = state.members[schoolID] else {
            throw Refusal(field: field, reason: "no member \(schoolID.debugDescription) was imported before this row")
        }
        return member
    }

    private func knownProgramme(_ id: ProgrammeID) throws(Refusal) {
        guard state.programmes.contains(id) else {
            throw Refusal(field: "programme", reason: "no programme \(id.rawValue.debugDescription) was imported")
        }
    }

    private func knownChapter(_ id: ChapterID) throws(Refusal) {
        guard state.chapters.contains(id) else {
            throw Refusal(field: "chapter", reason: "no chapter \(id.rawValue.debugDescription) was imported")
        }
    }

    /// Appends the entry a command would log, with the import's id and no acting member.
    private func log(
        _ kind: ActivityKind, member: ImportState.MemberInfo, at location: ImportLocation, time: Int64, number: Int,
        _ context: ActivityContext
    ) throws {
        let timestamp = Timestamp(millisecondsSince1970: time)
        let event = ActivityEvent(
            id: entryID(location, time: time, number: number), kind: kind, member: member.id, time: timestamp,
            localDate: days.day(timestamp, in: member.zone), context: context)
        chunk.entries.append(try event.logEntry())
    }

    // MARK: Rows

    private func stageProgramme(_ row: ImportedProgramme) throws {
        let title = try Validate.name(row.title, field: "title")
        try Validate.id(row.id.rawValue, field: "programme id")
        guard !state.programmes.contains(row.id) else {
            throw Refusal(field: "id", reason: "programme \(row.id.rawValue.debugDescription) is already imported")
        }
        let (programme, boards) = Programme.make(id: row.id, title: title)
        try stageBoards(boards)
        try chunk.writes.create(programme, id: row.id.rawValue, in: Collections.programmes)
        state.programmes.insert(row.id)
    }

    private func stageChapter(_ row: ImportedChapter) throws {
        let (name, zone) = try Chapter.validated(
            name: row.name, focus: row.focus, timeZone: row.timeZone, defaultTimeZone: community.defaultTimeZone)
        try Validate.id(row.id.rawValue, field: "chapter id")
        guard !state.chapters.contains(row.id) else {
            throw Refusal(field: "id", reason: "chapter \(row.id.rawValue.debugDescription) is already imported")
        }
        let (chapter, boards) = Chapter.make(id: row.id, name: name, focus: row.focus, timeZone: zone)
        try stageBoards(boards)
        try chunk.writes.put(chapter, id: row.id.rawValue, in: Collections.chapters, expecting: .absent)
        state.chapters.insert(row.id)
        // The version it has once this chunk commits.
        state.chapterRecords[row.id] = Versioned(id: row.id.rawValue, version: 1, value: chapter)
    }

    /// Boards are named after their programme or chapter, which is new: they are new too.
    private func stageBoards(_ boards: [Board]) throws {
        for board in boards {
            try chunk.writes.create(board, id: board.id.rawValue, in: Collections.boards)
        }
    }

    private func stageMember(_ row: ImportedMember, at location: ImportLocation, time: Int64) throws {
        try Validate.id(row.schoolID, field: "schoolID")
        guard row.member.id == nil else {
            throw Refusal(field: "id", reason: "the library mints member ids; give the school's id as schoolID")
        }
        let (profile, email) = try row.member.validated()
        guard state.members[row.schoolID] == nil else {
            throw Refusal(field: "schoolID", reason: "a member with school id \(row.schoolID) is already imported")
        }
        guard !state.emails.contains(email) else {
            throw Refusal(field: "email", reason: "another member already has this email")
        }
        if !options.readmitsErased, state.wasErased(email: email, schoolID: row.schoolID) {
            throw Refusal(
                field: "schoolID",
                reason: "this person's data was erased on request; import them again only with Options.readmitsErased")
        }
        let id = MemberID(entryID(location, time: time, number: 0).description)
        let info = ImportState.MemberInfo(id: id, zone: state.zone(profile.timeZone), joinedAt: time)
        let member = Member(
            id: id, profile: profile, roles: row.member.roles,
            joinedAt: Timestamp(millisecondsSince1970: time).date)
        try chunk.writes.put(member, id: id.rawValue, in: Collections.members, expecting: .absent)
        try chunk.writes.create(MemberContact(member: id, email: email), id: id.rawValue, in: Collections.contacts)
        try chunk.writes.create(EmailClaim(member: id), id: email, in: Collections.emails)
        try chunk.writes.create(ImportLink(member: id, source: source), id: row.schoolID, in: ImportCollections.links)
        // The first staff member imported founds the community, as the first self-registered
        // staff member would: no one can found it again by signing up.
        if row.member.roles.contains(.staff), !state.hasFounder {
            try chunk.writes.create(EmailClaim(member: id), id: "founder", in: Collections.founding)
            state.hasFounder = true
        }
        try log(
            .joinedCommunity, member: info, at: location, time: time, number: 0,
            .init(subject: .member(id), details: ActivityDetails(facts: member)))
        state.members[row.schoolID] = info
        state.emails.insert(email)
    }

    private func stageEnrolment(_ row: ImportedEnrolment, at location: ImportLocation, time: Int64) throws {
        let member = try known(row.member)
        try knownProgramme(row.programme)
        let key = CompositeKey.make(member.id, row.programme)
        guard state.enrolments[key] == nil else {
            throw Refusal(field: "programme", reason: "\(row.member) is already enrolled in \(row.programme)")
        }
        let enrolment = Enrolment(
            member: member.id, programme: row.programme, enrolledAt: Timestamp(millisecondsSince1970: time).date)
        try chunk.writes.put(enrolment, id: key, in: Collections.enrolments, expecting: .absent)
        try log(
            .enrolled, member: member, at: location, time: time, number: 0,
            .init(subject: .programme(row.programme), programme: row.programme))
        state.enrolments[key] = (time, false)
    }

    private func stageCompletion(_ row: ImportedCompletion, at location: ImportLocation, time: Int64) throws {
        let member = try known(row.member)
        try knownProgramme(row.programme)
        let key = CompositeKey.make(member.id, row.programme)
        guard let enrolled = state.enrolments[key] else {
            throw Refusal(
                field: "programme",
                reason: "\(row.member) is not enrolled in \(row.programme): import the enrolment first")
        }
        guard !enrolled.completed else {
            throw Refusal(field: "programme", reason: "\(row.member) already completed \(row.programme)")
        }
        let completedAt = Timestamp(millisecondsSince1970: time).date
        // An enrolment is created once and completed once: stored, it is at version 1.
        var enrolment = Enrolment(
            member: member.id, programme: row.programme,
            enrolledAt: Timestamp(millisecondsSince1970: enrolled.enrolledAt).date)
        try enrolment.check(certificateDate: row.certificateDate, completedAt: completedAt)
        enrolment.completedAt = completedAt
        enrolment.certificateDate = row.certificateDate
        try chunk.writes.put(enrolment, id: key, in: Collections.enrolments, expecting: .version(1))
        chunk.roles[member.id, default: []].insert(.alumnus)
        try log(
            .completed, member: member, at: location, time: time, number: 0,
            .init(
                subject: .programme(row.programme), programme: row.programme,
                details: ActivityDetails(certificateDate: row.certificateDate)))
        state.enrolments[key] = (enrolled.enrolledAt, true)
    }

    private func stageMembership(_ row: ImportedMembership, at location: ImportLocation, time: Int64) throws {
        let member = try known(row.member)
        try knownChapter(row.chapter)
        let key = CompositeKey.make(row.chapter, member.id)
        guard state.memberships[key] == nil else {
            throw Refusal(field: "chapter", reason: "\(row.member) is already in chapter \(row.chapter)")
        }
        let membership = ChapterMembership(
            chapter: row.chapter, member: member.id, joinedAt: Timestamp(millisecondsSince1970: time).date)
        try chunk.writes.put(membership, id: key, in: Collections.memberships, expecting: .absent)
        try log(
            .joinedChapter, member: member, at: location, time: time, number: 0,
            .init(subject: .chapter(row.chapter), chapter: row.chapter))
        state.memberships[key] = (time, false)
    }

    private func stageOrganizer(_ row: ImportedOrganizer, at location: ImportLocation, time: Int64) throws {
        let member = try known(row.member)
        try knownChapter(row.chapter)
        let key = CompositeKey.make(row.chapter, member.id)
        let membership = state.memberships[key]
        guard membership?.organizes != true else {
            throw Refusal(field: "chapter", reason: "\(row.member) already organizes chapter \(row.chapter)")
        }
        guard var chapter = state.chapterRecords[row.chapter] else {
            throw Refusal(field: "chapter", reason: "no chapter \(row.chapter.rawValue.debugDescription) was imported")
        }
        // As appointOrganizer: listed on the chapter, flagged on the membership (joining if
        // needed), the role, and the entries. A membership is created once and flagged once:
        // stored, it is at version 1.
        chapter.value.organizers.append(member.id)
        // One write a record a chunk: the version moves once, whatever the chunk does to it.
        let written = chunk.writes.written(Collections.chapters.key(row.chapter.rawValue))
        try chunk.writes.put(
            chapter.value, id: row.chapter.rawValue, in: Collections.chapters, expecting: .version(chapter.version))
        if !written { chapter.version += 1 }
        var number = 0
        if let membership {
            let flagged = ChapterMembership(
                chapter: row.chapter, member: member.id,
                joinedAt: Timestamp(millisecondsSince1970: membership.joinedAt).date, isOrganizer: true)
            try chunk.writes.put(flagged, id: key, in: Collections.memberships, expecting: .version(1))
        } else {
            let created = ChapterMembership(
                chapter: row.chapter, member: member.id, joinedAt: Timestamp(millisecondsSince1970: time).date,
                isOrganizer: true)
            try chunk.writes.put(created, id: key, in: Collections.memberships, expecting: .absent)
            try log(
                .joinedChapter, member: member, at: location, time: time, number: number,
                .init(subject: .chapter(row.chapter), chapter: row.chapter))
            number += 1
        }
        chunk.roles[member.id, default: []].insert(.chapterOrganizer)
        try log(
            .becameOrganizer, member: member, at: location, time: time, number: number,
            .init(
                subject: .chapter(row.chapter), chapter: row.chapter,
                details: ActivityDetails(role: .chapterOrganizer)))
        state.memberships[key] = (membership?.joinedAt ?? time, true)
        state.chapterRecords[row.chapter] = chapter
    }

    private func stageActivity(_ row: ImportedActivity, at location: ImportLocation, time: Int64) throws {
        let member = try known(row.member)
        guard Self.historicalKinds.contains(row.kind) else {
            throw Refusal(
                field: "kind",
                reason:
                    "\(row.kind) is not history an import brings; it takes one of "
                    + Self.historicalKinds.map(\.rawValue).sorted().joined(separator: ", "))
        }
        guard time >= member.joinedAt else {
            throw Refusal(
                field: "time", reason: "\(row.member) had not joined yet at \(Timestamp(millisecondsSince1970: time))")
        }
        let subject: Subject?
        switch row.subject {
        case .member(let schoolID): subject = .member(try known(schoolID.rawValue, field: "subject").id)
        case .programme(let id):
            try knownProgramme(id)
            subject = .programme(id)
        case .chapter(let id):
            try knownChapter(id)
            subject = .chapter(id)
        case .other(let kind, _):
            throw Refusal(field: "subject", reason: "\(kind.debugDescription) is not a kind of subject")
        case .some(let other):
            let id = String(other.rawValue.drop { $0 != ":" }.dropFirst())
            try Validate.id(id, field: "subject")
            subject = other
        case nil: subject = nil
        }
        let owner = try row.subjectOwner.map { schoolID throws(Refusal) in try known(schoolID, field: "subjectOwner").id
        }
        if let chapter = row.chapter { try knownChapter(chapter) }
        if let programme = row.programme { try knownProgramme(programme) }
        try Self.checkHistorical(row.details)
        if case .certificate(let programme) = row.details.shared { try knownProgramme(programme) }
        try log(
            row.kind, member: member, at: location, time: time, number: 0,
            .init(
                subject: subject.map(SubjectRef.init), subjectOwner: owner, chapter: row.chapter,
                programme: row.programme, details: row.details))
    }

    /// History carries what happened, never a member's facts, reversals or points.
    private static func checkHistorical(_ details: ActivityDetails) throws(Refusal) {
        var allowed = ActivityDetails()
        allowed.isFirstResponse = details.isFirstResponse
        allowed.reaction = details.reaction
        allowed.attendanceMode = details.attendanceMode
        allowed.waitlistPosition = details.waitlistPosition
        allowed.shared = details.shared
        allowed.network = details.network
        allowed.day = details.day
        guard allowed == details else {
            throw Refusal(
                field: "details",
                reason:
                    "history may carry a reaction, a first response, an attendance mode, a waitlist position, "
                    + "what was shared and where, and a check-in's day; facts, points and reversals come from "
                    + "the community's own commands")
        }
        if let network = details.network {
            try refusing { () throws(CommunityError) in
                guard try Validate.network(network) == network else {
                    throw .invalidInput(field: "network", reason: "write the network in lowercase, as the log keeps it")
                }
            }
        }
        if case .spotlight(let month)? = details.shared {
            try refusing { () throws(CommunityError) in try Validate.spotlightMonth(month) }
        }
        if let position = details.waitlistPosition, !(1...Int(Int32.max)).contains(position) {
            throw Refusal(field: "waitlistPosition", reason: "\(position) is not a place on a waitlist")
        }
        if let day = details.day, !day.isSupported {
            throw Refusal(field: "day", reason: "\(day) lies outside the years \(LocalDate.supportedYears)")
        }
    }

    private static func refusing(_ body: () throws(CommunityError) -> Void) throws(Refusal) {
        do { try body() } catch {
            let (field, reason) = describe(error)
            throw Refusal(field: field, reason: reason)
        }
    }
}
