public import CommunityModel
public import Foundation
import Storage

/// An organizer's recommendation of a programme to their chapter.
public struct ProgrammeRecommendation: Hashable, Sendable, Codable {
    public var chapter: ChapterID
    public var programme: ProgrammeID
    public var organizer: MemberID
    public var note: String
    public var at: Date
}

/// A programme suggested to a member, with its reason and the figure it rests on.
public struct ProgrammeSuggestion: Hashable, Sendable {
    public var programme: ProgrammeID
    public var title: String
    /// The share of peers (alumni of the same programme) who took this one next; nil when the
    /// suggestion rests on organizers' recommendations alone.
    public var share: Double?
    /// How many peers the share is of.
    public var peers: Int
    /// Organizers of the member's chapters who recommended it.
    public var recommendedBy: [MemberID]
    /// "41% of alumni of Finance Basics in your chapter took Negotiation next (49 of 120 members)".
    public var reason: String
}

/// How many members came back for a second programme.
public struct RepeatEnrolment: Hashable, Sendable {
    /// Members with at least one enrolment.
    public var enrolled: Int
    /// Of those, members who enrolled in a second programme.
    public var repeated: Int
    /// Nil when nobody enrolled.
    public var rate: Double?
}

extension Collections {
    /// Id `chapter|programme`.
    static let recommendations = RecordCollection<ProgrammeRecommendation>("programme-recommendations") {
        ["chapter": $0.chapter.rawValue]
    }
}

