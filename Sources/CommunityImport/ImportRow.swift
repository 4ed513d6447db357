import CommunityModel
import Foundation
import Storage

/// Where a row came from: its file and the line it starts on. An import derives the ids of the
/// row's log entries from it, and remembers the last line of each file it handled, so the
/// same row is never stored twice. The rows of one file must therefore come in line order: a
/// row whose line is not after the last one handled of its file counts as sent before, and is
/// skipped (``ImportReport/skipped``).
public struct ImportLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The file's name as the school calls it (`members.csv`); a name, not a path.
    public var file: String
    /// The line the row starts on, from 1.
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.file, lhs.line) < (rhs.file, rhs.line)
    }

    public var description: String { "\(file):\(line)" }
}

/// One row of a school's history, for ``CommunityImporter/add(_:)``.
///
/// Members, enrolments, completions, memberships, organizers and activity carry the time they
/// happened: rows go in time order, and a row earlier than one already imported is rejected.
/// Programmes and chapters carry no time: they must come before the rows that name them.
/// Members are named by the school's own id (``ImportedMember/schoolID``) throughout; the
/// library mints its own opaque member ids and keeps the school's ids apart, in records that
/// erasure deletes.
public struct ImportRow: Sendable {
    /// Where the row came from.
    public var location: ImportLocation
    /// What the row says.
    public var content: Content

    public init(_ content: Content, at location: ImportLocation) {
        self.location = location
        self.content = content
    }

    /// What a row says.
    public enum Content: Sendable {
        case programme(ImportedProgramme)
        case chapter(ImportedChapter)
        case member(ImportedMember)
        case enrolment(ImportedEnrolment)
        case completion(ImportedCompletion)
        case membership(ImportedMembership)
        case organizer(ImportedOrganizer)
        case activity(ImportedActivity)
        /// A row its reader could not make sense of (``SchoolFiles`` reports a cell that does
        /// not parse this way): the import reports it with its location, field and reason.
        case refused(field: String, reason: String)
    }

    /// When what the row says happened; nil for programmes and chapters.
    public var time: Date? {
        switch content {
        case .programme, .chapter, .refused: nil
        case .member(let row): row.joinedAt
        case .enrolment(let row): row.enrolledAt
        case .completion(let row): row.completedAt
        case .membership(let row): row.joinedAt
        case .organizer(let row): row.appointedAt
        case .activity(let row): row.time
        }
    }
}

/// A programme, as `CommunityService.createProgramme(id:title:by:idempotencyKey:)` makes it (with its
/// learners' and alumni boards). The school's programme id becomes the programme's id.
public struct ImportedProgramme: Hashable, Sendable {
    public var id: ProgrammeID
    public var title: String

    public init(id: ProgrammeID, title: String) {
        self.id = id
        self.title = title
    }
}

/// A chapter, as `CommunityService.createChapter` makes it (with its public and organizers'
/// boards). The school's chapter id becomes the chapter's id.
public struct ImportedChapter: Hashable, Sendable {
    public var id: ChapterID
    public var name: String
    public var focus: ChapterFocus
    /// The chapter's IANA time zone; city and country chapters need one.
    public var timeZone: String?

    public init(id: ChapterID, name: String, focus: ChapterFocus, timeZone: String?) {
        self.id = id
        self.name = name
        self.focus = focus
        self.timeZone = timeZone
    }
}

/// A member with the day they joined, checked as `CommunityService.registerMember` checks a
/// registration (`member.id` must be nil: the library mints the id).
public struct ImportedMember: Hashable, Sendable {
    /// The school's own id for this person (kept in an erasable record, never in the log).
    public var schoolID: String
    public var joinedAt: Date
    public var member: NewMember

    public init(schoolID: String, joinedAt: Date, member: NewMember) {
        self.schoolID = schoolID
        self.joinedAt = joinedAt
        self.member = member
    }
}

