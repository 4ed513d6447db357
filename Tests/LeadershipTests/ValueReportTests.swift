import CommunityModel
import CommunityTestSupport
import Foundation
import Leadership
import Storage
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The value report for leadership: figures on a hand-built community whose rates are known,
/// talking points that carry their numbers, and outputs that escape what members wrote.
@Suite("Value report")
struct ValueReportTests {
    /// January and February 2026.
    static let period = DateInterval(
        start: Date(timeIntervalSince1970: 1_767_225_600), end: Date(timeIntervalSince1970: 1_772_323_200))

    /// Sixteen learners enrol in Finance Basics in January. Eight take part in the community
    /// (they join the Nairobi chapter) and six of those complete; of the eight who do not take
    /// part, two complete. (`size` makes the cohort smaller: half engaged, the same rates.)
    static func community(size: Int = 16) async throws -> (TestCommunity, Member) {
        let community = TestCommunity()
        let service = community.service
        let staff = try await community.staff()
        let chapter = try await community.city("nbo", "Nairobi", country: "KE", timeZone: "Africa/Nairobi", by: staff)
        try await service.createProgramme(id: "finance", title: "Finance Basics", by: staff.id)
        for index in 0..<size {
            let learner = try await community.learner("Learner \(index)", country: index % 2 == 0 ? "KE" : "NG")
            try await service.enrol(learner.id, in: "finance", by: learner.id)
            let engaged = index < size / 2
            if engaged { try await service.join(chapter.id, member: learner.id, by: learner.id) }
            if (engaged && index < size * 3 / 8) || (!engaged && index < size / 2 + size / 8) {
                try await service.recordCompletion(
                    of: learner.id, in: "finance", certificateDate: try LocalDate(year: 2026, month: 1, day: 1),
                    by: staff.id)
            }
        }
        return (community, staff)
    }

    @Test("scenario: completion lift on a known cohort: 75% engaged against 25% comparable, with sample sizes")
    func lift() async throws {
        let (community, staff) = try await Self.community()
        let report = try await LeadershipService(community: community.service).valueReport(
            for: Self.period, by: staff.id)
        #expect(report.members == 17 && report.newMembers == 17)  // sixteen learners and staff
        #expect(report.countries == 3)
        let completion = try #require(report.lifts.first { $0.measure == "completion" })
        #expect(completion.engagedRate == 0.75 && completion.comparableRate == 0.25)
        #expect(completion.engaged == 8 && completion.comparable == 8)
        let point = try #require(report.talkingPoints.first { $0.text.contains("completion rate") })
        #expect(point.text.contains("75% against 25%") && point.text.contains("association, not proof"))
        // One prospect (the staff member) is fewer than five: the breakdown by stage is left out
        // whole, since the members less the other stages would give that one away.
        #expect(report.stages.isEmpty)
    }

    /// Issue 26: in a small chapter a rate names its members (of two engaged, "50% completed"
    /// tells each what the other did). Rates and scores of fewer than five members are left out.
    @Test("a rate of fewer than five members is not shown")
    func smallGroupsHidden() async throws {
        let (community, staff) = try await Self.community(size: 8)
        let report = try await LeadershipService(community: community.service).valueReport(
            for: Self.period, by: staff.id)
        #expect(report.lifts.isEmpty && report.stages.isEmpty)
        #expect(!report.talkingPoints.contains { $0.text.contains("completion rate") })
        #expect(!report.csv().contains("completion rate"))
    }

    @Test("every number in a talking point is one of its figures, and every point has one")
    func talkingPointsCarryTheirNumbers() async throws {
        let (community, staff) = try await Self.community()
        let report = try await LeadershipService(community: community.service).valueReport(
            for: Self.period, by: staff.id)
        #expect(!report.talkingPoints.isEmpty)
        let number = /[0-9][0-9,.]*%?/
        for point in report.talkingPoints {
            let numbers = point.text.matches(of: number).map {
                String($0.output).trimmingCharacters(in: CharacterSet(charactersIn: ".,"))
            }
            #expect(!numbers.isEmpty, "\(point.text)")
            for found in numbers { #expect(point.figures.contains(found), "\(found) in “\(point.text)”") }
        }
        let csv = report.csv()
        #expect(csv.hasPrefix("section,measure,value\r\n"))
        #expect(csv.contains("lift,\"completion rate, engaged\",75%\r\n"))
    }

    @Test("HTML escapes a hostile title, loads nothing from outside, and its SVG charts parse as XML")
    func html() async throws {
        let (community, staff) = try await Self.community()
        let report = try await LeadershipService(community: community.service).valueReport(
            for: Self.period, title: "Value <script>alert('x')</script> & \"more\"", by: staff.id)
        let html = report.html()
        #expect(!html.contains("<script"))
        #expect(html.contains("Value &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;"))
        #expect(!html.contains("src=") && !html.contains("href=") && !html.contains("<link"))
        var svgs: [String] = []
        var rest = Substring(html)
        while let start = rest.range(of: "<svg"),
            let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex)
        {
            svgs.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        #expect(svgs.count == 3)
        for svg in svgs {
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        }
        #expect(report.markdown().contains("Value &lt;script&gt;"))
    }

    @Test("an empty scope says so; a backwards period, a non-staff reader and an unknown chapter are refused")
    func emptyAndBadInput() async throws {
        let (community, staff) = try await Self.community()
        let service = community.service
        let lagos = try await community.city("lagos", "Lagos", country: "NG", timeZone: "Africa/Lagos", by: staff)
        let empty = try await LeadershipService(community: service).valueReport(
            for: Self.period, chapter: lagos.id, by: staff.id)
        #expect(empty.isEmpty && empty.talkingPoints.isEmpty)
        #expect(empty.markdown().contains("nothing to report") && empty.html().contains("nothing to report"))
        await #expect(throws: CommunityError.self) {
            try await LeadershipService(community: service).valueReport(
                for: DateInterval(start: Self.period.end, duration: 0), by: staff.id)
        }
        let learner = try await community.learner("Curious")
        await #expect(throws: CommunityError.self) {
            try await LeadershipService(community: service).valueReport(for: Self.period, by: learner.id)
        }
        await #expect(throws: CommunityError.self) {
            try await LeadershipService(community: service).valueReport(
                for: Self.period, chapter: "nowhere", by: staff.id)
        }
    }
}
