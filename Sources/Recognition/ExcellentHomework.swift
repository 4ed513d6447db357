public import CommunityModel
public import Foundation
import Gamification
import Storage

/// A homework submission that could make the week's list, with what the choice weighs.
public struct HomeworkCandidate: Hashable, Sendable {
    public var member: MemberID
    public var programme: ProgrammeID
    /// The log position of the check-in that submitted it.
    public var position: UInt64
    public var submittedAt: Date
    /// Pieces of peer feedback the member received in the programme that week.
    public var peerFeedback: Int
    /// Whether staff picked it.
    public var staffPick: Bool
    /// Whether the author agreed to have homework shown (`Consent.homeworkShowcase`).
    public var consented: Bool

    public init(
        member: MemberID, programme: ProgrammeID, position: UInt64, submittedAt: Date, peerFeedback: Int,
        staffPick: Bool, consented: Bool
    ) {
        self.member = member
        self.programme = programme
        self.position = position
        self.submittedAt = submittedAt
        self.peerFeedback = peerFeedback
        self.staffPick = staffPick
        self.consented = consented
    }
}

/// One entry of the excellent homework list.
public struct ExcellentHomeworkEntry: Hashable, Sendable {
    public var programme: ProgrammeID
    public var rank: Int
    public var member: MemberID
    public var position: UInt64
    /// "staff pick, 4 pieces of peer feedback".
    public var reason: String
}

/// The week's best homework per programme: staff picks first, then the most peer feedback,
/// then the earliest submission; one entry per member and programme; authors who did not
/// consent never listed.
public enum ExcellentHomework {
    public static func rank(_ candidates: [HomeworkCandidate], perProgramme limit: Int) throws(RecognitionError)
        -> [ExcellentHomeworkEntry]
    {
        guard (1...100).contains(limit) else {
            throw .invalidInput(field: "perProgramme", reason: "must be 1 to 100, not \(limit)")
        }
        var entries: [ExcellentHomeworkEntry] = []
        let byProgramme = Dictionary(grouping: candidates.filter(\.consented), by: \.programme)
        for programme in byProgramme.keys.sorted() {
            let ordered = byProgramme[programme]!.sorted { a, b in
                if a.staffPick != b.staffPick { return a.staffPick }
                if a.peerFeedback != b.peerFeedback { return a.peerFeedback > b.peerFeedback }
                if a.submittedAt != b.submittedAt { return a.submittedAt < b.submittedAt }
                return a.position < b.position
            }
            var listed: Set<MemberID> = []
            for candidate in ordered where listed.count < limit && listed.insert(candidate.member).inserted {
                var reasons: [String] = []
                if candidate.staffPick { reasons.append("staff pick") }
                if candidate.peerFeedback > 0 {
                    reasons.append(
                        candidate.peerFeedback == 1
                            ? "1 piece of peer feedback" : "\(candidate.peerFeedback) pieces of peer feedback")
                }
                if reasons.isEmpty { reasons.append("submitted early in the week") }
                entries.append(
                    ExcellentHomeworkEntry(
                        programme: programme, rank: listed.count, member: candidate.member,
                        position: candidate.position, reason: reasons.joined(separator: ", ")))
            }
        }
        return entries
    }
}

extension RecognitionService {
    static let homeworkPicks = RecordCollection<Int>("homework-picks")

    /// Staff pick a homework submission (the log position of its check-in) for the list.
    public func pickHomework(at position: UInt64, by staffID: MemberID, idempotencyKey: IdempotencyKey? = nil)
        async throws(CommunityError)
    {
        try await community.perform(by: staffID, idempotencyKey: idempotencyKey) { tx in
            let staff = try await tx.member(staffID)
            try await tx.requireStaff(staff.value, to: "pick excellent homework")
            let id = String(position)
            if try await tx.find(id, in: Self.homeworkPicks) == nil { try tx.create(1, id: id, in: Self.homeworkPicks) }
        }
    }

    /// The excellent homework list of the week that starts on `monday`: the homework check-ins
    /// for the seven days from `monday` (the members' own days), ranked per programme by staff
    /// picks and the peer feedback their authors received in the programme those days (removed
    /// feedback taken back). Answered from the hosted ``HomeworkProjection``.
    ///
    /// For staff and community managers (`staffID`), who pick from it.
    ///
    /// - Throws: `CommunityError.invalidInput(field:reason:)` for a limit out of range, or a
    ///   week before the days the projection keeps.
    public func excellentHomework(
        weekStartingOn monday: LocalDate, perProgramme limit: Int = 5, by staffID: MemberID
    ) async throws(CommunityError) -> [ExcellentHomeworkEntry] {
        try await community.authorize(.staff, by: staffID, to: "read the excellent homework candidates")
        guard (1...100).contains(limit) else {
            throw .invalidInput(field: "perProgramme", reason: "must be 1 to 100, not \(limit)")
        }
        let homework = try await homework()
        try homework.require(from: monday)
        var submissions: [HomeworkProjection.CheckIn] = []
        var feedback: [String: Int] = [:]
        for (_, tallies) in homework.days(from: monday, through: monday.adding(days: 6)) {
            submissions += tallies.checkIns
            feedback.merge(tallies.feedbackReceived, uniquingKeysWith: +)
        }
        var candidates: [HomeworkCandidate] = []
        var members: [String: Member?] = [:]
        for submission in submissions {
            if members[submission.member] == nil {
                do { members[submission.member] = .some(try await community.member(MemberID(submission.member))) } catch
                {
                    guard case .notFound = error else { throw error }
                    members[submission.member] = .some(nil)  // a former member
                }
            }
            guard let member = members[submission.member] ?? nil else { continue }
            let picked = try await withCommunityErrors {
                try await community.store.fetch(String(submission.position), from: Self.homeworkPicks) != nil
            }
            candidates.append(
                HomeworkCandidate(
                    member: member.id, programme: ProgrammeID(submission.programme), position: submission.position,
                    submittedAt: Date(timeIntervalSince1970: Double(submission.time) / 1_000),
                    peerFeedback: feedback["\(submission.member)|\(submission.programme)"] ?? 0,
                    staffPick: picked, consented: member.consents(to: .homeworkShowcase)))
        }
        do { return try ExcellentHomework.rank(candidates, perProgramme: limit) } catch {
            throw .invalidInput(field: "perProgramme", reason: error.description)
        }
    }
}
