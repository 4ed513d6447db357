import Foundation
import Storage

/// Why a community command was refused or failed. Every case says what to do about it.
///
/// Every case but one means the command changed nothing. ``outcomeUnknown(_:)`` is the
/// exception: the store lost the answer to a commit and the service's own retries (with the
/// command's idempotency key) could not find out; the command is applied at most once, and
/// repeating it with the same key returns its outcome.
public enum CommunityError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A field's value is not acceptable (empty, too long, holds NUL, out of range).
    case invalidInput(field: String, reason: String)
    case unknownCountry(String)
    case unknownTimeZone(String)
    /// No such thing: a member, programme, chapter, board, thread, post or event.
    case notFound(kind: String, id: String)
    /// The thing already exists (an id or an email already taken, a reaction already given).
    case alreadyExists(kind: String, id: String)
    /// The access policy refuses the action on the board.
    case accessDenied(member: MemberID, board: BoardID, needs: String)
    /// The authority model refuses the action: `rule` names the rule (a stable value to switch
    /// on), `reason` says it in words.
    case notPermitted(member: MemberID, action: String, rule: AuthorityRule, reason: String)
    /// The command does not fit the current state (e.g. completing twice, registering twice).
    case invalidState(String)
    /// A leadership action was refused until the member has acknowledged the named guidelines.
    case acknowledgementRequired(member: MemberID, action: String, version: String)
    /// The store kept reporting conflicting concurrent changes; nothing was applied; try again.
    case contention(String)
    /// The store failed before anything was applied (a disk or database server failure, a
    /// damaged record); see the `StorageError`.
    case storage(StorageError)
    /// The store lost the answer to a commit (a connection dropped while the database
    /// committed), and retrying with the command's idempotency key did not settle it: the
    /// command was applied once or not at all. Repeat it with the same key: a command that went
    /// in returns its outcome, one that did not is applied then.
    case outcomeUnknown(String)

    public var description: String {
        switch self {
        case .invalidInput(let field, let reason): "\(field): \(reason)"
        case .unknownCountry(let code):
            "Unknown country \(code.debugDescription): use an ISO 3166-1 alpha-2 code such as NL, BR or KE."
        case .unknownTimeZone(let identifier):
            "Unknown time zone \(identifier.debugDescription): use an IANA identifier such as Europe/Amsterdam "
                + "or America/Sao_Paulo; abbreviations and offsets (EST, GMT+5) do not follow daylight saving."
        case .notFound(let kind, let id): "No \(kind) with id \(id.debugDescription) exists."
        case .alreadyExists(let kind, let id): "A \(kind) \(id.debugDescription) already exists."
        case .accessDenied(let member, let board, let needs):
            "Member \(member) may not \(needs) on board \(board): the board's access rules do not include them."
        case .notPermitted(let member, let action, _, let reason): "Member \(member) may not \(action): \(reason)."
        case .invalidState(let message): message
        case .acknowledgementRequired(let member, let action, let version):
            "Member \(member) must acknowledge the community guidelines version \(version) before they \(action)."
        case .contention(let message): "The change met concurrent changes too often: \(message). Try again."
        case .storage(let error): error.description
        case .outcomeUnknown(let message):
            "The outcome is unknown: \(message). The command was applied once or not at all; repeat it with the "
                + "same idempotency key to apply it at most once and get its outcome."
        }
    }
}

