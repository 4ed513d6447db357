public import CommunityModel

/// Someone who could get a free ticket to the yearly conference, with the facts the policy uses.
public struct TicketCandidate: Hashable, Sendable {
    public var member: MemberID
    /// The chapter the ticket counts against (nil: none, no chapter limit applies).
    public var chapter: ChapterID?
    /// An organizer who met every quarter's commitments this year.
    public var keptEveryCommitment: Bool
    /// How much they contributed (their points, say): the order among equals.
    public var contribution: Int
    /// Whether they agreed to be named in public (`Consent.spotlight`).
    public var mayBeNamed: Bool

    public init(member: MemberID, chapter: ChapterID?, keptEveryCommitment: Bool, contribution: Int, mayBeNamed: Bool) {
        self.member = member
        self.chapter = chapter
        self.keptEveryCommitment = keptEveryCommitment
        self.contribution = contribution
        self.mayBeNamed = mayBeNamed
    }
}

/// Why someone got a ticket, or is waiting for one.
public enum TicketReason: Hashable, Sendable, CustomStringConvertible {
    case keptEveryCommitment(contribution: Int)
    case topContributor(contribution: Int)
    /// Waiting: their chapter already has its share.
    case chapterLimit(ChapterID, limit: Int)
    /// Waiting: the tickets ran out before their turn.
    case ticketsRanOut

    public var description: String {
        switch self {
        case .keptEveryCommitment(let points): "organizer who kept every quarter's commitments (\(points) points)"
        case .topContributor(let points): "top contributor (\(points) points)"
        case .chapterLimit(let chapter, let limit): "chapter \(chapter) already has its \(limit) tickets"
        case .ticketsRanOut: "all tickets were given before their turn"
        }
    }
}

/// The outcome of a ticket allocation: who gets a ticket, who waits (in order), and the list to
/// publish.
public struct TicketAllocation: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public var member: MemberID
        public var chapter: ChapterID?
        public var reason: TicketReason
        /// Whether the member agreed to be named in public.
        public var mayBeNamed: Bool
    }

    public var tickets: [Line]
    /// In order: the first one gets the next ticket given back.
    public var waitlist: [Line]

    /// The published recognition list: one line per ticket holder, in allocation order, with
    /// the reason; a member who did not agree to be named is shown as "a member of <chapter>",
    /// by the chapter's name when `chapterNames` has it (else its id).
    public func recognitionList(displayNames: [MemberID: String], chapterNames: [ChapterID: String] = [:]) -> [String] {
        tickets.map { line in
            let chapter = line.chapter.map { chapterNames[$0] ?? $0.rawValue }
            let who =
                line.mayBeNamed
                ? displayNames[line.member] ?? "a member"
                : "a member of \(chapter ?? "the community")"
            return "\(who): \(line.reason)"
        }
    }

    /// Allocates `tickets` tickets: organizers who kept every quarter's commitments first, then
    /// everyone else, each group by contribution (then member id); at most `perChapter` tickets
    /// per chapter. Those left out form the waitlist, in the same order, with the reason.
    public init(_ candidates: [TicketCandidate], tickets: Int, perChapter: Int) throws(RecognitionError) {
        guard tickets >= 0 else { throw .invalidInput(field: "tickets", reason: "must not be negative") }
        guard perChapter >= 1 else { throw .invalidInput(field: "perChapter", reason: "must be at least 1") }
        var seen: Set<MemberID> = []
        for candidate in candidates where !seen.insert(candidate.member).inserted {
            throw .invalidInput(field: "candidates", reason: "\(candidate.member) is listed twice")
        }
        let ordered = candidates.sorted { a, b in
            if a.keptEveryCommitment != b.keptEveryCommitment { return a.keptEveryCommitment }
            if a.contribution != b.contribution { return a.contribution > b.contribution }
            return a.member < b.member
        }
        var perChapterCount: [ChapterID: Int] = [:]
        var given: [Line] = []
        var waiting: [Line] = []
        for candidate in ordered {
            let reason: TicketReason =
                candidate.keptEveryCommitment
                ? .keptEveryCommitment(contribution: candidate.contribution)
                : .topContributor(contribution: candidate.contribution)
            func line(_ reason: TicketReason) -> Line {
                Line(
                    member: candidate.member, chapter: candidate.chapter, reason: reason,
                    mayBeNamed: candidate.mayBeNamed)
            }
            if let chapter = candidate.chapter, perChapterCount[chapter, default: 0] >= perChapter {
                waiting.append(line(.chapterLimit(chapter, limit: perChapter)))
            } else if given.count >= tickets {
                waiting.append(line(.ticketsRanOut))
            } else {
                if let chapter = candidate.chapter { perChapterCount[chapter, default: 0] += 1 }
                given.append(line(reason))
            }
        }
        self.tickets = given
        waitlist = waiting
    }
}
