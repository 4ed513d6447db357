public import CommunityModel
public import Foundation
import Storage

/// One step of a leader's onboarding.
public enum OnboardingItem: String, Hashable, Sendable, Codable, CaseIterable {
    /// Acknowledge the current major version of the guidelines.
    case acknowledgeGuidelines
    /// Attend a training session for the role.
    case attendTraining
    /// Read the leaders' FAQ.
    case readFAQ

    /// Organizers do all three; community managers acknowledge and train.
    public static let defaultChecklists: [Role: [OnboardingItem]] = [
        .chapterOrganizer: [.acknowledgeGuidelines, .attendTraining, .readFAQ],
        .communityManager: [.acknowledgeGuidelines, .attendTraining],
    ]
}

/// A training session for leaders of a role.
public struct TrainingSession: Hashable, Sendable, Codable, Identifiable {
    public var id: TrainingSessionID
    public var title: String
    public var role: Role
    public var startsAt: Date
    public var minutes: Int
}

/// A member's attendance at a session.
public struct TrainingAttendance: Hashable, Sendable, Codable {
    public var session: TrainingSessionID
    public var member: MemberID
    public var recordedAt: Date
}

/// That a member read the FAQ, and when.
struct FAQRead: Hashable, Sendable, Codable {
    var member: MemberID
    var readAt: Date
}

/// Where a leader stands in their onboarding.
public struct OnboardingProgress: Hashable, Sendable {
    public struct Step: Hashable, Sendable {
        public var item: OnboardingItem
        public var isDone: Bool
        /// When it was done, or what is missing.
        public var detail: String
    }

    public var member: MemberID
    /// The member's leadership roles the checklists cover.
    public var roles: [Role]
    /// The union of their roles' checklists, in checklist order.
    public var steps: [Step]

    public var isComplete: Bool { steps.allSatisfy(\.isDone) }
    public var doneCount: Int { steps.filter(\.isDone).count }
}

/// A question leaders ask, with its answer.
public struct FAQEntry: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var question: String
    public var answer: String
    public var tags: [String]
}

/// An FAQ entry found by a search, with how well it matched.
public struct FAQMatch: Hashable, Sendable {
    public var entry: FAQEntry
    /// Query words found: 3 per word in the question, 2 in a tag, 1 in the answer.
    public var score: Int
}

extension GuidelinesService {
    // MARK: Training

