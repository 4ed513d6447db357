public import CommunityModel
public import Foundation
import Storage

/// A thank-you note on record, shown on the thanked member's profile.
public struct ThankYouNote: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var to: MemberID
    public var from: MemberID
    /// Whether staff wrote it (shown as the school's thanks).
    public var fromStaff: Bool
    public var message: String
    public var at: Date
}

extension RecognitionService {
    static let notes = RecordCollection<ThankYouNote>("thank-you-notes") { ["to": $0.to.rawValue] }

    /// Records a thank-you note from one member (staff or a peer) to another. One cannot thank
    /// oneself; the message is 1 to 1,000 characters.
    ///
    /// - Parameters:
    ///   - memberID: the member thanked.
    ///   - message: what for.
    ///   - authorID: who thanks: any member in good standing.
    ///   - idempotencyKey: the request's key: a repeat with it returns the first outcome (`IdempotencyKey`).
    @discardableResult
    public func thank(
        _ memberID: MemberID, message: String, by authorID: MemberID, idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError)
        -> ThankYouNote
    {
        let text = try Validate.message(
            message, field: "message", limit: Limits.note, empty: "say what you thank them for")
        guard memberID != authorID else {
            throw .invalidInput(field: "member", reason: "one cannot thank oneself (\(memberID))")
        }
        return try await community.perform(
            by: authorID, idempotencyKey: idempotencyKey,
            replay: .record(Self.notes, kind: "thank-you note", id: { $0.id })
        ) { tx in
            let author = try await tx.member(authorID)
            try await tx.authorize(.goodStanding, by: author.value, to: "thank \(memberID)")
            _ = try await tx.member(memberID)
            // The same note twice in the same millisecond is one note: the id is a digest of it.
            let millisecond = Timestamp(tx.now).millisecondsSince1970
            let id = SHA256.hex(
                Array(SHA256.hash("\(millisecond)\0\(authorID)\0\(memberID)\0\(text)".utf8).prefix(16)))
            if try await tx.find(id, in: Self.notes) != nil {
                throw CommunityError.alreadyExists(kind: "thank-you note", id: id)
            }
            let note = ThankYouNote(
                id: id, to: memberID, from: authorID, fromStaff: author.value.isStaffLike, message: text, at: tx.now)
            try tx.create(note, id: id, in: Self.notes)
            try tx.log(.thanked, member: author.value, .init(subject: .member(memberID), subjectOwner: memberID))
            return note
        }
    }

    /// The newest `limit` notes thanking a member, newest first: for the member themself and for
    /// staff and community managers.
    public func thanks(of memberID: MemberID, limit: Int = 50, by readerID: MemberID) async throws(CommunityError)
        -> [ThankYouNote]
    {
        guard (1...1_000).contains(limit) else {
            throw .invalidInput(field: "limit", reason: "must be 1 to 1,000, not \(limit)")
        }
        _ = try await community.member(memberID)
        try await community.authorize(
            .partiesOrStaff([memberID]), by: readerID, to: "read the notes thanking \(memberID)")
        return try await withCommunityErrors {
            try await community.store.fetchAll(Self.notes, where: IndexQuery("to", equals: memberID.rawValue))
                .map(\.value).sorted { ($0.at, $0.id) > ($1.at, $1.id) }.prefix(limit).map { $0 }
        }
    }
}
