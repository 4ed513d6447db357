import CommunityModel
public import Guidelines

/// Guidelines for the fictional school "Brightpath", used by the demo, the tests and the
/// benchmarks, and a starting point to copy for a real community.
public enum SampleGuidelines {
    /// The school's brand, its website and its attribution wording.
    public static let brand = "Brightpath"
    public static let website = "brightpath.example"
    public static let attribution = "A Brightpath Academy community"

    /// The document at a version, with one campaign running in the first half of November 2026.
    public static func document(version: GuidelineVersion) -> GuidelineDocument {
        GuidelineDocument(
            version: version,
            title: "Brightpath community guidelines",
            goals: [
                "Learners keep learning together after their course ends.",
                "Every chapter is a welcoming place to practise what was learnt.",
            ],
            objectives: [
                "One chapter event per quarter, led by a vetted organizer.",
                "Questions on the boards answered within a day.",
            ],
            roles: [
                RoleGuide(
                    role: .chapterOrganizer,
                    description: "Runs a local or interest chapter: one event a quarter, regular posts on the board, "
                        + "a welcoming tone.",
                    publicTitle: "Chapter Organizer"),
                RoleGuide(
                    role: .communityManager,
                    description: "Supports organizers, moderates the boards and speaks for the school.",
                    publicTitle: "Community Manager"),
            ],
            attribution: AttributionRule(
                wording: attribution, requiredOn: [.eventDescription, .socialPost(network: "LinkedIn")]),
            logo: LogoPolicy(
                usage: "On event pages and slides of official chapter events only.",
                permittedRoles: [.chapterOrganizer, .communityManager],
                howToAsk: "Ask your community manager for written permission before using the logo.",
                claimPhrases: ["logo", "official partner", "endorsed by Brightpath"]),
            socialChannels: [
                SocialChannel(
                    network: "LinkedIn", handle: "Brightpath Academy", url: "https://linkedin.example/brightpath"),
                SocialChannel(network: "X", handle: "@brightpath", url: "https://x.example/brightpath"),
            ],
            campaigns: [
                Campaign(
                    name: "Learn Together Week", hashtag: "#LearnTogether",
                    starts: LocalDate(dayNumber: 20_758), ends: LocalDate(dayNumber: 20_772))  // 2026-11-01 to 15
            ],
            examples: [
                ContentExample(
                    channel: .socialPost(network: "LinkedIn"), title: "Announcing a meetup",
                    text: "Our Nairobi chapter meets on 12 March to practise negotiation. All Brightpath learners "
                        + "welcome! #LearnTogether\n\n\(attribution)"),
                ContentExample(
                    channel: .forumPost, title: "Starting a discussion",
                    text: "What is one idea from Finance Basics you used at work this month? Share it below."),
                ContentExample(
                    channel: .eventDescription, title: "An event description",
                    text: "Bring a budget you are working on; we review them in pairs.\n\n\(attribution)"),
            ],
            style: StyleRules(
                brandNames: [
                    BrandName(canonical: brand, misspellings: ["Brite path", "Brightpth"]),
                    BrandName(canonical: "Brightpath Academy"),
                ],
                bannedPhrases: [
                    BannedPhrase(
                        phrase: "guaranteed job", replacement: "career support", reason: "we promise no jobs."),
                    BannedPhrase(phrase: "world class", replacement: "practical", reason: "say what it does instead."),
                    BannedPhrase(phrase: "free money", reason: "it misleads about scholarships."),
                ],
                toneNotes: ["Warm and plain: write as you would speak to a fellow learner."]),
            allowedLinkDomains: [website, "linkedin.example"],
            channelLimits: [
                ChannelLimit(channel: .socialPost(network: "X"), maximumLength: 280),
                ChannelLimit(channel: .socialPost(network: "LinkedIn"), maximumLength: 3_000),
                ChannelLimit(channel: .eventDescription, maximumLength: 5_000),
            ])
    }
}
