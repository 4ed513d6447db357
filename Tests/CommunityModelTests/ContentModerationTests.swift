import CommunityModel
import CommunityTestSupport
import Foundation
import Storage
import Testing

@Suite("Content reports and removal")
struct ContentModerationTests {
    @Test("a reported reply removed by the chapter's organizer is hidden, and its removal reverses the reply's entry")
    func reportAndRemove() async throws {
        let community = TestCommunity()
        let service = community.service
        let staff = try await community.staff()
        let nairobi = try await community.city("nbo", "Nairobi", country: "KE", timeZone: "Africa/Nairobi", by: staff)
        let lagos = try await community.city("los", "Lagos", country: "NG", timeZone: "Africa/Lagos", by: staff)
        let organizer = try await community.learner("Olu")
        try await service.appointOrganizer(organizer.id, of: nairobi.id, by: staff.id)
        let outsider = try await community.learner("Other organizer")
        try await service.appointOrganizer(outsider.id, of: lagos.id, by: staff.id)
        let author = try await community.learner("Spammer")
        let reader = try await community.learner("Reader")
        for member in [author, reader] { try await service.join(nairobi.id, member: member.id, by: member.id) }

        let thread = try await service.startThread(
            on: nairobi.publicBoard, by: reader.id, title: "Meetup?", body: "When?")
        community.clock.advance(by: 60)
        let spam = try await service.reply(to: thread.id, by: author.id, body: "Buy followers at …")
        let report = try await service.reportContent(spam.id, by: reader.id, reason: "spam")
        #expect(try await service.openReports(on: nairobi.publicBoard, by: organizer.id).map(\.id) == [report.id])

        try await community.expectRefusal({ if case .accessDenied = $0 { true } else { false } }) {
            try await service.removePost(spam.id, by: outsider.id, reason: "not my chapter")
        }
        try await service.removePost(spam.id, by: organizer.id, reason: "spam, reported by a member")
        #expect(try await service.openReports(on: nairobi.publicBoard, by: organizer.id).isEmpty)
        #expect(try await !service.posts(in: thread.id, by: reader.id).contains { $0.id == spam.id })
        let moderated = try await service.posts(in: thread.id, by: organizer.id).first { $0.id == spam.id }
        #expect(moderated?.removedBy == organizer.id)

        let activity = try await service.activity(of: author.id, by: author.id)
        let replied = try #require(activity.first { $0.event.kind == .replied })
        let removed = try #require(activity.first { $0.event.kind == .contentRemoved })
        #expect(removed.event.reverses == replied.event.id)
        #expect(removed.event.actor == organizer.id)
        try await community.expectRefusal({ if case .invalidState = $0 { true } else { false } }) {
            try await service.removePost(spam.id, by: organizer.id, reason: "twice")
        }
    }
}
