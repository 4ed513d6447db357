public import CommunityModel
public import Foundation
import Storage

/// The school as an Open Badges issuer.
public struct IssuerProfile: Hashable, Sendable {
    public var name: String
    /// The school's website.
    public var url: URL
    /// A contact address for questions about the badges.
    public var email: String
    public var description: String?

    public init(name: String, url: URL, email: String, description: String? = nil) {
        self.name = name
        self.url = url
        self.email = email
        self.description = description
    }
}

/// Open Badges 2.0 (1EdTech) documents for hosted verification: the Issuer profile, a
/// BadgeClass per badge and an Assertion per award, as JSON-LD with the spec's required fields.
///
/// Every document has an `id` under the integrator's `baseURL`, where the integrator serves it
/// (hosted verification fetches the assertion from its id):
/// - `<base>/issuer.json`,
/// - `<base>/badges/<badge id>.json`,
/// - `<base>/assertions/<32 hex digits>.json`: a digest of the award id, so the URL names no member.
///
/// The recipient is the member's email, hashed: `sha256$` and the SHA-256 of the email followed
/// by a salt, with the salt in the assertion. The salt is derived from the award id with an
/// HMAC under the integrator's secret: the same assertion every time, unguessable without it.
public struct OpenBadgesPublisher: Sendable {
    public static let context = "https://w3id.org/openbadges/v2"
    public let issuer: IssuerProfile
    public let baseURL: URL
    private let secret: [UInt8]

    public init(issuer: IssuerProfile, baseURL: URL, secret: [UInt8]) throws(RecognitionError) {
        guard secret.count >= 32 else {
            throw .invalidInput(field: "secret", reason: "must be at least 32 bytes, not \(secret.count)")
        }
        var issuer = issuer
        try RecognitionError.checking { () throws(CommunityError) in
            try Validate.url(baseURL, field: "baseURL")
            try Validate.url(issuer.url, field: "issuer url")
            issuer.name = try Validate.name(issuer.name, field: "issuer name")
            issuer.email = try Validate.email(issuer.email)
        }
        self.issuer = issuer
        self.baseURL = baseURL
        self.secret = secret
    }

    // MARK: URLs

    public var issuerURL: URL { baseURL.appending(path: "issuer.json") }

    public func badgeClassURL(_ badge: BadgeID) -> URL { baseURL.appending(path: "badges/\(badge).json") }

    /// Where an award's assertion is published: a 128-bit HMAC of the award id under the
    /// integrator's secret, so that nobody can list assertions from member or award ids (until
    /// issue 26 it was a plain hash of the award id; those URLs change).
    public func assertionURL(_ awardID: AwardID) -> URL {
        let code = HMACSHA256.authenticationCode(for: Array(("assertion\0" + awardID.rawValue).utf8), key: secret)
        return baseURL.appending(path: "assertions/\(SHA256.hex(Array(code.prefix(16)))).json")
    }

    // MARK: Documents

    struct IssuerDocument: Encodable {
        let context = OpenBadgesPublisher.context
        let type = "Issuer"
        var id: String
        var name: String
        var url: String
        var email: String
        var description: String?

        enum CodingKeys: String, CodingKey {
            case context = "@context"
            case type, id, name, url, email, description
        }
    }

    struct CriteriaDocument: Encodable {
        var id: String
        var narrative: String
    }

    struct BadgeClassDocument: Encodable {
        let context = OpenBadgesPublisher.context
        let type = "BadgeClass"
        var id: String
        var name: String
        var description: String
        var image: String
        var criteria: CriteriaDocument
        var issuer: String
        var tags: [String]

        enum CodingKeys: String, CodingKey {
            case context = "@context"
            case type, id, name, description, image, criteria, issuer, tags
        }
    }

    struct IdentityDocument: Encodable {
        var type = "email"
        var hashed = true
        var salt: String
        var identity: String
    }

    struct VerificationDocument: Encodable {
        var type = "hosted"
    }

    struct EvidenceDocument: Encodable {
        var narrative: String
    }

    struct AssertionDocument: Encodable {
        let context = OpenBadgesPublisher.context
        let type = "Assertion"
        var id: String
        /// Nil for an award whose member was erased: revoked, it names no one.
        var recipient: IdentityDocument?
        var badge: String
        var verification: VerificationDocument
        var issuedOn: String
        var evidence: [EvidenceDocument]
        var revoked: Bool?
        var revocationReason: String?

        enum CodingKeys: String, CodingKey {
            case context = "@context"
            case type, id, recipient, badge, verification, issuedOn, evidence, revoked
            case revocationReason
        }
    }

    /// The Issuer profile.
    public func issuerDocument() -> Data {
        encode(
            IssuerDocument(
                id: issuerURL.absoluteString, name: issuer.name, url: issuer.url.absoluteString, email: issuer.email,
                description: issuer.description))
    }

