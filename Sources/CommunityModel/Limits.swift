/// How long a text may be: at most ``characters`` characters (as people count them) and
/// ``bytes`` bytes of UTF-8 (as storage counts them; one character can hold any number of
/// combining marks).
public struct TextLimit: Hashable, Sendable, CustomStringConvertible {
    /// The constant's name, as refusals quote it: `Limits.name`.
    public let name: String
    /// The most characters (grapheme clusters) a text may have.
    public let characters: Int
    /// The most bytes of UTF-8 a text may have.
    public let bytes: Int

    /// A limit named `name` (a constant of ``Limits``, or what set it: "the question's maxLength").
    /// - Parameters:
    ///   - name: What a refusal quotes.
    ///   - characters: The most characters.
    ///   - bytes: The most UTF-8 bytes.
    package init(_ name: String, characters: Int, bytes: Int) {
        self.name = name
        self.characters = characters
        self.bytes = bytes
    }

    public var description: String {
        characters == bytes
            ? "at most \(bytes) bytes (\(name))" : "at most \(characters) characters and \(bytes) bytes (\(name))"
    }
}

/// Every limit on what the library accepts, in one place. A refusal names the limit it applies
/// (`"may be at most 200 characters and 2048 bytes (Limits.name), this has 201 characters"`), so
/// a person can act on it and a developer can find it here.
///
/// Dates are limited by ``LocalDate/supportedYears`` (1900 to 2200), page sizes by
/// `StorageLimits.maximumPageSize`; counts, capacities, thresholds, weights and points stay
/// within `Int32` unless their type says otherwise (each policy states its ranges).
public enum Limits {
    /// Names and titles: display names, chapter, board, event, level, badge and rubric names,
    /// thread and survey titles, cities and regions. One line.
    public static let name = TextLimit("Limits.name", characters: 200, bytes: 2_048)
    /// Free text: posts and replies, descriptions, problem statements, solutions and pitches,
    /// answers, feedback, survey intros.
    public static let freeText = TextLimit("Limits.freeText", characters: 65_536, bytes: 65_536)
    /// Short texts of a sentence or two: reasons for the audit trail, notes, survey prompts and
    /// FAQ questions.
    public static let shortText = TextLimit("Limits.shortText", characters: 2_000, bytes: 16_384)
    /// A member's headline under their name.
    public static let headline = TextLimit("Limits.headline", characters: 280, bytes: 2_048)
    /// A thank-you note.
    public static let note = TextLimit("Limits.note", characters: 1_000, bytes: 8_192)
    /// Single words or short labels: skills, tags, social networks.
    public static let label = TextLimit("Limits.label", characters: 50, bytes: 400)
    /// An email address (RFC 5321's 254 octets).
    public static let email = TextLimit("Limits.email", characters: 254, bytes: 254)
    /// A URL.
    public static let url = TextLimit("Limits.url", characters: 2_000, bytes: 2_000)
    /// The longest id a caller may choose (ASCII); longer keys are built from it.
    public static let idLength = 128
    /// The most points one staff adjustment may give or take.
    public static let pointsPerAdjustment = 100_000
}
