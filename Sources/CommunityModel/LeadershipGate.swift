/// An action that only a community leader takes, and that may require onboarding first.
public enum LeadershipAction: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case createChapterEvent
    case postAnnouncement
    case moderateBoard
    case recommendProgramme

    /// The action in words, to complete "before they …".
    public var description: String {
        switch self {
        case .createChapterEvent: "create a chapter event"
        case .postAnnouncement: "post an announcement"
        case .moderateBoard: "moderate a board"
        case .recommendProgramme: "recommend a programme"
        }
    }
}

/// Decides whether a leader may take a leadership action now, for example only after they
/// acknowledged the current guidelines. The Guidelines module implements it; the community
/// service receives one in its initializer.
///
/// Implementations throw ``CommunityError/acknowledgementRequired(member:action:version:)``
/// (or another ``CommunityError``) to refuse.
public protocol LeadershipGate: Sendable {
    func authorize(_ action: LeadershipAction, by member: Member, in chapter: ChapterID?) async throws(CommunityError)
}

/// A gate that lets every leader act: for communities without onboarding rules.
public struct OpenLeadershipGate: LeadershipGate {
    public init() {}
    public func authorize(_ action: LeadershipAction, by member: Member, in chapter: ChapterID?)
        async throws(CommunityError)
    {}
}