/// An enrolment with its original date.
public struct ImportedEnrolment: Hashable, Sendable {
    public var member: String
    public var programme: ProgrammeID
    public var enrolledAt: Date

    public init(member: String, programme: ProgrammeID, enrolledAt: Date) {
        self.member = member
        self.programme = programme
        self.enrolledAt = enrolledAt
    }
}

/// A completion with its original time and certificate date, checked by the same rule as
/// `CommunityService.recordCompletion` (the certificate's day lies between the enrolment and
/// the completion).
public struct ImportedCompletion: Hashable, Sendable {
    public var member: String
    public var programme: ProgrammeID
    public var completedAt: Date
    public var certificateDate: LocalDate

    public init(member: String, programme: ProgrammeID, completedAt: Date, certificateDate: LocalDate) {
        self.member = member
        self.programme = programme
        self.completedAt = completedAt
        self.certificateDate = certificateDate
    }
}

/// A chapter membership with the time the member joined.
public struct ImportedMembership: Hashable, Sendable {
    public var member: String
    public var chapter: ChapterID
    public var joinedAt: Date

    public init(member: String, chapter: ChapterID, joinedAt: Date) {
        self.member = member
        self.chapter = chapter
        self.joinedAt = joinedAt
    }
}

/// An organizer appointment, as `CommunityService.appointOrganizer` records it (joining the
/// member to the chapter if needed).
public struct ImportedOrganizer: Hashable, Sendable {
    public var member: String
    public var chapter: ChapterID
    public var appointedAt: Date

    public init(member: String, chapter: ChapterID, appointedAt: Date) {
        self.member = member
        self.chapter = chapter
        self.appointedAt = appointedAt
    }
}

/// A historical activity: one log entry, checked for shape (a kind of
/// ``CommunityImporter/historicalKinds``, a known member, a subject of a known kind, a time
/// after the member joined and not in the future), not authorized again.
public struct ImportedActivity: Hashable, Sendable {
    /// The member who did it (the school's id).
    public var member: String
    public var kind: ActivityKind
    public var time: Date
    /// What it was about. A member subject names the school's id; a programme or chapter must
    /// be imported; threads, posts, events and the rest are the school's own ids.
    public var subject: Subject?
    /// Whose content it was about (the school's id), e.g. the author of the post reacted to.
    public var subjectOwner: String?
    public var chapter: ChapterID?
    public var programme: ProgrammeID?
    /// What else the entry says. Only what history may carry: a reaction, a first response, an
    /// attendance mode, a waitlist position, what was shared and where, a check-in's day.
    public var details: ActivityDetails

    public init(
        member: String, kind: ActivityKind, time: Date, subject: Subject? = nil, subjectOwner: String? = nil,
        chapter: ChapterID? = nil, programme: ProgrammeID? = nil, details: ActivityDetails = ActivityDetails()
    ) {
        self.member = member
        self.kind = kind
        self.time = time
        self.subject = subject
        self.subjectOwner = subjectOwner
        self.chapter = chapter
        self.programme = programme
        self.details = details
    }
}

/// A row the import refused, and why; the good rows around it went in.
public struct ImportRejection: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    /// The field at fault (`email`, `time`, `member`, …).
    public var field: String
    /// What is wrong, in words a person can act on.
    public var reason: String

    public init(file: String, line: Int, field: String, reason: String) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(file):\(line): \(field): \(reason)" }
}

/// What an import did: rows imported and skipped by this run, and the rows refused (each with
/// its reason) since the import began.
public struct ImportReport: Hashable, Sendable {
    /// Rows this run put in.
    public var imported = 0
    /// Rows an earlier run of the same import had already handled (imported or refused).
    public var skipped = 0
    /// Log entries this run appended.
    public var entries = 0
    /// The refused rows since the import began (a resume keeps those of the runs before it),
    /// by file and line.
    public var rejections: [ImportRejection] = []

    public init() {}
}
