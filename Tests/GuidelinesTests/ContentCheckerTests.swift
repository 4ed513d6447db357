import CommunityModel
import CommunitySimulation
import Storage
import Testing

@testable import Guidelines

// The scenario: Brightpath's guidelines (CommunitySimulation.SampleGuidelines) ask every
// event description and LinkedIn post to end with "A Brightpath Academy community", spell the
// brand "Brightpath", carry #LearnTogether from 1 to 15 November 2026 (and never outside
// it), link only to brightpath.example or linkedin.example, claim no logo without
// permission, and avoid phrases such as "guaranteed job". An organizer drafts an event
// description; the checker points at each problem, and applying its fixes gives a draft
// that passes.

@Suite("Content checker")
struct ContentCheckerTests {
    let checker = try! ContentChecker(document: SampleGuidelines.document(version: try! GuidelineVersion("1.0")))
    let duringCampaign = try! LocalDate(year: 2026, month: 11, day: 10)
    let afterCampaign = try! LocalDate(year: 2026, month: 12, day: 1)
    let attribution = SampleGuidelines.attribution

    func rules(_ report: ContentCheck) -> [ContentRule] { report.findings.map(\.rule) }

    @Test("a draft event description: each problem found, and the fixed text passes")
    func scenario() {
        let draft =
            "Join brightpath learners for a world class budgeting night! Details: https://brightpath.example/events"
        let report = checker.check(draft, for: .eventDescription, on: duringCampaign)
        #expect(rules(report) == [.brandName, .bannedPhrase, .attributionMissing])
        #expect(!report.passes)
        let brand = report.findings[0]
        #expect(draft[brand.range] == "brightpath")
        #expect(brand.replacement == "Brightpath")

        let (fixed, after) = checker.fixing(draft, for: .eventDescription, on: duringCampaign)
        #expect(
            fixed
                == "Join Brightpath learners for a practical budgeting night! Details: https://brightpath.example/events"
                + "\n\n\(attribution)")
        #expect(after.findings.isEmpty && after.passes)
    }

    @Test("attribution: present passes; wrongly written is replaced; missing is added where required only")
    func attributionRule() {
        let good = checker.check("Meet us.\n\n\(attribution)", for: .eventDescription, on: afterCampaign)
        #expect(good.findings.isEmpty)
        let wrong = "Meet us. a brightpath academy Community"
        let report = checker.check(wrong, for: .eventDescription, on: afterCampaign)
        #expect(rules(report) == [.attributionWrong])
        #expect(wrong[report.findings[0].range] == "a brightpath academy Community")
        #expect(checker.fixing(wrong, for: .eventDescription, on: afterCampaign).text == "Meet us. \(attribution)")
        #expect(checker.check("Meet us.", for: .forumPost, on: afterCampaign).findings.isEmpty)
        #expect(rules(checker.check("Meet us.", for: .eventDescription, on: afterCampaign)) == [.attributionMissing])
    }

    @Test("brand names: wrong case, wrong spacing, a listed misspelling and a one-letter slip, each fixed")
    func brandNames() {
        for written in [
            "brightpath", "BRIGHTPATH", "Bright path", "Bright-Path", "Brite path", "Brigthpath", "Brightpth",
        ] {
            let draft = "I love \(written) courses."
            let report = checker.check(draft, for: .forumPost, on: afterCampaign)
            #expect(rules(report) == [.brandName], "\(written)")
            #expect(report.findings.first.map { String(draft[$0.range]) } == written)
            #expect(checker.fixing(draft, for: .forumPost, on: afterCampaign).text == "I love Brightpath courses.")
        }
        #expect(
            checker.check("I love Brightpath and Brightpath Academy.", for: .forumPost, on: afterCampaign).findings
                .isEmpty)
        // Words that merely contain the name, or are far from it, are left alone.
        #expect(checker.check("Bright paths and brightness.", for: .forumPost, on: afterCampaign).findings.isEmpty)
    }

    @Test("campaign hashtags: missing during the campaign on social posts, refused outside it")
    func hashtags() {
        let linkedIn = ContentChannel.socialPost(network: "X")
        let missing = checker.check("Study night tonight!", for: linkedIn, on: duringCampaign)
        #expect(rules(missing) == [.campaignHashtagMissing])
        #expect(
            checker.fixing("Study night tonight!", for: linkedIn, on: duringCampaign).text
                == "Study night tonight! #LearnTogether")
        #expect(checker.check("Study night #learntogether", for: linkedIn, on: duringCampaign).findings.isEmpty)
        // Forum posts need no hashtag.
        #expect(checker.check("Study night tonight!", for: .forumPost, on: duringCampaign).findings.isEmpty)

        let late = "Study night tonight #LearnTogether with us"
        let outside = checker.check(late, for: linkedIn, on: afterCampaign)
        #expect(rules(outside) == [.campaignHashtagOutsideCampaign])
        #expect(late[outside.findings[0].range] == " #LearnTogether")
        #expect(checker.fixing(late, for: linkedIn, on: afterCampaign).text == "Study night tonight with us")
    }

    @Test("a logo claim without permission gets advice, not a fix; with permission it passes")
    func logo() {
        let draft = "Our slides carry the Brightpath logo."
        let report = checker.check(draft, for: .forumPost, on: afterCampaign)
        #expect(rules(report) == [.logoWithoutPermission])
        #expect(report.findings[0].replacement == nil)
        #expect(report.findings[0].advice?.contains("written permission") == true)
        #expect(draft[report.findings[0].range] == "logo")
        let permitted = checker.check(
            draft, for: .forumPost, on: afterCampaign, context: ContentContext(hasLogoPermission: true))
        #expect(permitted.findings.isEmpty)
        // What cannot be fixed by a machine stays after the fixes, and nothing else does.
        #expect(rules(checker.fixing(draft, for: .forumPost, on: afterCampaign).report) == [.logoWithoutPermission])
    }

    @Test("banned phrases: with a replacement they are fixed, without one they get advice; across hyphens too")
    func bannedPhrases() {
        let draft = "A world-class course, a Guaranteed Job and free money."
        let report = checker.check(draft, for: .forumPost, on: afterCampaign)
        #expect(report.findings.map { String(draft[$0.range]) } == ["world-class", "Guaranteed Job", "free money"])
        #expect(report.findings.map(\.replacement) == ["practical", "career support", nil])
        let fixed = checker.fixing(draft, for: .forumPost, on: afterCampaign)
        #expect(fixed.text == "A practical course, a career support and free money.")
        #expect(rules(fixed.report) == [.bannedPhrase])
    }

    @Test("links are parsed: subdomains of allowed domains pass, look-alike hosts and user-info tricks do not")
    func links() {
        let allowed = "See https://brightpath.example/a, https://events.brightpath.example and www.linkedin.example/x."
        #expect(checker.check(allowed, for: .forumPost, on: afterCampaign).findings.isEmpty)
        let tricks = [
            "https://brightpath.example.evil.net/login", "https://brightpath.example@evil.net/",
            "http://evil.net:8080/brightpath.example", "HTTPS://notbrightpath.example",
        ]
        for link in tricks {
            let draft = "Click \(link) now"
            let report = checker.check(draft, for: .forumPost, on: afterCampaign)
            #expect(rules(report) == [.linkOutsideAllowedDomains], "\(link)")
            #expect(report.findings.first.map { String(draft[$0.range]) } == link)
        }
    }

    @Test("length counts characters as people see them, or UTF-16 units where the channel says so")
    func length() {
        let x = ContentChannel.socialPost(network: "X")
        let emoji = String(repeating: "👩🏽‍💻", count: 280)
        #expect(rules(checker.check(emoji + " #LearnTogether", for: x, on: afterCampaign)).contains(.tooLong))
        #expect(checker.check(emoji, for: x, on: afterCampaign).findings.isEmpty)
        let over = emoji + "é"
        let report = checker.check(over, for: x, on: afterCampaign)
        #expect(rules(report) == [.tooLong])
        #expect(over[report.findings[0].range] == "é")
        #expect(report.findings[0].advice == "Shorten it by 1 characters.")

        var document = checker.document
        document.channelLimits = [ChannelLimit(channel: x, maximumLength: 10, unit: .utf16)]
        let utf16 = try! ContentChecker(document: document)
        let text = "abcdefghi👍"  // 9 + 2 UTF-16 units: the emoji does not fit whole
        let cut = utf16.check(text, for: x, on: afterCampaign)
        #expect(rules(cut) == [.tooLong])
        #expect(text[cut.findings[0].range] == "👍")
        #expect(cut.findings[0].utf16Range == 9..<11)
    }

    @Test("ranges stay exact on non-ASCII text: combining marks, emoji and right-to-left scripts")
    func unicodeRanges() {
        let draft = "Cafe\u{301} 👩🏽‍💻 مرحبا brightpath שלום"
        let report = checker.check(draft, for: .forumPost, on: afterCampaign)
        #expect(rules(report) == [.brandName])
        let finding = report.findings[0]
        #expect(draft[finding.range] == "brightpath")
        let utf16 = Array(draft.utf16)
        #expect(String(decoding: utf16[finding.utf16Range], as: UTF16.self) == "brightpath")
        #expect(checker.fixing(draft, for: .forumPost, on: afterCampaign).text == "Cafe\u{301} 👩🏽‍💻 مرحبا Brightpath שלום")
        // A phrase never matches inside a character: "e" + combining accent is not "e".
        #expect(ContentText("Cafe\u{301}").words.map(\.folded) == ["cafe\u{301}"])
    }

    @Test("applying every fix leaves no finding that had a fix, whatever the draft")
    func fixesReallyFix() {
        let drafts = [
            "brightpath brightpath world class guaranteed job #LearnTogether",
            "a brightpath academy community brightpath",
            "",
            "Bright Path, Brite path and Brigthpath: world class!",
        ]
        for draft in drafts {
            for channel in [ContentChannel.forumPost, .eventDescription, .socialPost(network: "LinkedIn")] {
                for day in [duringCampaign, afterCampaign] {
                    let fixed = checker.fixing(draft, for: channel, on: day)
                    let unfixed = fixed.report.findings.filter(\.hasFix)
                    #expect(unfixed.isEmpty, "\(draft) \(channel) \(day)")
                }
            }
        }
    }

    @Test("random drafts of tricky pieces: no crash, consistent ranges, and fixes that re-check clean")
    func randomDrafts() {
        let pieces = [
            "brightpath", "Bright", "path", "-", " ", "\n", "world", "class", "#LearnTogether", "#", "logo", "https://",
            "http://evil.net", "brightpath.example", "@", "www.", "e\u{301}", "👩🏽‍💻", "مرحبا", "Brite", "Brigthpath",
            "A Brightpath Academy community", "a brightpath academy", ".", ":", "guaranteed", "job",
        ]
        var random = SeededGenerator(seed: 21)
        let channels = [ContentChannel.forumPost, .eventDescription, .socialPost(network: "X")]
        for round in 0..<300 {
            let draft = (0..<Int(random.next() % 14)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
                .joined(separator: random.next() % 3 == 0 ? "" : " ")
            let channel = channels[round % channels.count]
            let day = round % 2 == 0 ? duringCampaign : afterCampaign
            for finding in checker.check(draft, for: channel, on: day).findings {
                let utf16 = Array(draft.utf16)[finding.utf16Range]
                #expect(String(decoding: utf16, as: UTF16.self) == String(draft[finding.range]), "\(draft)")
            }
            let unfixed = checker.fixing(draft, for: channel, on: day).report.findings.filter(\.hasFix)
            #expect(unfixed.isEmpty, "\(draft)")
        }
    }

    @Test("a document a checker cannot work with is refused with the reason")
    func invalidDocuments() throws {
        var document = SampleGuidelines.document(version: try! GuidelineVersion("1.0"))
        document.campaigns[0].hashtag = "Learn Together"
        #expect(throws: CommunityError.self) { try ContentChecker(document: document) }
        document = SampleGuidelines.document(version: try! GuidelineVersion("1.0"))
        document.allowedLinkDomains = ["https://brightpath.example"]
        #expect(throws: CommunityError.self) { try ContentChecker(document: document) }
        #expect(throws: CommunityError.self) { try GuidelineVersion("2.x") }
        #expect(throws: CommunityError.self) { try GuidelineVersion("0.3") }
        #expect(try GuidelineVersion("2") == (try GuidelineVersion(major: 2, minor: 0)))
    }
}
