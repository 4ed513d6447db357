import Storage

/// The record collections the community keeps, with their declared indexes.
package enum Collections {
    package static let members = RecordCollection<Member>("members") { ["country": $0.profile.country.code] }
    /// One record per email (lowercased) so that no two members share one.
    package static let emails = RecordCollection<EmailClaim>("member-emails")
    package static let contacts = RecordCollection<MemberContact>("member-contacts")
    /// Created once, by the self-registration of the community's first staff member.
    package static let founding = RecordCollection<EmailClaim>("community-founding")
    package static let programmes = RecordCollection<Programme>("programmes")
    package static let enrolments = RecordCollection<Enrolment>("enrolments") {
        ["member": $0.member.rawValue, "programme": $0.programme.rawValue]
    }
    package static let chapters = RecordCollection<Chapter>("chapters")
    package static let memberships = RecordCollection<ChapterMembership>("chapter-memberships") {
        ["member": $0.member.rawValue, "chapter": $0.chapter.rawValue]
    }
    package static let boards = RecordCollection<Board>("boards") { board in
        var keys: [String: String] = [:]
        if let chapter = board.chapter { keys["chapter"] = chapter.rawValue }
        if let programme = board.programme { keys["programme"] = programme.rawValue }
        return keys
    }
    package static let threads = RecordCollection<DiscussionThread>("threads") {
        ["board": $0.board.rawValue, "author": $0.author.rawValue]
    }
    package static let posts = RecordCollection<Post>("posts") {
        ["thread": $0.thread.rawValue, "author": $0.author.rawValue]
    }
    package static let reactions = RecordCollection<Reaction>("reactions") { ["post": $0.post.rawValue] }
    package static let events = RecordCollection<ChapterEvent>("events") { ["chapter": $0.chapter.rawValue] }
    package static let registrations = RecordCollection<Registration>("registrations") {
        ["member": $0.member.rawValue, "event": $0.event.rawValue]
    }

}

/// The one way the package builds a record key from several parts: the parts joined by `|`
/// (`chapter|member`, `badge|member|2`). Ids never hold `|` (caller ids are checked by
/// `Validate.id`, minted ids are hexadecimal), so a key names one combination only. Keys are
/// stored: changing this changes where records are found.
package enum CompositeKey {
    package static func make(_ parts: any CustomStringConvertible...) -> String {
        parts.map(\.description).joined(separator: "|")
    }
}

package struct EmailClaim: Codable, Hashable, Sendable {
    package var member: MemberID

    package init(member: MemberID) { self.member = member }
}

extension Collections {
    package static let organizerApplications = RecordCollection<OrganizerApplication>("organizer-applications") {
        ["member": $0.member.rawValue, "chapter": $0.chapter.rawValue, "stage": $0.stage.rawValue]
    }
    package static let standings = RecordCollection<MemberStanding>("member-standings")
}
