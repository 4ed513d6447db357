import CommunityModel
import CommunitySimulation
import Foundation
import Guidelines
import Testing

@testable import Recognition

/// Callouts that thank or celebrate members pass the guidelines' content checker for their
/// channel: attribution, the running campaign's hashtag, the brand, the length.
@Suite("Social callouts")
struct SocialCalloutTests {
    static let writer = try! CalloutWriter(guidelines: SampleGuidelines.document(version: try! GuidelineVersion("1.0")))
    static let inCampaign = try! LocalDate(year: 2026, month: 11, day: 10)
    static let afterCampaign = try! LocalDate(year: 2026, month: 12, day: 10)

    /// Issue 26: the demo drafted a callout for a badge holder without checking consent; the
    /// writer now checks it when given the member.
    @Test("a callout about a member who did not agree to be featured is not drafted")
    func consent() {
        let profile = Profile(displayName: "Amina", country: try! CountryCode("KE"), timeZone: .utc)
        var member = Member(id: "amina", profile: profile, roles: [.learner], joinedAt: Date(timeIntervalSince1970: 0))
        let occasion = CalloutOccasion.thanks(for: "hosting the meetup")
        #expect(
            Self.writer.draft(occasion, about: member, channel: .socialPost(network: "X"), on: Self.inCampaign) == nil)
        member.profile.consents = [.spotlight]
        let callout = Self.writer.draft(
            occasion, about: member, channel: .socialPost(network: "X"), on: Self.inCampaign)
        #expect(callout?.text.hasPrefix("Thank you, Amina, for hosting the meetup!") == true)
    }

    @Test("a LinkedIn thank-you during the campaign has the hashtag and the attribution, and passes")
    func linkedInDuringCampaign() {
        let callout = Self.writer.draft(
            .thanks(for: "hosting the Nairobi negotiation meetup"), memberName: "Amina",
            channel: .socialPost(network: "LinkedIn"), on: Self.inCampaign)
        #expect(callout.check.passes, "\(callout.check.findings)")
        #expect(callout.text.hasPrefix("Thank you, Amina, for hosting the Nairobi negotiation meetup!"))
        #expect(callout.text.contains("#LearnTogether"))
        #expect(callout.text.contains(SampleGuidelines.attribution))
    }

    @Test("outside the campaign no hashtag; a misspelt brand in the occasion is corrected")
    func afterCampaignAndBrand() {
        let callout = Self.writer.draft(
            .celebration(of: "finishing the brightpath Finance Basics programme"), memberName: "Chen",
            channel: .socialPost(network: "X"), on: Self.afterCampaign)
        #expect(callout.check.passes, "\(callout.check.findings)")
        #expect(!callout.text.contains("#LearnTogether"))
        #expect(callout.text.contains("Brightpath Finance Basics"))
    }

    @Test("an occasion too long for the channel (X: 280 characters) is shortened, never the name or the hashtag")
    func tooLong() {
        let long = String(repeating: "answering questions late into the night, ", count: 12)
        let callout = Self.writer.draft(
            .thanks(for: long), memberName: "Oluwaseun 🌍", channel: .socialPost(network: "X"), on: Self.inCampaign)
        #expect(callout.check.passes, "\(callout.check.findings)")
        #expect(callout.text.count <= 280)
        #expect(callout.text.contains("Oluwaseun 🌍") && callout.text.contains("…"))
        #expect(callout.text.hasSuffix("#LearnTogether"))
    }
}
