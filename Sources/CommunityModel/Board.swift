import Foundation

/// Who may use a discussion board.
public enum BoardAudience: Hashable, Sendable, Codable {
    /// Anyone may read; any member may post. A chapter's public board.
    case everyone
    /// Members of the chapter (and its organizers).
    case chapterMembers(ChapterID)
    /// Members enrolled in the programme; completing it keeps access.
    case enrolled(ProgrammeID)
    /// Members who completed the programme.
    case alumni(ProgrammeID)
    /// The chapter's organizers only.
    case organizers(ChapterID)
    /// Staff and community managers only.
    case staff
}

/// A discussion board.
public struct Board: Hashable, Sendable, Codable, Identifiable {
    public var id: BoardID
    public var title: String
    public var audience: BoardAudience
    /// The chapter whose organizers moderate the board, if any.
    public var chapter: ChapterID?
    /// The programme the board belongs to, if any.
    public var programme: ProgrammeID?

    public init(
        id: BoardID,
        title: String,
        audience: BoardAudience,
        chapter: ChapterID? = nil,
        programme: ProgrammeID? = nil
    ) {
        self.id = id
        self.title = title
        self.audience = audience
        self.chapter = chapter
        self.programme = programme
    }
}

/// What a member may do on a board.
public struct BoardPermissions: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let read = BoardPermissions(rawValue: 1 << 0)
    public static let post = BoardPermissions(rawValue: 1 << 1)
    public static let moderate = BoardPermissions(rawValue: 1 << 2)
    public static let all: BoardPermissions = [.read, .post, .moderate]

    public var description: String {
        let names = [(BoardPermissions.read, "read"), (.post, "post"), (.moderate, "moderate")]
            .filter { contains($0.0) }.map(\.1)
        return names.isEmpty ? "none" : names.joined(separator: ", ")
    }
}

/// Everything the access policy needs to know about a member.
public struct Viewer: Hashable, Sendable {
    public var member: MemberID
    public var roles: Set<Role>
    public var chapters: Set<ChapterID>
    public var organizes: Set<ChapterID>
    public var enrolled: Set<ProgrammeID>
    public var completed: Set<ProgrammeID>

    public init(
        member: MemberID,
        roles: Set<Role> = [.learner],
        chapters: Set<ChapterID> = [],
        organizes: Set<ChapterID> = [],
        enrolled: Set<ProgrammeID> = [],
        completed: Set<ProgrammeID> = []
    ) {
        self.member = member
        self.roles = roles
        self.chapters = chapters
        self.organizes = organizes
        self.enrolled = enrolled
        self.completed = completed
    }

    var isStaffLike: Bool { roles.contains(.staff) || roles.contains(.communityManager) }
}

/// The one function that decides what a member may do on a board. Every command of
/// ``CommunityService`` that reads, posts or moderates goes through it.
public enum AccessPolicy {
    /// The permissions of `viewer` on `board`; pass nil for someone who is not signed in.
    ///
    /// - Staff and community managers may read, post and moderate everywhere.
    /// - Organizers of the board's chapter may read, post and moderate its boards.
    /// - Otherwise the audience decides who may read and post; nobody else moderates.
    public static func permissions(of viewer: Viewer?, on board: Board) -> BoardPermissions {
        guard let viewer else {
            return board.audience == .everyone ? .read : []
        }
        if viewer.isStaffLike { return .all }
        if let chapter = board.chapter, viewer.organizes.contains(chapter) { return .all }
        let member: Bool
        switch board.audience {
        case .everyone: member = true
        case .chapterMembers(let chapter): member = viewer.chapters.contains(chapter)
        case .enrolled(let programme):
            member = viewer.enrolled.contains(programme) || viewer.completed.contains(programme)
        case .alumni(let programme): member = viewer.completed.contains(programme)
        case .organizers(let chapter): member = viewer.organizes.contains(chapter)
        case .staff: member = false
        }
        return member ? [.read, .post] : []
    }
}
