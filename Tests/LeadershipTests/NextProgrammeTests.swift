import CommunityModel
import CommunityTestSupport
import Foundation
import Leadership
import Storage
import Testing

/// The next programme: what alumni of the same programme in the member's chapter took next, and
/// what the chapter's organizers recommend; never a programme already taken; each suggestion
/// with its reason and figure. Repeat enrolment is measured.
@Suite("The next programme")
struct NextProgrammeTests {
    @Test("scenario: 3 of 5 Nairobi alumni of Finance Basics took Negotiation next; organizers recommend Leadership")
    func suggestions() async throws {
        let community = TestCommunity()
        let service = community.service
        let staff = try await community.staff()
        let nairobi = try await community.city("nbo", "Nairobi", country: "KE", timeZone: "Africa/Nairobi", by: staff)
        let lagos = try await community.city("lagos", "Lagos", country: "NG", timeZone: "Africa/Lagos", by: staff)
        for (id, title) in [
            ("finance", "Finance Basics"), ("negotiation", "Negotiation"), ("data", "Data"),
            ("leadership", "Leadership"),
        ] {
            try await service.createProgramme(id: ProgrammeID(id), title: title, by: staff.id)
        }
        let day = try LocalDate(year: 2026, month: 1, day: 1)
        /// A member of `chapter` who completed Finance Basics, then enrolled in `next`.
        func alumnus(_ name: String, in chapter: ChapterID, then next: ProgrammeID?) async throws -> Member {
            let member = try await community.learner(name)
            try await service.join(chapter, member: member.id, by: member.id)
            try await service.enrol(member.id, in: "finance", by: member.id)
            try await service.recordCompletion(of: member.id, in: "finance", certificateDate: day, by: staff.id)
            if let next { try await service.enrol(member.id, in: next, by: member.id) }
            return member
        }
        for (index, next) in (["negotiation", "negotiation", "negotiation", "data", "leadership"] as [ProgrammeID])
            .enumerated()
        {
            _ = try await alumnus("Peer\(index)", in: nairobi.id, then: next)
        }
        for index in 0..<2 { _ = try await alumnus("Far\(index)", in: lagos.id, then: "data") }
        let zoe = try await alumnus("Zoe", in: nairobi.id, then: nil)
        try await service.enrol(zoe.id, in: "data", by: zoe.id)  // taken: never suggested
        let organizer = try await community.learner("Olu")
        try await service.appointOrganizer(organizer.id, of: nairobi.id, by: staff.id)
        try await service.recommend("leadership", to: nairobi.id, by: organizer.id, note: "Great next step")

        let suggestions = try await service.suggestNextProgrammes(for: zoe.id, by: zoe.id)
        #expect(suggestions.map(\.programme) == ["negotiation", "leadership"])
        #expect(
            suggestions[0].reason
                == "60% of alumni of Finance Basics in your chapter took Negotiation next (3 of 5 members)")
        #expect(suggestions[0].share == 0.6 && suggestions[0].peers == 5)
        #expect(
            suggestions[1].reason
                == "20% of alumni of Finance Basics in your chapter took Leadership next (1 of 5 members); recommended by 1 organizer of your chapter"
        )
        #expect(!suggestions.contains { $0.programme == "data" || $0.programme == "finance" })

        // A learner may not recommend to a chapter they do not organize.
        await #expect(throws: CommunityError.self) {
            try await service.recommend("data", to: nairobi.id, by: zoe.id, note: "")
        }
        // Repeat enrolment: all 8 alumni took a second programme (Zoe's is Data); Olu enrolled in none.
        let repeats = try await service.repeatEnrolment(by: staff.id)
        #expect(repeats.enrolled == 8 && repeats.repeated == 8)
    }
}
