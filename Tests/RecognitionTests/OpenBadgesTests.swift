import CommunityModel
import Foundation
import Storage
import Testing

@testable import Recognition

/// Open Badges 2.0 documents with every required field and the right JSON types, a recipient
/// identity anyone can check from the email and the salt, revocations exported as such, and
/// members who did not consent left out.
@Suite("Open Badges export")
struct OpenBadgesTests {
    static let base = URL(string: "https://school.example/openbadges")!
    static let publisher = try! OpenBadgesPublisher(
        issuer: IssuerProfile(
            name: "Brightpath Academy", url: URL(string: "https://brightpath.example")!,
            email: "badges@brightpath.example"),
        baseURL: base, secret: Array("a secret of at least thirty-two bytes for salts".utf8))

    static func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Whether `key` holds a JSON boolean (not a number) in the raw text.
    static func hasBoolean(_ data: Data, _ key: String, _ value: Bool) -> Bool {
        String(decoding: data, as: UTF8.self).contains("\"\(key)\":\(value)")
    }

    /// A community whose two learners have their badges; Amina consents to public assertions.
    static func fixture() async throws -> (RecognitionServiceTests.Fixture, RecognitionService) {
        let fixture = try await RecognitionServiceTests.Fixture()
        _ = try await fixture.community.updateProfile(of: fixture.learners[0].id, by: fixture.learners[0].id) {
            $0.consents.insert(.publicBadgeAssertions)
        }
        let recognition = try RecognitionService(community: fixture.community, badges: RecognitionServiceTests.badges)
        try await recognition.refresh()
        return (fixture, recognition)
    }

    @Test("the Issuer profile and a BadgeClass carry every required field with its JSON type")
    func issuerAndBadgeClass() throws {
        let issuer = try Self.object(Self.publisher.issuerDocument())
        #expect(issuer["@context"] as? String == "https://w3id.org/openbadges/v2")
        #expect(issuer["type"] as? String == "Issuer")
        #expect(issuer["id"] as? String == "https://school.example/openbadges/issuer.json")
        #expect(issuer["name"] as? String == "Brightpath Academy")
        #expect(issuer["url"] as? String == "https://brightpath.example")
        #expect(issuer["email"] as? String == "badges@brightpath.example")

        let badge = RecognitionServiceTests.badges[1]
        let badgeClass = try Self.object(Self.publisher.badgeClassDocument(badge))
        #expect(badgeClass["@context"] as? String == "https://w3id.org/openbadges/v2")
        #expect(badgeClass["type"] as? String == "BadgeClass")
        #expect(badgeClass["id"] as? String == "https://school.example/openbadges/badges/local.json")
        #expect(badgeClass["name"] as? String == "Local")
        #expect(badgeClass["description"] as? String == "Joined a chapter.")
        #expect(badgeClass["image"] as? String == "https://school.example/badges/image.png")
        #expect(badgeClass["issuer"] as? String == issuer["id"] as? String)
        let criteria = try #require(badgeClass["criteria"] as? [String: Any])
        #expect((criteria["narrative"] as? String)?.contains("joinedChapter") == true)
        #expect(badgeClass["tags"] as? [String] == ["bronze"])
    }

    @Test("an Assertion carries every required field; its hashed identity is checkable from the email and the salt")
    func assertion() async throws {
        let (fixture, recognition) = try await Self.fixture()
        let awardID = AwardID("local|\(fixture.learners[0].id)|1")
        let data = try #require(
            try await recognition.assertion(of: awardID, publisher: Self.publisher, by: fixture.staff.id))
        let assertion = try Self.object(data)
        #expect(assertion["@context"] as? String == "https://w3id.org/openbadges/v2")
        #expect(assertion["type"] as? String == "Assertion")
        let id = try #require(assertion["id"] as? String)
        #expect(id.hasPrefix("https://school.example/openbadges/assertions/") && id.hasSuffix(".json"))
        #expect(!id.contains(fixture.learners[0].id.rawValue))
        #expect(assertion["badge"] as? String == "https://school.example/openbadges/badges/local.json")
        let verification = try #require(assertion["verification"] as? [String: Any])
        #expect(verification["type"] as? String == "hosted")
        let issuedOn = try #require(assertion["issuedOn"] as? String)
        #expect(ISO8601DateFormatter().date(from: issuedOn) != nil)
        #expect(assertion["revoked"] == nil)

        let recipient = try #require(assertion["recipient"] as? [String: Any])
        #expect(recipient["type"] as? String == "email")
        #expect(Self.hasBoolean(data, "hashed", true))
        let salt = try #require(recipient["salt"] as? String)
        let identity = try #require(recipient["identity"] as? String)
        #expect(identity.hasPrefix("sha256$") && identity.count == 7 + 64)
        #expect(!String(decoding: data, as: UTF8.self).contains("amina@example.org"))
        // Anyone holding the email checks it: SHA-256 of the email followed by the salt.
        #expect(identity == "sha256$" + SHA256.hex("amina@example.org" + salt))
        #expect(OpenBadgesPublisher.identity(identity, salt: salt, matches: "Amina@Example.org"))
        #expect(!OpenBadgesPublisher.identity(identity, salt: salt, matches: "baraka@example.org"))

        // The same award gives the same document every time.
        #expect(try await recognition.assertion(of: awardID, publisher: Self.publisher, by: fixture.staff.id) == data)
    }

    @Test("a revoked award is exported as revoked with its reason")
    func revokedAssertion() async throws {
        let (fixture, recognition) = try await Self.fixture()
        let awardID = AwardID("welcome|\(fixture.learners[0].id)|1")
        try await recognition.revoke(awardID, reason: "Duplicate account", by: fixture.staff.id)
        let data = try #require(
            try await recognition.assertion(of: awardID, publisher: Self.publisher, by: fixture.staff.id))
        #expect(Self.hasBoolean(data, "revoked", true))
        #expect(try Self.object(data)["revocationReason"] as? String == "Duplicate account")
    }

    @Test("members who did not consent to public assertions get none; only staff export; bad settings are refused")
    func consentAndAccess() async throws {
        let (fixture, recognition) = try await Self.fixture()
        let baraka = AwardID("local|\(fixture.learners[1].id)|1")
        #expect(try await recognition.assertion(of: baraka, publisher: Self.publisher, by: fixture.staff.id) == nil)
        let amina = AwardID("local|\(fixture.learners[0].id)|1")
        await #expect(throws: CommunityError.self) {
            try await recognition.assertion(of: amina, publisher: Self.publisher, by: fixture.learners[1].id)
        }
        // A non-staff caller learns nothing: an award that exists, one whose holder did not
        // consent, and one that does not exist are refused alike, before anything is looked up.
        var refusals: [String] = []
        for award in [amina, baraka, AwardID("nope|x|1")] {
            do {
                _ = try await recognition.assertion(of: award, publisher: Self.publisher, by: fixture.learners[1].id)
            } catch {
                refusals.append("\(error)")
            }
        }
        #expect(refusals.count == 3 && Set(refusals).count == 1, "\(refusals)")
        await #expect(throws: CommunityError.self) {
            try await recognition.assertion(of: "nope|x|1", publisher: Self.publisher, by: fixture.staff.id)
        }
        let issuer = Self.publisher.issuer
        #expect(throws: RecognitionError.self) {
            try OpenBadgesPublisher(issuer: issuer, baseURL: Self.base, secret: [1])
        }
        #expect(throws: RecognitionError.self) {
            try OpenBadgesPublisher(
                issuer: issuer, baseURL: URL(string: "file:///tmp")!, secret: Array(repeating: 1, count: 32))
        }
    }
}
