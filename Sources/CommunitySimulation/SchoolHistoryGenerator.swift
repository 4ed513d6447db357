import CommunityImport
import CommunityModel
import Foundation
import Storage

/// The generated school (``ActivityLogGenerator``) as the rows a school would bring to an import:
/// programmes and chapters first, then its members joining over the two years before the log
/// starts, then a year of history in time order. The generator's enrolments, completions and
/// chapter joins become rows of their own the first time they make sense (a completion only
/// after its enrolment); everything else it generates that an import does not take as history
/// (a second enrolment, a profile change, a chapter left) becomes a reply, so the history keeps
/// its size. Deterministic for a seed; rows are made on demand, a chunk at a time.
public struct SchoolHistoryGenerator: Sequence, IteratorProtocol {
    public let scale: ActivityLogGenerator.Scale
    private var log: ActivityLogGenerator
    private var stage = 0
    private var index = 0
    private var lines: [String: Int] = [:]
    private var enrolled: [UInt8]
    private var member: [UInt8]

    /// - Parameters:
    ///   - scale: the school's size (the brief's by default: 650,000 members, 10,000,000 events).
    ///   - seed: the seed of the history.
    public init(scale: ActivityLogGenerator.Scale = ActivityLogGenerator.Scale(), seed: UInt64 = 2026) {
        self.scale = scale
        self.log = ActivityLogGenerator(scale: scale, seed: seed)
        // Two bits a member and programme (enrolled, completed); one a member (in their chapter).
        enrolled = [UInt8](repeating: 0, count: scale.members * Swift.max(scale.programmes, 1))
        member = [UInt8](repeating: 0, count: scale.members)
    }

    /// The school's id of member `index` (0-based).
    public static func schoolID(_ index: Int) -> String { "S\(index + 1)" }

    /// When member `index` joined: spread evenly over the two years before the history starts.
    public func joinedAt(_ index: Int) -> Date {
        let span = 730.0 * 86_400
        return scale.start.addingTimeInterval(-span + span * Double(index) / Double(Swift.max(scale.members, 1)))
    }

    /// How many rows come before the history (programmes, chapters, members).
    public var rowsBeforeHistory: Int { scale.programmes + scale.chapters + scale.members }

    private mutating func at(_ file: String, _ content: ImportRow.Content) -> ImportRow {
        let line = (lines[file] ?? 1) + 1
        lines[file] = line
        return ImportRow(content, at: ImportLocation(file: file, line: line))
    }

    public mutating func next() -> ImportRow? {
        switch stage {
        case 0:
            guard index < scale.programmes else { return advance() }
            index += 1
            return at(
                "programmes.csv",
                .programme(ImportedProgramme(id: ProgrammeID("programme-\(index)"), title: "Programme \(index)")))
        case 1:
            guard index < scale.chapters else { return advance() }
            index += 1
            return at(
                "chapters.csv",
                .chapter(
                    ImportedChapter(
                        id: ChapterID("chapter-\(index)"), name: "Chapter \(index)", focus: .interest("Topic \(index)"),
                        timeZone: nil)))
        case 2:
            guard index < scale.members else { return advance() }
            defer { index += 1 }
            let new = NewMember(
                displayName: "Learner \(index + 1)", email: "learner\(index + 1)@school.example",
                country: log.country(ofMember: index), timeZone: log.timeZone(ofMember: index).identifier,
                consents: index % 5 == 0 ? [] : [.publicLeaderboards])
            return at(
                "members.csv",
                .member(ImportedMember(schoolID: Self.schoolID(index), joinedAt: joinedAt(index), member: new)))
        default:
            guard let event = log.next() else { return nil }
            return row(for: event)
        }
    }

    private mutating func advance() -> ImportRow? {
        stage += 1
        index = 0
        return next()
    }

    private static func memberIndex(_ id: MemberID) -> Int {
        (Int(id.rawValue.dropFirst("member-".count)) ?? 1) - 1
    }

    private mutating func row(for event: ActivityEvent) -> ImportRow {
        let index = Self.memberIndex(event.member)
        let school = Self.schoolID(index)
        let time = event.time.date
        switch event.kind {
        case .enrolled, .completed:
            guard let programme = event.context.programme,
                let number = Int(programme.rawValue.dropFirst("programme-".count))
            else { break }
            let slot = index * Swift.max(scale.programmes, 1) + number - 1
            if event.kind == .enrolled, enrolled[slot] == 0 {
                enrolled[slot] = 1
                return at(
                    "enrolments.csv",
                    .enrolment(ImportedEnrolment(member: school, programme: programme, enrolledAt: time)))
            }
            if event.kind == .completed, enrolled[slot] == 1 {
                enrolled[slot] = 2
                return at(
                    "completions.csv",
                    .completion(
                        ImportedCompletion(
                            member: school, programme: programme, completedAt: time,
                            certificateDate: LocalDate(time, in: .utc))))
            }
        case .joinedChapter:
            guard member[index] == 0, let chapter = event.context.chapter else { break }
            member[index] = 1
            return at(
                "memberships.csv", .membership(ImportedMembership(member: school, chapter: chapter, joinedAt: time)))
        case .joinedCommunity, .profileUpdated, .leftChapter: break
        default:
            return at(
                "activity.csv",
                .activity(
                    ImportedActivity(
                        member: school, kind: event.kind, time: time, subject: event.context.subject?.subject,
                        subjectOwner: event.context.subjectOwner.map { Self.schoolID(Self.memberIndex($0)) },
                        chapter: event.context.chapter, programme: event.context.programme,
                        details: event.context.details)))
        }
        let thread = ThreadID("thread-\(index % Swift.max(scale.events / 20, 1) + 1)")
        return at(
            "activity.csv",
            .activity(
                ImportedActivity(
                    member: school, kind: .replied, time: time, subject: .thread(thread),
                    chapter: event.context.chapter, programme: event.context.programme)))
    }
}
