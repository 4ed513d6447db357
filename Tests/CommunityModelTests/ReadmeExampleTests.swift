import CommunityModel
import Storage
import Testing

/// The README's usage example, verbatim, so that it keeps compiling and keeps being true.
@Suite("README")
struct ReadmeExampleTests {
    @Test("the usage example in the README runs")
    func usageExample() async throws {
        let community = CommunityService(store: InMemoryStore(), clock: SystemClock())

        let staff = try await community.registerMember(
            NewMember(
                displayName: "Sam", email: "sam@school.example", country: "NL",
                timeZone: "Europe/Amsterdam", roles: [.staff]))
        let programme = try await community.createProgramme(title: "Data Analytics", by: staff.id)

        let amina = try await community.registerMember(
            NewMember(
                displayName: "Amina", email: "amina@example.org", country: "KE",
                timeZone: "Africa/Nairobi"))
        try await community.enrol(amina.id, in: programme.id, by: amina.id)

        // Enrolment unlocked the programme's private board.
        let boards = try await community.boards(visibleTo: amina.id, by: amina.id)
        assert(boards.contains { $0.board.id == programme.learnersBoard })

        #expect(boards.contains { $0.board.id == programme.learnersBoard })
    }
}
