import CommunityModel
import Testing

@testable import Recognition

/// Free conference tickets: organizers who kept their commitments first, then top
/// contributors, never more than the per-chapter limit, the rest on a waitlist with reasons.
@Suite("Conference tickets")
struct ConferenceTicketTests {
    static func candidate(
        _ member: MemberID, _ chapter: ChapterID?, kept: Bool = false, points: Int, named: Bool = true
    ) -> TicketCandidate {
        TicketCandidate(
            member: member, chapter: chapter, keptEveryCommitment: kept, contribution: points, mayBeNamed: named)
    }

    static let candidates = [
        candidate("ada", "nbo", kept: true, points: 300),
        candidate("ben", "nbo", kept: true, points: 500),
        candidate("cai", "nbo", points: 2_000),
        candidate("dee", "lagos", points: 1_500),
        candidate("eve", "lagos", points: 900, named: false),
        candidate("fay", "lagos", points: 100),
        candidate("gus", nil, points: 50),
    ]

    @Test("scenario: four tickets, two per chapter: committed organizers first, then contributors, the rest waiting")
    func allocation() throws {
        let allocation = try TicketAllocation(Self.candidates, tickets: 4, perChapter: 2)
        #expect(allocation.tickets.map(\.member) == ["ben", "ada", "dee", "eve"])
        // Cai has the most points but Nairobi's two tickets went to its organizers.
        #expect(allocation.waitlist.map(\.member) == ["cai", "fay", "gus"])
        #expect(allocation.waitlist[0].reason == .chapterLimit("nbo", limit: 2))
        #expect(allocation.waitlist[1].reason == .chapterLimit("lagos", limit: 2))
        #expect(allocation.waitlist[2].reason == .ticketsRanOut)
        let list = allocation.recognitionList(displayNames: ["ben": "Ben", "ada": "Ada", "dee": "Dee", "eve": "Eve"])
        #expect(list[0] == "Ben: organizer who kept every quarter's commitments (500 points)")
        #expect(list[3] == "a member of lagos: top contributor (900 points)")
        // With the chapters' names, a person reads the chapter's name, not its id.
        let named = allocation.recognitionList(displayNames: [:], chapterNames: ["lagos": "Lagos"])
        #expect(named[3] == "a member of Lagos: top contributor (900 points)")
    }

    @Test("no chapter ever gets more than its limit, whatever the tickets and limits")
    func perChapterLimitHolds() throws {
        for tickets in 0...8 {
            for limit in 1...3 {
                let allocation = try TicketAllocation(Self.candidates, tickets: tickets, perChapter: limit)
                #expect(allocation.tickets.count <= tickets)
                let byChapter = Dictionary(grouping: allocation.tickets.compactMap(\.chapter), by: { $0 })
                #expect(byChapter.values.allSatisfy { $0.count <= limit })
                #expect(allocation.tickets.count + allocation.waitlist.count == Self.candidates.count)
            }
        }
    }

    @Test("negative tickets, a limit below one and a member listed twice are refused")
    func badInput() {
        #expect(throws: RecognitionError.self) { try TicketAllocation(Self.candidates, tickets: -1, perChapter: 1) }
        #expect(throws: RecognitionError.self) { try TicketAllocation(Self.candidates, tickets: 1, perChapter: 0) }
        #expect(throws: RecognitionError.self) {
            try TicketAllocation(Self.candidates + [Self.candidates[0]], tickets: 1, perChapter: 1)
        }
    }
}