/// Checks of raw input shared by the commands.
package enum Validate {
    /// A network shared to, as the log keeps it: lowercased letters, digits, `.` and `-`
    /// (`linkedin`, `x.com`). The log is never erased, so it holds a name, never free text.
    package static func network(_ value: String) throws(CommunityError) -> String {
        let network = try name(value, field: "network", limit: Limits.label).lowercased()
        guard
            network.unicodeScalars.allSatisfy({ "abcdefghijklmnopqrstuvwxyz0123456789.-".unicodeScalars.contains($0) })
        else {
            throw .invalidInput(
                field: "network",
                reason:
                    "name the network in letters, digits, '.' and '-' (linkedin, x.com), not \(value.debugDescription)")
        }
        return network
    }

    /// A spotlight shared, as the log keeps it: its month, `yyyy-MM`.
    package static func spotlightMonth(_ value: String) throws(CommunityError) {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let number = Int(parts[1]), (1...12).contains(number)
        else {
            throw .invalidInput(
                field: "spotlight", reason: "a spotlight is named by its month, yyyy-MM, not \(value.debugDescription)")
        }
    }

    /// A one-line name or title: trimmed, not empty, within `limit`, written
    /// as people write names in every script. Refused: control characters, line and paragraph
    /// separators, bidirectional embeddings, overrides and isolates, and every other invisible
    /// format character (left-to-right and right-to-left marks, the soft hyphen), except the
    /// joiners where scripts and emoji need them (`UnicodeNames.refusedScalar(in:)`).
    package static func name(
        _ value: String, field: String, limit: TextLimit = Limits.name
    ) throws(CommunityError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidInput(field: field, reason: "must not be empty") }
        try text(trimmed, field: field, limit: limit)
        if let bad = UnicodeNames.refusedScalar(in: trimmed) {
            throw .invalidInput(
                field: field,
                reason:
                    "must be one line without control, direction or invisible characters (found U+\(String(bad.value, radix: 16, uppercase: true)))"
            )
        }
        return trimmed
    }

    /// Free text: no NUL, within `limit` (its characters and its UTF-8 bytes).
    package static func text(_ value: String, field: String, limit: TextLimit = Limits.freeText) throws(CommunityError)
    {
        if value.unicodeScalars.contains("\u{0}") {
            throw .invalidInput(field: field, reason: "must not contain the NUL character (U+0000)")
        }
        // Bytes first: counting the characters of a huge text would be the slow part.
        let bytes = value.utf8.count
        if bytes > limit.bytes {
            throw .invalidInput(field: field, reason: "may be \(limit), this has \(bytes) bytes")
        }
        if limit.characters < limit.bytes, value.count > limit.characters {
            throw .invalidInput(field: field, reason: "may be \(limit), this has \(value.count) characters")
        }
    }

    /// A caller-chosen id: 1 to 128 ASCII letters, digits, `.`, `_` or `-`.
    package static func id(_ value: String, field: String) throws(CommunityError) {
        guard !value.isEmpty, value.utf8.count <= Limits.idLength,
            value.utf8.allSatisfy({ byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == 0x2E || byte == 0x5F || byte == 0x2D
            })
        else {
            throw .invalidInput(
                field: field,
                reason:
                    "\(value.prefix(40).debugDescription) is not an id: use 1 to \(Limits.idLength) ASCII letters, digits, '.', '_' or '-' (Limits.idLength)"
            )
        }
    }

    /// A date a command stores: finite, in the years ``LocalDate/supportedYears``. (Query ranges
    /// are clamped instead, by `Timestamp`.)
    @discardableResult
    package static func date(_ date: Date, field: String) throws(CommunityError) -> Date {
        let milliseconds = date.timeIntervalSince1970 * 1_000
        guard milliseconds.isFinite, Double(LocalDate.supportedMilliseconds.lowerBound) <= milliseconds,
            milliseconds <= Double(LocalDate.supportedMilliseconds.upperBound)
        else {
            throw .invalidInput(
                field: field,
                reason:
                    "must be a date in the years \(LocalDate.supportedYears.lowerBound) to \(LocalDate.supportedYears.upperBound), not \(date.timeIntervalSince1970) seconds after 1970"
            )
        }
        return date
    }

    /// A page size.
    package static func limit(_ limit: Int) throws(CommunityError) {
        guard (1...StorageLimits.maximumPageSize).contains(limit) else {
            throw .invalidInput(field: "limit", reason: "must be 1 to \(StorageLimits.maximumPageSize), not \(limit)")
        }
    }

    /// Free text a person wrote (a message, a body, an answer): trimmed, not empty, no NUL, at
    /// most `limit`. `empty` says what to write when nothing was.
    package static func message(
        _ value: String, field: String, limit: TextLimit = Limits.freeText, empty: String = "must not be empty"
    ) throws(CommunityError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidInput(field: field, reason: empty) }
        try text(trimmed, field: field, limit: limit)
        return trimmed
    }

    /// A link people will open: `http` or `https` only (never `javascript:`, `data:` or
    /// `file:`), with a host, one line, within ``Limits/url``.
    package static func url(_ value: String, field: String) throws(CommunityError) -> URL {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidInput(field: field, reason: "must not be empty") }
        try text(trimmed, field: field, limit: Limits.url)
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }),
            let url = URL(string: trimmed)
        else {
            throw .invalidInput(field: field, reason: "\(trimmed.prefix(60).debugDescription) is not a link")
        }
        return try self.url(url, field: field)
    }

    /// A link given as a `URL`: the same rules.
    @discardableResult
    package static func url(_ url: URL, field: String) throws(CommunityError) -> URL {
        guard let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
            throw .invalidInput(
                field: field, reason: "must be an http or https link, not \(url.scheme ?? "one without a scheme")")
        }
        guard let host = url.host, !host.isEmpty else {
            throw .invalidInput(field: field, reason: "\(url.absoluteString.prefix(60).debugDescription) has no host")
        }
        try text(url.absoluteString, field: field, limit: Limits.url)
        return url
    }

    package static func email(_ value: String) throws(CommunityError) -> String {
        let email = value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        try text(email, field: "email", limit: Limits.email)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), !email.contains(where: \.isWhitespace)
        else {
            throw .invalidInput(field: "email", reason: "\(value.debugDescription) is not an email address")
        }
        return email
    }

    package static func languageTags(_ tags: [String]) throws(CommunityError) -> [String] {
        var result: [String] = []
        for tag in tags {
            let valid =
                (2...35).contains(tag.count)
                && tag.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }
                && tag.first?.isLetter == true
            guard valid else {
                throw .invalidInput(
                    field: "languages", reason: "\(tag.debugDescription) is not a BCP 47 tag like en or pt-BR")
            }
            if !result.contains(tag) { result.append(tag) }
        }
        return result
    }
}

