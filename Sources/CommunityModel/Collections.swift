import Storage

/// The record collections the community keeps, with their declared indexes.
enum Collections {
    static let members = RecordCollection<Member>("members") { ["country": $0.profile.country.code] }
    /// One record per email (lowercased) so that no two members share one.
    static let emails = RecordCollection<EmailClaim>("member-emails")
    static let contacts = RecordCollection<MemberContact>("member-contacts")
    /// Created once, by the self-registration of the community's first staff member.
    static let founding = RecordCollection<EmailClaim>("community-founding")
    static let programmes = RecordCollection<Programme>("programmes")
    static let enrolments = RecordCollection<Enrolment>("enrolments") {
        ["member": $0.member.rawValue, "programme": $0.programme.rawValue]
    }
    static let chapters = RecordCollection<Chapter>("chapters")
    static let memberships = RecordCollection<ChapterMembership>("chapter-memberships") {
        ["member": $0.member.rawValue, "chapter": $0.chapter.rawValue]
    }
    static let boards = RecordCollection<Board>("boards") { board in
        var keys: [String: String] = [:]
        if let chapter = board.chapter { keys["chapter"] = chapter.rawValue }
        if let programme = board.programme { keys["programme"] = programme.rawValue }
        return keys
    }
    static let threads = RecordCollection<DiscussionThread>("threads") {
        ["board": $0.board.rawValue, "author": $0.author.rawValue]
    }
    static let posts = RecordCollection<Post>("posts") { ["thread": $0.thread.rawValue, "author": $0.author.rawValue] }
    static let reactions = RecordCollection<Reaction>("reactions") { ["post": $0.post.rawValue] }
    static let events = RecordCollection<ChapterEvent>("events") { ["chapter": $0.chapter.rawValue] }
    static let registrations = RecordCollection<Registration>("registrations") {
        ["member": $0.member.rawValue, "event": $0.event.rawValue]
    }

    static func pair(_ a: some CustomStringConvertible, _ b: some CustomStringConvertible) -> String { "\(a)|\(b)" }
}

struct EmailClaim: Codable, Hashable, Sendable {
    var member: MemberID
}

extension Collections {
    static let organizerApplications = RecordCollection<OrganizerApplication>("organizer-applications") {
        ["member": $0.member.rawValue, "chapter": $0.chapter.rawValue, "stage": $0.stage.rawValue]
    }
    static let standings = RecordCollection<MemberStanding>("member-standings")
}