    /// Schedules a training session (staff only).
    @discardableResult
    public func scheduleTraining(
        title: String, for role: Role, at startsAt: Date, minutes: Int, by staffID: MemberID,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws(CommunityError) -> TrainingSession {
        let title = try Validate.name(title, field: "title")
        try Validate.date(startsAt, field: "startsAt")
        guard (1...600).contains(minutes) else {
            throw .invalidInput(field: "minutes", reason: "a session lasts 1 to 600 minutes, not \(minutes)")
        }
        guard checklists[role]?.contains(.attendTraining) == true else {
            throw .invalidInput(field: "role", reason: "no checklist asks \(role) leaders to attend training")
        }
        return try await community.perform(
            by: staffID, idempotencyKey: idempotencyKey,
            replay: .record(GuidelineCollections.trainingSessions, kind: "training session", id: { $0.id.rawValue })
        ) { tx in
            let staff = try await tx.member(staffID)
            try await tx.requireStaff(staff.value, to: "schedule training")
            let session = TrainingSession(
                id: TrainingSessionID("training-\(Int(startsAt.timeIntervalSince1970))-\(role.rawValue)"), title: title,
                role: role,
                startsAt: startsAt, minutes: minutes)
            if try await tx.find(session.id.rawValue, in: GuidelineCollections.trainingSessions) != nil {
                throw CommunityError.invalidState("A \(role) session already starts at \(startsAt).")
            }
            try tx.create(session, id: session.id.rawValue, in: GuidelineCollections.trainingSessions)
            return session
        }
    }

    /// Records that a member attended a session (staff only, once the session has begun).
    @discardableResult
    public func recordAttendance(
        at sessionID: TrainingSessionID, of memberID: MemberID, by staffID: MemberID,
        idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> TrainingAttendance
    {
        try await community.perform(
            by: staffID, idempotencyKey: idempotencyKey,
            replay: .record(
                GuidelineCollections.attendance, kind: "training attendance",
                id: { _ in CompositeKey.make(sessionID, memberID) })
        ) { tx in
            let staff = try await tx.member(staffID)
            try await tx.requireStaff(staff.value, to: "record training attendance")
            let member = try await tx.member(memberID)
            let session = try await tx.load(
                sessionID.rawValue, in: GuidelineCollections.trainingSessions, kind: "training session")
            guard session.value.startsAt <= tx.now else {
                throw CommunityError.invalidState(
                    "Session \(sessionID) starts at \(session.value.startsAt); record attendance once it has begun.")
            }
            let id = CompositeKey.make(sessionID, memberID)
            if let existing = try await tx.find(id, in: GuidelineCollections.attendance) { return existing.value }
            let attendance = TrainingAttendance(session: sessionID, member: memberID, recordedAt: tx.now)
            try tx.create(attendance, id: id, in: GuidelineCollections.attendance)
            try tx.log(
                .attendedTraining, member: member.value, .init(actor: staffID, subject: .trainingSession(sessionID)))
            return attendance
        }
    }

    // MARK: FAQ

    /// Adds or replaces an FAQ entry (staff only).
    @discardableResult
    public func saveFAQ(
        id: String, question: String, answer: String, tags: [String] = [], by staffID: MemberID,
        idempotencyKey: IdempotencyKey? = nil
    )
        async throws(CommunityError) -> FAQEntry
    {
        try Validate.id(id, field: "id")
        let entry = FAQEntry(
            id: id, question: try Validate.name(question, field: "question", limit: Limits.shortText),
            answer: try Validate.message(answer, field: "answer", limit: Limits.freeText),
            tags: try tags.map { tag throws(CommunityError) in try Validate.name(tag, field: "tag", limit: Limits.label)
            })
        return try await community.perform(
            by: staffID, idempotencyKey: idempotencyKey,
            replay: .record(GuidelineCollections.faq, kind: "FAQ entry", id: { $0.id })
        ) { tx in
            let staff = try await tx.member(staffID)
            try await tx.requireStaff(staff.value, to: "edit the FAQ")
            if var existing = try await tx.find(id, in: GuidelineCollections.faq) {
                existing.value = entry
                try tx.update(existing, in: GuidelineCollections.faq)
            } else {
                try tx.create(entry, id: id, in: GuidelineCollections.faq)
            }
            return entry
        }
    }

    /// FAQ entries matching the words of `query` (case-insensitive, whole words), best first;
    /// entries matching no word are left out. Ties go by id.
    public func searchFAQ(_ query: String, limit: Int = 10) async throws(CommunityError) -> [FAQMatch] {
        guard (1...100).contains(limit) else {
            throw .invalidInput(field: "limit", reason: "must be 1 to 100, not \(limit)")
        }
        let words = Set(ContentText.words(in: query))
        guard !words.isEmpty else { throw .invalidInput(field: "query", reason: "search for at least one word") }
        let entries = try await withCommunityErrors { try await community.store.fetchAll(GuidelineCollections.faq) }
        let matches = entries.compactMap { record -> FAQMatch? in
            let entry = record.value
            let question = Set(ContentText.words(in: entry.question))
            let tags = Set(entry.tags.flatMap(ContentText.words(in:)))
            let answer = Set(ContentText.words(in: entry.answer))
            let score = words.reduce(0) { total, word in
                total + (question.contains(word) ? 3 : 0) + (tags.contains(word) ? 2 : 0)
                    + (answer.contains(word) ? 1 : 0)
            }
            return score > 0 ? FAQMatch(entry: entry, score: score) : nil
        }
        return Array(matches.sorted { ($1.score, $0.entry.id) < ($0.score, $1.entry.id) }.prefix(limit))
    }

    /// Records that the member read the FAQ.
    public func markFAQRead(by memberID: MemberID, idempotencyKey: IdempotencyKey? = nil) async throws(CommunityError) {
        try await community.perform(by: memberID, idempotencyKey: idempotencyKey) { tx in
            _ = try await tx.member(memberID)
            if try await tx.find(memberID.rawValue, in: GuidelineCollections.faqReads) == nil {
                try tx.create(
                    FAQRead(member: memberID, readAt: tx.now), id: memberID.rawValue, in: GuidelineCollections.faqReads)
            }
        }
    }

    // MARK: Progress

    /// Where a member stands: each step of their roles' checklists, done or not. For the member
    /// themself and for staff and community managers.
    public func onboarding(of memberID: MemberID, by readerID: MemberID) async throws(CommunityError)
        -> OnboardingProgress
    {
        let member = try await community.member(memberID)
        try await community.authorize(
            .partiesOrStaff([memberID]), by: readerID, to: "read the onboarding of \(memberID)")
        return try await progress(of: member)
    }

    private func progress(of member: Member) async throws(CommunityError) -> OnboardingProgress {
        let roles = member.roles.filter { checklists[$0] != nil }.sorted()
        var items: [OnboardingItem] = []
        for role in roles {
            for item in checklists[role] ?? [] where !items.contains(item) { items.append(item) }
        }
        var steps: [OnboardingProgress.Step] = []
        for item in items {
            steps.append(try await step(item, of: member, roles: roles))
        }
        return OnboardingProgress(member: member.id, roles: roles, steps: steps)
    }

    private func step(_ item: OnboardingItem, of member: Member, roles: [Role]) async throws(CommunityError)
        -> OnboardingProgress.Step
    {
        switch item {
        case .acknowledgeGuidelines:
            guard let current = try await current() else {
                return .init(item: item, isDone: true, detail: "no guidelines published yet")
            }
            if let done = try await withCommunityErrors({
                try await GuidelineCollections.standing(of: member.id, in: community.store)?.acknowledgement
            }) {
                return .init(
                    item: item, isDone: true, detail: "acknowledged \(done.version) on \(day(done.acknowledgedAt))")
            }
            return .init(item: item, isDone: false, detail: "acknowledge guidelines \(current.version)")
        case .attendTraining:
            let attended = try await withCommunityErrors {
                try await community.store.fetchAll(
                    GuidelineCollections.attendance, where: IndexQuery("member", equals: member.id.rawValue))
            }
            let training = roles.filter { checklists[$0]?.contains(.attendTraining) == true }
            for record in attended.sorted(by: { $0.value.recordedAt < $1.value.recordedAt }) {
                let session = try await withCommunityErrors {
                    try await community.store.fetch(
                        record.value.session.rawValue, from: GuidelineCollections.trainingSessions)
                }
                if let session, training.contains(session.value.role) {
                    return .init(item: item, isDone: true, detail: "attended “\(session.value.title)”")
                }
            }
            return .init(
                item: item, isDone: false,
                detail: "attend a training session for \(training.map(\.rawValue).joined(separator: " or "))")
        case .readFAQ:
            let read = try await withCommunityErrors {
                try await community.store.fetch(member.id.rawValue, from: GuidelineCollections.faqReads)
            }
            if let read { return .init(item: item, isDone: true, detail: "read on \(day(read.value.readAt))") }
            return .init(item: item, isDone: false, detail: "read the leaders' FAQ")
        }
    }

    private func day(_ date: Date) -> String { LocalDate(date, in: community.defaultTimeZone).description }

    /// Leaders (members holding a role with a checklist) whose onboarding is incomplete, in id
    /// order, a page at a time. It reads the members page by page from `cursor` until it has
    /// `limit` of them; pass the returned cursor to go on. For staff and community managers.
    public func incompleteOnboarding(after cursor: String? = nil, limit: Int = 100, by staffID: MemberID)
        async throws(CommunityError) -> Page<OnboardingProgress>
    {
        guard (1...1_000).contains(limit) else {
            throw .invalidInput(field: "limit", reason: "must be 1 to 1000, not \(limit)")
        }
        try await community.authorize(.staff, by: staffID, to: "list incomplete onboarding")
        var found: [OnboardingProgress] = []
        var cursor = cursor
        repeat {
            let page = try await community.memberRecords(after: cursor, limit: 1_000)
            for member in page.items where member.roles.contains(where: { checklists[$0] != nil }) {
                let progress = try await progress(of: member)
                if !progress.isComplete { found.append(progress) }
                if found.count == limit {
                    return Page(items: found, nextCursor: member.id.rawValue)
                }
            }
            cursor = page.nextCursor
        } while cursor != nil
        return Page(items: found, nextCursor: nil)
    }
}
