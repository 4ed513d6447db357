import CommunityModel
import Foundation
import Storage

/// Generates the activity log of a whole school, fast and without a store: members spread over
/// countries and time zones, chapters, programmes and a realistic mix of every activity kind,
/// in time order. For volume (benchmarks, large tests) where going through
/// ``CommunitySimulator`` and the service would take hours; deterministic for a seed.
///
/// The defaults are the scale of the brief: 650,000 members in 190 countries, 40 chapters and
/// 10,000,000 events over a year.
public struct ActivityLogGenerator: Sequence, IteratorProtocol {
    /// The size and shape of the generated school.
    public struct Scale: Hashable, Sendable {
        public var members: Int
        public var countries: Int
        public var chapters: Int
        public var programmes: Int
        public var events: Int
        /// The first event's time; events spread evenly over `days`.
        public var start: Date
        public var days: Int

        public init(
            members: Int = 650_000, countries: Int = 190, chapters: Int = 40, programmes: Int = 30,
            events: Int = 10_000_000, start: Date = Date(timeIntervalSince1970: 1_767_225_600), days: Int = 365
        ) {
            self.members = members
            self.countries = countries
            self.chapters = chapters
            self.programmes = programmes
            self.events = events
            self.start = start
            self.days = days
        }
    }

    /// How entry ids are made: time-ordered (the library's default) or random (UUID v4).
    public enum IDStyle: Sendable {
        case timeOrdered
        case random
    }

    public let scale: Scale
    private var random: SeededGenerator
    private let ids: EntryIDGenerator
    private let idStyle: IDStyle
    private var produced = 0
    private let zones: [TimeZoneID]
    private var offsets: [Int: Int] = [:]

    /// The kinds and how often each happens, roughly as on a busy course platform.
    private static let mix: [(ActivityKind, Int)] = [
        (.reacted, 30), (.replied, 14), (.answered, 12), (.gaveFeedback, 9), (.startedThread, 5),
        (.askedQuestion, 6), (.registeredForEvent, 5), (.attendedEvent, 4), (.waitlistedForEvent, 1),
        (.cancelledRegistration, 1), (.promotedFromWaitlist, 1), (.enrolled, 3), (.completed, 2), (.shared, 2),
        (.joinedChapter, 2), (.leftChapter, 1), (.profileUpdated, 1), (.joinedCommunity, 1),
    ]
    private let weights: [Int]

    public init(scale: Scale = Scale(), seed: UInt64 = 2026, idStyle: IDStyle = .timeOrdered) {
        self.scale = scale
        self.random = SeededGenerator(seed: seed)
        self.ids = EntryIDGenerator(seed: seed)
        self.idStyle = idStyle
        self.weights = Self.mix.map(\.1)
        // Every member lives in one of a few dozen real zones, spread around the world.
        zones = [
            "Pacific/Auckland", "Australia/Sydney", "Asia/Tokyo", "Asia/Shanghai", "Asia/Singapore", "Asia/Jakarta",
            "Asia/Kolkata", "Asia/Karachi", "Asia/Dubai", "Europe/Istanbul", "Africa/Nairobi", "Africa/Cairo",
            "Africa/Johannesburg", "Europe/Warsaw", "Europe/Berlin", "Europe/Amsterdam", "Africa/Lagos",
            "Europe/London", "America/Sao_Paulo", "America/Argentina/Buenos_Aires", "America/New_York",
            "America/Bogota", "America/Mexico_City", "America/Los_Angeles", "Pacific/Honolulu",
        ].compactMap { try? TimeZoneID($0) }
    }

    /// The member with index `index` (0-based): `member-N`.
    public static func memberID(_ index: Int) -> MemberID { MemberID("member-\(index + 1)") }

    /// The time zone member `index` lives in.
    public func timeZone(ofMember index: Int) -> TimeZoneID { zones[index % zones.count] }

    /// The country member `index` lives in (one of the first `scale.countries` ISO codes).
    public func country(ofMember index: Int) -> String {
        Self.countryCodes[index % Swift.min(scale.countries, Self.countryCodes.count)]
    }

    private static let countryCodes = CountryCode.all.sorted()

    public mutating func next() -> ActivityEvent? {
        guard produced < scale.events else { return nil }
        defer { produced += 1 }
        let span = Double(scale.days) * 86_400
        let date = scale.start.addingTimeInterval(span * Double(produced) / Double(Swift.max(scale.events, 1)))
        let time = Timestamp(date)
        // A few members do most things (a power law), as in every community.
        let u = Double.random(in: 0..<1, using: &random)
        let memberIndex = Swift.min(scale.members - 1, Int(Double(scale.members) * u * u * u))
        let member = Self.memberID(memberIndex)
        let kind = Self.mix[random.weightedIndex(weights)].0
        let other = Self.memberID(Int.random(in: 0..<scale.members, using: &random))
        let chapter = ChapterID("chapter-\(memberIndex % Swift.max(scale.chapters, 1) + 1)")
        let programme = ProgrammeID("programme-\(Int.random(in: 1...Swift.max(scale.programmes, 1), using: &random))")
        let thread = ThreadID("thread-\(Int.random(in: 1...Swift.max(scale.events / 20, 1), using: &random))")
        var details = ActivityDetails()
        let subject: SubjectRef
        switch kind {
        case .reacted:
            subject = .post(PostID("post-\(Int.random(in: 1...Swift.max(scale.events / 3, 1), using: &random))"))
            details.reaction = .like
        case .gaveFeedback:
            subject = .post(PostID("post-\(Int.random(in: 1...Swift.max(scale.events / 3, 1), using: &random))"))
        case .replied, .answered, .startedThread, .askedQuestion:
            subject = .thread(thread)
            details.isFirstResponse = kind == .answered ? random.chance(0.2) : nil
        case .registeredForEvent, .attendedEvent, .waitlistedForEvent, .cancelledRegistration, .promotedFromWaitlist:
            subject = .event(EventID("event-\(Int.random(in: 1...5_000, using: &random))"))
            details.attendanceMode = random.chance(0.7) ? .inPerson : .virtual
        case .joinedChapter, .leftChapter:
            subject = .chapter(chapter)
        case .enrolled, .completed, .shared:
            subject = .programme(programme)
            if kind == .shared { details.shared = .certificate(programme) }
        case .joinedCommunity, .profileUpdated:
            // The member's facts, as the commands log them: four in five show on public boards.
            subject = .member(member)
            details.country = try? CountryCode(country(ofMember: memberIndex))
            details.consents = memberIndex % 5 == 0 ? [] : [.publicLeaderboards]
            details.roles = [.learner]
        default:
            subject = .member(member)
        }
        let id: EntryID
        switch idStyle {
        case .timeOrdered: id = ids.next(at: time)
        case .random: id = EntryID(UUID())
        }
        return ActivityEvent(
            id: id, kind: kind, member: member, time: time, localDate: localDate(date, zone: memberIndex % zones.count),
            context: ActivityContext(
                subject: subject, subjectOwner: other, chapter: chapter, programme: programme, details: details))
    }

    /// The local day, with each zone's offset looked up once per UTC day.
    private mutating func localDate(_ date: Date, zone: Int) -> LocalDate {
        let day = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let key = day &* 64 &+ zone
        let offset: Int
        if let known = offsets[key] {
            offset = known
        } else {
            offset = zones[zone].timeZone.secondsFromGMT(for: date)
            offsets[key] = offset
        }
        return LocalDate(date.addingTimeInterval(Double(offset)), in: .utc)
    }
}
