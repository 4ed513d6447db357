/// A typed identifier: a string id that cannot be mixed up with the id of another kind of thing.
///
/// `MemberID`, `ChapterID` and the others are all `Identifier`s with different tags, so passing a
/// chapter id where a member id is expected does not compile.
public struct Identifier<Tag>: Hashable, Comparable, Sendable, Codable, RawRepresentable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

public enum MemberTag {}
public enum ProgrammeTag {}
public enum ChapterTag {}
public enum BoardTag {}
public enum ThreadTag {}
public enum PostTag {}
public enum EventTag {}

public typealias MemberID = Identifier<MemberTag>
public typealias ProgrammeID = Identifier<ProgrammeTag>
public typealias ChapterID = Identifier<ChapterTag>
public typealias BoardID = Identifier<BoardTag>
public typealias ThreadID = Identifier<ThreadTag>
public typealias PostID = Identifier<PostTag>
public typealias EventID = Identifier<EventTag>

public enum SurveyTag {}
public enum ChallengeTag {}
public enum ChallengeTeamTag {}
public enum BadgeTag {}
public enum AwardTag {}
public enum RewardTierTag {}
public enum TrainingSessionTag {}
public enum FeedbackTag {}

/// The id of a survey: chosen by its author (`"onboarding-2026"`) or minted when the survey
/// is created.
public typealias SurveyID = Identifier<SurveyTag>
/// A yearly Community Challenge.
public typealias ChallengeID = Identifier<ChallengeTag>
/// A team of a challenge: `<challenge>-team-<number>`.
public typealias ChallengeTeamID = Identifier<ChallengeTeamTag>
/// A badge definition (`"first-answer"`), chosen by the school.
public typealias BadgeID = Identifier<BadgeTag>
/// One award of a badge to a member: `<badge>|<member>|<number>`.
public typealias AwardID = Identifier<AwardTag>
/// A reward tier (`"swag"`), chosen by the school.
public typealias RewardTierID = Identifier<RewardTierTag>
/// A leaders' training session: `training-<start in seconds>-<role>`.
public typealias TrainingSessionID = Identifier<TrainingSessionTag>
/// An item of the leader feedback channel.
public typealias FeedbackID = Identifier<FeedbackTag>