extension CommunityService {
    /// An organizer recommends a programme to their chapter (a later recommendation of the same
    /// programme replaces the note).
    @discardableResult
    public func recommend(
        _ programmeID: ProgrammeID, to chapterID: ChapterID, by organizerID: MemberID, note: String,
        idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> ProgrammeRecommendation
    {
        try Validate.text(note, field: "note", limit: Limits.shortText)
        return try await transact(
            by: organizerID, key: idempotencyKey,
            replay: .record(
                Collections.recommendations, kind: "recommendation",
                id: { _ in CompositeKey.make(chapterID, programmeID) })
        ) { tx in
            let organizer = try await tx.member(organizerID)
            _ = try await tx.load(chapterID.rawValue, in: Collections.chapters, kind: "chapter")
            try await tx.requireLeader(
                organizer.value, of: chapterID, for: .recommendProgramme,
                described: "recommend a programme to \(chapterID)")
            _ = try await tx.load(programmeID.rawValue, in: Collections.programmes, kind: "programme")
            let recommendation = ProgrammeRecommendation(
                chapter: chapterID, programme: programmeID, organizer: organizerID, note: note, at: tx.now)
            let id = CompositeKey.make(chapterID, programmeID)
            if var existing = try await tx.find(id, in: Collections.recommendations) {
                existing.value = recommendation
                try tx.update(existing, in: Collections.recommendations)
            } else {
                try tx.create(recommendation, id: id, in: Collections.recommendations)
            }
            return recommendation
        }
    }

    /// The programmes to suggest to a member next: what alumni of the programme they completed
    /// last took next (peers in their chapters when there are at least `minimumPeers` of them,
    /// else in the whole community), and what their chapters' organizers recommended. Never a
    /// programme the member has enrolled in. Each suggestion has its reason and figure. For the
    /// member themself and for staff and community managers.
    public func suggestNextProgrammes(
        for memberID: MemberID, limit: Int = 3, minimumPeers: Int = 5, by readerID: MemberID
    ) async throws(CommunityError) -> [ProgrammeSuggestion] {
        try Validate.limit(limit)
        let own = try await enrolments(of: memberID, by: readerID)
        let taken = Set(own.map(\.programme))
        let chapters = Set(try await membershipRecords(of: memberID).map(\.chapter))
        let titles = try await query {
            Dictionary(
                uniqueKeysWithValues: try await store.fetchAll(Collections.programmes).map {
                    ($0.value.id, $0.value.title)
                })
        }
        var suggestions: [ProgrammeID: ProgrammeSuggestion] = [:]

        // Peers: alumni of the programme the member completed last, and what they took next.
        if let last = own.filter(\.isCompleted).max(by: {
            ($0.completedAt ?? .distantPast) < ($1.completedAt ?? .distantPast)
        }) {
            let alumni = try await query {
                try await store.fetchAll(
                    Collections.enrolments, where: IndexQuery("programme", equals: last.programme.rawValue)
                )
                .map(\.value).filter { $0.isCompleted && $0.member != memberID }
            }
            var local: [Enrolment] = []
            for alumnus in alumni where !chapters.isEmpty {
                let theirs = Set(try await membershipRecords(of: alumnus.member).map(\.chapter))
                if !theirs.isDisjoint(with: chapters) { local.append(alumnus) }
            }
            let inChapter = local.count >= minimumPeers
            let peers = inChapter ? local : alumni
            var next: [ProgrammeID: Int] = [:]
            for peer in peers {
                let after = try await enrolmentRecords(of: peer.member)
                    .filter { $0.programme != last.programme && $0.enrolledAt >= (peer.completedAt ?? peer.enrolledAt) }
                    .min { ($0.enrolledAt, $0.programme) < ($1.enrolledAt, $1.programme) }
                if let after { next[after.programme, default: 0] += 1 }
            }
            let lastTitle = titles[last.programme] ?? last.programme.rawValue
            for (programme, count) in next where !taken.contains(programme) {
                let share = Double(count) / Double(peers.count)
                let title = titles[programme] ?? programme.rawValue
                let percent = Int((share * 100).rounded())
                suggestions[programme] = ProgrammeSuggestion(
                    programme: programme, title: title, share: share, peers: peers.count, recommendedBy: [],
                    reason:
                        "\(percent)% of alumni of \(lastTitle) \(inChapter ? "in your chapter" : "in the community") "
                        + "took \(title) next (\(count) of \(peers.count) members)")
            }
        }

        // Organizers' recommendations to the member's chapters.
        for chapter in chapters.sorted() {
            let recommended = try await query {
                try await store.fetchAll(
                    Collections.recommendations, where: IndexQuery("chapter", equals: chapter.rawValue)
                )
                .map(\.value)
            }
            for recommendation in recommended where !taken.contains(recommendation.programme) {
                let title = titles[recommendation.programme] ?? recommendation.programme.rawValue
                var suggestion =
                    suggestions[recommendation.programme]
                    ?? ProgrammeSuggestion(
                        programme: recommendation.programme, title: title, share: nil, peers: 0, recommendedBy: [],
                        reason: "")
                if !suggestion.recommendedBy.contains(recommendation.organizer) {
                    suggestion.recommendedBy.append(recommendation.organizer)
                }
                let organizers = suggestion.recommendedBy.count
                let recommendedText =
                    "recommended by \(organizers) organizer\(organizers == 1 ? "" : "s") of your chapter"
                suggestion.reason =
                    suggestion.share == nil
                    ? "\(title): \(recommendedText)"
                    : suggestion.reason.components(separatedBy: "; recommended by")[0] + "; " + recommendedText
                suggestions[recommendation.programme] = suggestion
            }
        }
        return suggestions.values.sorted { a, b in
            let (x, y) = (a.share ?? -1, b.share ?? -1)
            if x != y { return x > y }
            if a.recommendedBy.count != b.recommendedBy.count { return a.recommendedBy.count > b.recommendedBy.count }
            return a.programme < b.programme
        }.prefix(limit).map { $0 }
    }

    /// Members who came back for a second programme, among those who enrolled in any. For staff
    /// and community managers.
    public func repeatEnrolment(by staffID: MemberID) async throws(CommunityError) -> RepeatEnrolment {
        try await authorize(.staff, by: staffID, to: "read repeat enrolment")
        return try await query {
            var programmes: [MemberID: Set<ProgrammeID>] = [:]
            var cursor: String?
            repeat {
                let page = try await store.fetchPage(Collections.enrolments, after: cursor, limit: 1_000)
                for enrolment in page.items.map(\.value) {
                    programmes[enrolment.member, default: []].insert(enrolment.programme)
                }
                cursor = page.nextCursor
            } while cursor != nil
            let repeated = programmes.values.count { $0.count >= 2 }
            return RepeatEnrolment(
                enrolled: programmes.count, repeated: repeated,
                rate: programmes.isEmpty ? nil : Double(repeated) / Double(programmes.count))
        }
    }
}
