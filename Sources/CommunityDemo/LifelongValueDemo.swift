import CommunityModel
import CommunitySimulation
import Foundation
import Storage

extension CommunityDemo {
    /// Lifelong value: unanswered questions with suggested answerers, one advocate's funnel, and
    /// one alumnus's next-programme suggestions.
    static func showLifelongValue(
        service: CommunityService, community: SimulatedCommunity, names: [MemberID: Member]
    ) async throws {
        func name(_ id: MemberID) -> String { names[id]?.profile.displayName ?? "a new member" }
        // A fresh question on the first chapter's board, asked by one of its members.
        if let chapter = community.chapters.first,
            let asker = try await service.members(of: chapter.id, limit: 1).items.first
        {
            try await service.startThread(
                on: chapter.publicBoard, by: asker.member, title: "How do I price my first freelance project?",
                body: "Hourly or fixed?", isQuestion: true)
        }
        print("Questions waiting for an answer")
        var shown = 0
        for chapter in community.chapters where shown < 3 {
            for question in try await service.unansweredQuestions(in: .board(chapter.publicBoard), limit: 2).items
            where shown < 3 {
                shown += 1
                let suggestions = try await service.suggestAnswerers(for: question.id, limit: 2)
                print(
                    "  “\(question.title)” (\(chapter.name), asked by \(name(question.author))): "
                        + (suggestions.isEmpty
                            ? "nobody suggested right now"
                            : suggestions.map { "\(name($0.member)), \($0.reason)" }.joined(separator: "; ")))
            }
        }
        if shown == 0 { print("  none: every question has an answer") }

        // An advocate shares their certificate; a newcomer signs up and enrols with the code.
        // Alumni as they stand now (the simulation's member list is as they joined).
        var alumni: [Member] = []
        for member in community.members where try await service.journey(of: member.id).stage == .alumnus {
            alumni.append(try await service.member(member.id))
        }
        if let advocate = alumni.first(where: { $0.consents(to: .publicLeaderboards) }),
            let certificate = try await service.enrolments(of: advocate.id).first(where: \.isCompleted)
        {
            let share = try await service.share(.certificate(certificate.programme), by: advocate.id, on: "LinkedIn")
            let newcomer = try await service.registerMember(
                NewMember(
                    displayName: "Nia Referred", email: "nia.referred@example.org", country: "KE",
                    timeZone: "Africa/Nairobi"))
            try await service.attributeReferral(code: share.code, to: newcomer.id, for: .signUp)
            if let programme = community.programmes.first(where: { $0.id != certificate.programme }) {
                try await service.enrol(newcomer.id, in: programme.id)
                try await service.attributeReferral(code: share.code, to: newcomer.id, for: .enrolment(programme.id))
            }
            print("\(advocate.profile.displayName) shared a certificate on LinkedIn with referral code \(share.code)")
        }
        // Alumni of one programme go on to another, so the next-programme suggestions have peers.
        if let first = alumni.first, let done = try await service.enrolments(of: first.id).first(where: \.isCompleted),
            let next = community.programmes.first(where: { $0.id != done.programme })
        {
            var moved = 0
            for peer in alumni.dropFirst() where moved < 3 {
                let theirs = try await service.enrolments(of: peer.id)
                guard theirs.contains(where: { $0.programme == done.programme && $0.isCompleted }),
                    !theirs.contains(where: { $0.programme == next.id })
                else { continue }
                try await service.enrol(peer.id, in: next.id)
                moved += 1
            }
        }

        // An advocate: the top of the ranking.
        if let advocate = try await service.advocacyRanking(limit: 1).first {
            let funnel = try await service.advocacyFunnel(of: advocate.advocate)
            print(
                "Advocate \(name(advocate.advocate)): \(funnel.shares) shares → \(funnel.signUps) sign-ups → "
                    + "\(funnel.enrolments) enrolments")
        }

        // An alumnus's next programme.
        for member in alumni {
            let suggestions = try await service.suggestNextProgrammes(for: member.id, limit: 2)
            guard !suggestions.isEmpty else { continue }
            print("Next programmes for \(member.profile.displayName)")
            for suggestion in suggestions { print("  \(suggestion.title): \(suggestion.reason)") }
            break
        }
        let repeats = try await service.repeatEnrolment()
        print(
            "Repeat enrolment: \(repeats.repeated) of \(repeats.enrolled) enrolled members took a second programme"
                + (repeats.rate.map { String(format: " (%.0f%%)", $0 * 100) } ?? ""))

        // The value report for leadership, over the whole simulated period, written as HTML.
        let end = service.clock.now()
        let report = try await service.valueReport(
            for: DateInterval(start: end.addingTimeInterval(-365 * 86_400), end: end),
            title: "The value of the Brightpath community", by: community.staff.id)
        print("Value report talking points")
        for point in report.talkingPoints { print("  \(point.text)") }
        let file = FileManager.default.temporaryDirectory.appending(path: "community-value-report.html")
        try Data(report.html().utf8).write(to: file)
        print("  written as HTML to \(file.path)")
        print("")
    }
}
