import Foundation

/// What a chapter gathers around: a place or an interest.
public enum ChapterFocus: Hashable, Sendable, Codable {
    /// A city, with its country.
    case city(String, country: CountryCode)
    /// A whole country.
    case country(CountryCode)
    /// A region spanning countries (e.g. "Nordics").
    case region(String)
    /// A shared interest (e.g. "Data science"); meets virtually.
    case interest(String)
}

/// A volunteer-led chapter. Chapters are public: anyone may join.
public struct Chapter: Hashable, Sendable, Codable, Identifiable {
    public var id: ChapterID
    public var name: String
    public var focus: ChapterFocus
    /// The chapter's time zone: events count in its calendar. Interest chapters take the
    /// school's default.
    public var timeZone: TimeZoneID
    /// The members who organize the chapter, in the order they were appointed.
    public var organizers: [MemberID]
    /// The chapter's public board: anyone may read it.
    public var publicBoard: BoardID
    /// The board only the chapter's organizers (and staff) see.
    public var organizersBoard: BoardID

    public init(
        id: ChapterID,
        name: String,
        focus: ChapterFocus,
        timeZone: TimeZoneID,
        organizers: [MemberID] = [],
        publicBoard: BoardID,
        organizersBoard: BoardID
    ) {
        self.id = id
        self.name = name
        self.focus = focus
        self.timeZone = timeZone
        self.organizers = organizers
        self.publicBoard = publicBoard
        self.organizersBoard = organizersBoard
    }
}

/// A member's membership of a chapter.
public struct ChapterMembership: Hashable, Sendable, Codable {
    public var chapter: ChapterID
    public var member: MemberID
    public var joinedAt: Date
    /// Whether the member organizes the chapter.
    public var isOrganizer: Bool

    public init(chapter: ChapterID, member: MemberID, joinedAt: Date, isOrganizer: Bool = false) {
        self.chapter = chapter
        self.member = member
        self.joinedAt = joinedAt
        self.isOrganizer = isOrganizer
    }
}