    /// The BadgeClass of a badge: its criteria narrative says what earns it.
    public func badgeClassDocument(_ badge: BadgeDefinition) -> Data {
        let url = badgeClassURL(badge.id)
        return encode(
            BadgeClassDocument(
                id: url.absoluteString, name: badge.name, description: badge.description,
                image: badge.image.absoluteString,
                criteria: CriteriaDocument(
                    id: url.absoluteString + "#criteria", narrative: Self.narrative(badge.criterion)),
                issuer: issuerURL.absoluteString, tags: badge.tier.map { [$0.rawValue] } ?? []))
    }

    /// The Assertion of an award to the member whose email this is. A revoked award is exported
    /// as revoked, with the reason; with no email (its member was erased), it has no recipient.
    public func assertionDocument(_ stored: StoredAward, email: String?) -> Data {
        let award = stored.award
        let salt = self.salt(for: award.id)
        return encode(
            AssertionDocument(
                id: assertionURL(award.id).absoluteString,
                recipient: email.map {
                    IdentityDocument(salt: salt, identity: Self.identityHash(email: $0, salt: salt))
                },
                badge: badgeClassURL(award.badge).absoluteString, verification: VerificationDocument(),
                issuedOn: Self.dateTime(award.awardedAt),
                evidence: [
                    EvidenceDocument(
                        narrative: "Earned by the community's activity log entries "
                            + award.evidence.map(String.init).joined(separator: ", ") + ".")
                ],
                revoked: stored.isRevoked ? true : nil, revocationReason: stored.revocation?.reason))
    }

    /// `sha256$` and the hex SHA-256 of the (lowercased, trimmed) email followed by the salt.
    public static func identityHash(email: String, salt: String) -> String {
        let normalized = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return "sha256$" + SHA256.hex(normalized + salt)
    }

    /// Whether an assertion's hashed identity belongs to `email`.
    public static func identity(_ identity: String, salt: String, matches email: String) -> Bool {
        HMACSHA256.isEqual(Array(identityHash(email: email, salt: salt).utf8), Array(identity.utf8))
    }

    private func salt(for awardID: AwardID) -> String {
        SHA256.hex(
            Array(
                HMACSHA256.authenticationCode(for: Array(("salt\0" + awardID.rawValue).utf8), key: secret).prefix(16)))
    }

    private func encode(_ document: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(document)) ?? Data("{}".utf8)
    }

    static func dateTime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZoneID.utc.timeZone
        return formatter.string(from: date)
    }

    /// What earns a badge, in words.
    static func narrative(_ criterion: BadgeCriterion) -> String {
        switch criterion {
        case .count(let kind, let n, let days):
            "\(n) × \(kind)" + (days.map { " within \($0) days" } ?? "")
        case .streak(let days): "a homework check-in streak of \(days) days"
        case .points(let n): "\(n) points"
        case .roleHeld(let role, let days): "\(role.rawValue) for \(days) days"
        case .eventsHosted(let n): "\(n) chapter events hosted"
        case .chapterMembers(let n): "organizing a chapter that reached \(n) members"
        case .challengePlacement(let place): "a Community Challenge place of \(place) or better"
        case .all(let parts): "all of: " + parts.map(narrative).joined(separator: "; ")
        case .any(let parts): "any of: " + parts.map(narrative).joined(separator: "; ")
        }
    }
}

extension RecognitionService {
    /// The Open Badges Assertion of a stored award, or nil when its member has not consented to
    /// public badge assertions (`Consent.publicBadgeAssertions`). The award of an erased member
    /// is revoked ("erased on request") and its assertion names no recipient. Staff only (it reads the
    /// member's private email to hash it): anyone else is refused before anything is looked up,
    /// so a refusal tells nothing of whether the award exists or its holder consented.
    public func assertion(of awardID: AwardID, publisher: OpenBadgesPublisher, by staffID: MemberID)
        async throws(CommunityError) -> Data?
    {
        try await community.authorize(.staff, by: staffID, to: "export an Open Badges assertion")
        let stored = try await withCommunityErrors {
            try await community.store.fetch(awardID.rawValue, from: Self.awards)
        }
        guard let stored else { throw .notFound(kind: "badge award", id: awardID.rawValue) }
        let holder = try await withCommunityErrors {
            try await community.store.fetch(stored.value.award.member.rawValue, from: Collections.members)
        }
        guard let holder else {
            // Erased: the award was revoked with the member's data, and names no one now.
            return stored.value.isRevoked ? publisher.assertionDocument(stored.value, email: nil) : nil
        }
        let member = holder.value
        guard member.consents(to: .publicBadgeAssertions) else { return nil }
        let contact = try await community.contact(of: member.id, by: staffID)
        return publisher.assertionDocument(stored.value, email: contact.email)
    }
}
