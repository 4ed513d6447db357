import CommunityModel
import CommunitySimulation
import Foundation
import Leadership
import Storage

extension Demo {
    /// Lifelong value: questions waiting for an answer with who could answer them now, an
    /// advocate's funnel from a shared certificate, one alumnus's next-programme suggestions,
    /// and the value report for leadership.
    func showLifelongValue() async throws {
        print("Questions waiting for an answer")
        var shown = 0
        var suggested = false
        for programme in community.programmes where shown < 3 {
            for question in try await service.unansweredQuestions(in: .programme(programme.id), limit: 50, by: staff)
                .items
            where shown < 3 {
                let suggestions = try await service.suggestAnswerers(for: question.id, limit: 2, by: staff)
                // Show the questions someone could answer now first, then one that waits for the morning.
                guard !suggestions.isEmpty || (suggested && shown == 2) else { continue }
                suggested = suggested || !suggestions.isEmpty
                shown += 1
                var who: [String] = []
                for suggestion in suggestions {
                    who.append("\(try await names(suggestion.member)), \(suggestion.reason)")
                }
                print(
                    "  “\(question.title)” (\(programme.title), asked by \(try await names(question.author))): "
                        + (who.isEmpty ? "nobody suggested right now" : who.joined(separator: "; ")))
            }
        }
        if shown == 0 { print("  none: every question has an answer, or nobody who could answer is awake") }

        // An advocate shares their certificate; a newcomer signs up and enrols with the code.
        // Alumni as they stand now (the simulation's member list is as they joined).
        var alumni: [Member] = []
        for member in community.members where try await service.journey(of: member.id, by: staff).stage == .alumnus {
            alumni.append(try await service.member(member.id))
        }
        if let advocate = alumni.first(where: { $0.consents(to: .publicLeaderboards) }),
            let certificate = try await service.enrolments(of: advocate.id, by: staff).first(where: \.isCompleted)
        {
            let share = try await service.share(.certificate(certificate.programme), by: advocate.id, on: "LinkedIn")
            // The newcomer's email carries the run, so a resumed run signs up a new person.
            let newcomers = ["Nia Wanjiku", "Juma Otieno", "Achieng Odhiambo", "Baraka Kimani", "Zawadi Njeri"]
            let newcomerName = newcomers[Int(run % UInt64(newcomers.count))]
            let newcomer = try await service.registerMember(
                NewMember(
                    displayName: newcomerName,
                    email: "\(newcomerName.lowercased().replacingOccurrences(of: " ", with: "."))"
                        + ".run\(run)@example.org", country: "KE", timeZone: "Africa/Nairobi"))
            try await service.attributeReferral(code: share.code, to: newcomer.id, for: .signUp)
            if let programme = community.programmes.first(where: { $0.id != certificate.programme }) {
                try await service.enrol(newcomer.id, in: programme.id, by: newcomer.id)
                try await service.attributeReferral(code: share.code, to: newcomer.id, for: .enrolment(programme.id))
            }
            print(
                "\(advocate.profile.displayName) shared a certificate on LinkedIn with referral code \(share.code); "
                    + "\(try await names(newcomer.id)) signed up with it")
        }
        // Alumni of one programme go on to another, so the next-programme suggestions have peers.
        if let first = alumni.first,
            let done = try await service.enrolments(of: first.id, by: staff).first(where: \.isCompleted),
            let next = community.programmes.first(where: { $0.id != done.programme })
        {
            var moved = 0
            for peer in alumni.dropFirst() where moved < 3 {
                let theirs = try await service.enrolments(of: peer.id, by: staff)
                guard theirs.contains(where: { $0.programme == done.programme && $0.isCompleted }),
                    !theirs.contains(where: { $0.programme == next.id })
                else { continue }
                try await service.enrol(peer.id, in: next.id, by: peer.id)
                moved += 1
            }
        }

        // An advocate: the top of the ranking.
        if let advocate = try await service.advocacyRanking(limit: 1).first {
            let funnel = try await service.advocacyFunnel(of: advocate.advocate, by: staff)
            print(
                "Advocate \(try await names(advocate.advocate)): \(funnel.shares) shares → \(funnel.signUps) sign-ups → "
                    + "\(funnel.enrolments) enrolments")
        }

        // An alumnus's next programme.
        for member in alumni {
            let suggestions = try await service.suggestNextProgrammes(for: member.id, limit: 2, by: member.id)
            guard !suggestions.isEmpty else { continue }
            print("Next programmes for \(member.profile.displayName)")
            for suggestion in suggestions { print("  \(suggestion.title): \(suggestion.reason)") }
            break
        }
        let repeats = try await service.repeatEnrolment(by: staff)
        print(
            "Repeat enrolment: \(repeats.repeated) of \(repeats.enrolled) enrolled members took a second programme"
                + (repeats.rate.map { String(format: " (%.0f%%)", $0 * 100) } ?? ""))

        // The value report for leadership, over the last year, written as HTML and CSV.
        let end = clock.now()
        let report = try await leadership.valueReport(
            for: DateInterval(start: end.addingTimeInterval(-365 * 86_400), end: end),
            title: "The value of the Brightpath community", by: staff)
        print("Value report talking points")
        for point in report.talkingPoints { print("  \(point.text)") }
        let files = [
            try artifacts.write(report.html(), to: "value-report.html"),
            try artifacts.write(report.csv(), to: "value-report.csv"),
        ]
        if !files.contains(nil) { print("  the whole report" + artifacts.note(files)) }
        print("")
    }
}