/// Which invisible characters a name may hold: Unicode's rules for the joiners, and nothing else.
package enum UnicodeNames {
    static let zeroWidthNonJoiner: Unicode.Scalar = "\u{200C}"
    static let zeroWidthJoiner: Unicode.Scalar = "\u{200D}"
    static let cancelTag: Unicode.Scalar = "\u{E007F}"
    static let tags: ClosedRange<UInt32> = 0xE0020...0xE007F

    /// The first scalar a name may not hold, or nil.
    ///
    /// - ZWNJ and ZWJ are allowed between two letters or marks (Persian `علی‌زاده`, Indic
    ///   conjuncts), ZWJ also after a virama (`क्‍ष`) and between emoji (`👩🏽‍💻`).
    /// - Tag characters are allowed in an emoji tag sequence: after an emoji or another tag,
    ///   ended by the cancel tag (the flags of Scotland or Wales).
    /// - Every other format character is refused (LRM, RLM, ALM, the soft hyphen, bidi
    ///   embeddings, overrides and isolates, the byte order mark), as are controls and line or
    ///   paragraph separators.
    package static func refusedScalar(in text: String) -> Unicode.Scalar? {
        let scalars = Array(text.unicodeScalars)
        func isLetterOrMark(_ index: Int) -> Bool {
            guard scalars.indices.contains(index) else { return false }
            switch scalars[index].properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .nonspacingMark, .spacingMark, .enclosingMark:
                return true
            default: return false
            }
        }
        func isEmojiPart(_ index: Int) -> Bool {
            guard scalars.indices.contains(index) else { return false }
            // Digits, `#` and `*` have the Emoji property too, but only as keycap bases.
            let properties = scalars[index].properties
            return (properties.isEmoji && scalars[index].value > 0x7F) || properties.isEmojiModifier
                || properties.isVariationSelector
        }
        func isTag(_ index: Int) -> Bool { scalars.indices.contains(index) && tags.contains(scalars[index].value) }
        for (index, scalar) in scalars.enumerated() {
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator:
                return scalar
            case .format:
                let between = isLetterOrMark(index - 1) && isLetterOrMark(index + 1)
                if scalar == zeroWidthNonJoiner, between { continue }
                if scalar == zeroWidthJoiner {
                    // After a virama it asks for a half form or a chillu, also at a word's end.
                    let afterVirama = index > 0 && scalars[index - 1].properties.canonicalCombiningClass == .virama
                    let inEmoji = isEmojiPart(index - 1) && isEmojiPart(index + 1)
                    if between || afterVirama || inEmoji { continue }
                }
                if tags.contains(scalar.value), isEmojiPart(index - 1) || isTag(index - 1) {
                    // The sequence must end with the cancel tag.
                    if scalar == cancelTag { continue }
                    if let end = scalars[index...].firstIndex(where: { !tags.contains($0.value) || $0 == cancelTag }),
                        scalars[end] == cancelTag
                    {
                        continue
                    }
                }
                return scalar
            default:
                continue
            }
        }
        return nil
    }
}
