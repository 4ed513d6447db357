/// The kinds of activity the other modules log. Every kind is declared here, in the core, so
/// that the log's vocabulary is read in one place and a projection can name any kind without
/// importing the module that logs it.
extension ActivityKind {
    /// Kinds a service logs as a result of other entries (a badge earned, a reward reached):
    /// no projection folds them, so nothing earned feeds on itself. Policies and badges that
    /// name one are refused.
    public static let derived: Set<ActivityKind> = [.badgeAwarded, .rewardEarned]

    /// Whether entries of this kind are results of other entries (see ``derived``).
    public var isDerived: Bool { Self.derived.contains(self) }

    // MARK: Gamification

    /// A homework check-in (`GamificationService.checkIn(_:)`).
    public static let checkedIn = ActivityKind("checkedIn")
    /// Staff added or took away points; the entry's `details.points` is the amount.
    public static let pointsAdjusted = ActivityKind("pointsAdjusted")
    /// A reward tier was reached.
    public static let rewardEarned = ActivityKind("rewardEarned")
    /// A reward moved on in its fulfilment (offered, claimed, shipped, declined).
    public static let rewardMoved = ActivityKind("rewardMoved")

    // MARK: Surveys

    /// A member responded to a survey (subject `.survey(id)`). The entry never holds the answers.
    public static let respondedToSurvey = ActivityKind("respondedToSurvey")

    // MARK: Guidelines

    /// Staff published a guidelines version.
    public static let guidelinesPublished = ActivityKind("guidelinesPublished")
    /// A leader acknowledged a guidelines version.
    public static let guidelinesAcknowledged = ActivityKind("guidelinesAcknowledged")
    /// A leader attended a training session.
    public static let attendedTraining = ActivityKind("attendedTraining")

    // MARK: CommunityChallenge

    /// A member registered for a Community Challenge (subject: the challenge).
    public static let registeredForChallenge = ActivityKind("registeredForChallenge")
    /// A member was placed in a challenge team (subject: the team).
    public static let joinedChallengeTeam = ActivityKind("joinedChallengeTeam")
    /// A team member submitted (or revised) the team's solution (subject: the team).
    public static let submittedChallengeSolution = ActivityKind("submittedChallengeSolution")
    /// A member's team placed in a challenge; ``ActivityDetails/placement`` is the place, 1 for the winners.
    public static let placedInChallenge = ActivityKind("placedInChallenge")

    // MARK: Recognition

    /// A badge was awarded to the member (subject: the badge).
    public static let badgeAwarded = ActivityKind("badgeAwarded")
    /// Staff revoked a member's badge award (subject: the badge).
    public static let badgeRevoked = ActivityKind("badgeRevoked")

    // MARK: Recognition

    /// A member thanked another on record (the entry is the thanker's; subject: the thanked member).
    public static let thanked = ActivityKind("thanked")
}
