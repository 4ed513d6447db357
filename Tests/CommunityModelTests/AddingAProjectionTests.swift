import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Testing

// The projection of the guide "Adding a projection of your own to the host"
// (Sources/CommunityModel/CommunityModel.docc/AddingAProjection.md), as it is written there:
// keep the two in step.
struct AnswersPerChapter: ActivityProjection, Equatable {
    let checkpointName = "answers-per-chapter"
    let configuration = "answers-per-chapter v1"  // change it when the state's meaning changes
    private(set) var position: UInt64 = 0
    private(set) var answers: [ChapterID: Int] = [:]
    private var milestones: [ChapterID] = []  // reached since the last commit

    mutating func apply(_ logged: LoggedActivity) throws {
        guard logged.position > position else { return }  // idempotent: never apply twice
        let event = logged.event
        guard let chapter = event.chapter else {
            position = logged.position
            return
        }
        if event.reverses != nil, event.details.reversedKind == .answered {
            answers[chapter] = max(0, answers[chapter, default: 0] - 1)  // a removal takes back
        } else if event.kind == .answered {
            answers[chapter, default: 0] += 1
            if answers[chapter] == 10 { milestones.append(chapter) }
        }
        position = logged.position
    }
    static let milestonesReached = RecordCollection<Int>("answer-milestones")

    mutating func takeEffects() -> [ProjectionEffect] {
        defer { milestones = [] }
        return milestones.compactMap { chapter in
            try? ProjectionEffect.create(10, id: chapter.rawValue, in: Self.milestonesReached)
        }
    }
    func encodeState(into writer: inout BinaryWriter) {
        writer.unsigned(UInt64(answers.count))
        for (chapter, count) in answers.sorted(by: { $0.key < $1.key }) {
            writer.string(chapter.rawValue)
            writer.unsigned(UInt64(count))
        }
    }

    mutating func restoreState(from reader: inout BinaryReader, position: UInt64) throws(StorageError) {
        var answers: [ChapterID: Int] = [:]
        for _ in 0..<(try reader.count()) {  // bounded by the bytes left: no huge allocation
            let chapter = ChapterID(try reader.string())
            guard let count = Int(exactly: try reader.unsigned()) else { throw reader.corrupt("a count") }
            answers[chapter] = count
        }
        try reader.expectEnd()
        self.answers = answers
        self.position = position
    }
}

/// The guide's projection works on a host as the guide says: it counts, takes back a removal,
/// stores its milestone once with its checkpoint, and a new host restores it.
@Suite("The guide to adding a projection")
struct AddingAProjectionTests {
    @Test("the guide's projection counts answers per chapter, takes back a removal and stores its milestone once")
    func guide() async throws {
        let community = TestCommunity()
        let service = community.service
        let staff = try await community.staff()
        let chapter = try await community.city("nbo", "Nairobi", country: "KE", timeZone: "Africa/Nairobi", by: staff)
        let asker = try await community.learner("Amina")
        let answerer = try await community.learner("Baraka")
        for member in [asker, answerer] { try await service.join(chapter.id, member: member.id, by: member.id) }
        let question = try await service.startThread(
            on: chapter.publicBoard, by: asker.id, title: "Pivot tables?", body: "How?", isQuestion: true)
        var answers: [Post] = []
        for index in 1...9 {
            answers.append(try await service.reply(to: question.id, by: answerer.id, body: "Try \(index)"))
        }

        let host = try ProjectionHost(store: community.store)
        try await host.register(AnswersPerChapter())
        try await host.catchUp()
        #expect(await host.state(of: AnswersPerChapter.self, named: "answers-per-chapter")?.answers[chapter.id] == 9)

        try await service.removePost(answers[0].id, by: staff.id, reason: "Off topic")
        for index in 10...11 { _ = try await service.reply(to: question.id, by: answerer.id, body: "Try \(index)") }
        let report = try await host.catchUp()
        #expect(await host.state(of: AnswersPerChapter.self, named: "answers-per-chapter")?.answers[chapter.id] == 10)
        #expect(report.stored == [AnswersPerChapter.milestonesReached.key(chapter.id.rawValue)])

        let restarted = try ProjectionHost(store: community.store)
        try await restarted.register(AnswersPerChapter())
        #expect(try await restarted.catchUp().effects == 0)
        #expect(
            await restarted.state(of: AnswersPerChapter.self, named: "answers-per-chapter")
                == host.state(of: AnswersPerChapter.self, named: "answers-per-chapter"))
    }
}
