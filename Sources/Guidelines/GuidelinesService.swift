public import CommunityModel
public import Foundation
import Storage

extension SubjectRef {
    public static func guidelines(_ version: GuidelineVersion) -> Self { .init(.guidelines(version.description)) }
}

/// A leader's acknowledgement of a guidelines version.
public struct GuidelineAcknowledgement: Hashable, Sendable, Codable {
    public var member: MemberID
    public var version: GuidelineVersion
    public var acknowledgedAt: Date
}

/// Which version is current.
struct CurrentGuidelines: Codable, Sendable {
    var version: GuidelineVersion
    var publishedAt: Date
}

/// The records of the Guidelines module.
enum GuidelineCollections {
    static let documents = RecordCollection<GuidelineDocument>("guideline-documents")
    /// One record, id ``currentID``.
    static let current = RecordCollection<CurrentGuidelines>("guideline-current")
    static let currentID = "current"
    /// Id `member|major`: acknowledging any minor version of a major one counts for it.
    static let acknowledgements = RecordCollection<GuidelineAcknowledgement>("guideline-acknowledgements") {
        ["member": $0.member.rawValue]
    }
    static let trainingSessions = RecordCollection<TrainingSession>("training-sessions")
    /// Id `session|member`.
    static let attendance = RecordCollection<TrainingAttendance>("training-attendance") {
        ["member": $0.member.rawValue]
    }
    /// Id: the member.
    static let faqReads = RecordCollection<FAQRead>("faq-reads")
    static let faq = RecordCollection<FAQEntry>("faq-entries")

    static func acknowledgementID(_ member: MemberID, major: Int) -> String { CompositeKey.make(member, major) }

    /// The current version and the member's acknowledgement of its major version; nil before
    /// any version is published.
    static func standing(of member: MemberID, in store: any DataStore) async throws
        -> (current: GuidelineVersion, acknowledgement: GuidelineAcknowledgement?)?
    {
        guard let version = try await store.fetch(currentID, from: current)?.value.version else { return nil }
        let acknowledgement = try await store.fetch(
            acknowledgementID(member, major: version.major), from: acknowledgements)
        return (version, acknowledgement?.value)
    }
}

/// The leadership gate that asks for the current guidelines to be acknowledged: pass it to
/// `CommunityService.init(store:clock:ids:gate:defaultTimeZone:)`.
///
/// Staff are never held back (they publish the guidelines). Any other member taking a
/// leadership action must have acknowledged a version of the current major version; a new
/// minor version changes nothing. Before any guidelines are published, everyone may act.
public struct GuidelineGate: LeadershipGate {
    let store: any DataStore

    public init(store: any DataStore) { self.store = store }

    public func authorize(_ action: LeadershipAction, by member: Member, in chapter: ChapterID?)
        async throws(CommunityError)
    {
        guard !member.has(.staff) else { return }
        let standing = try await withCommunityErrors {
            try await GuidelineCollections.standing(of: member.id, in: store)
        }
        if let standing, standing.acknowledgement == nil {
            throw .acknowledgementRequired(
                member: member.id, action: action.description, version: standing.current.description)
        }
    }
}

/// Publishes guidelines, records acknowledgements, runs onboarding (checklists, training,
/// the FAQ) and answers who is not onboarded yet.
public struct GuidelinesService: Sendable {
    public let community: CommunityService
    public let checklists: [Role: [OnboardingItem]]

    /// - Parameters:
    ///   - community: the community service whose store and clock the service shares.
    ///   - checklists: what each leadership role must do; by default organizers acknowledge the
    ///     guidelines, attend a training session and read the FAQ, and community managers the
    ///     first two.
    public init(community: CommunityService, checklists: [Role: [OnboardingItem]] = OnboardingItem.defaultChecklists) {
        self.community = community
        self.checklists = checklists
    }

    /// The gate to give the community service: it reads the same store.
    public static func gate(store: any DataStore) -> GuidelineGate { GuidelineGate(store: store) }

    // MARK: Versions

    /// Publishes a version, which becomes current. It must be newer than the current one.
    @discardableResult
    public func publish(_ document: GuidelineDocument, by staffID: MemberID, idempotencyKey: IdempotencyKey? = nil)
        async throws(CommunityError)
        -> GuidelineDocument
    {
        try document.validate()
        return try await community.perform(
            by: staffID, idempotencyKey: idempotencyKey,
            replay: .record(GuidelineCollections.documents, kind: "guideline document", id: { $0.version.description })
        ) { tx in
            let staff = try await tx.member(staffID)
            try await tx.requireStaff(staff.value, to: "publish guidelines")
            let current = try await tx.find(GuidelineCollections.currentID, in: GuidelineCollections.current)
            if let current, document.version <= current.value.version {
                throw CommunityError.invalidState(
                    "Guidelines \(current.value.version) are current; publish a newer version than "
                        + "\(document.version).")
            }
            try tx.create(document, id: document.version.description, in: GuidelineCollections.documents)
            let pointer = CurrentGuidelines(version: document.version, publishedAt: tx.now)
            if var current {
                current.value = pointer
                try tx.update(current, in: GuidelineCollections.current)
            } else {
                try tx.create(pointer, id: GuidelineCollections.currentID, in: GuidelineCollections.current)
            }
            try tx.log(.guidelinesPublished, member: staff.value, .init(subject: .guidelines(document.version)))
            return document
        }
    }

    /// The current guidelines, or nil before the first is published.
    public func current() async throws(CommunityError) -> GuidelineDocument? {
        try await withCommunityErrors {
            guard
                let current = try await community.store.fetch(
                    GuidelineCollections.currentID, from: GuidelineCollections.current)
            else { return nil }
            return try await community.store.fetch(
                current.value.version.description, from: GuidelineCollections.documents)?.value
        }
    }

    /// A published version.
    public func document(_ version: GuidelineVersion) async throws(CommunityError) -> GuidelineDocument {
        let found = try await withCommunityErrors {
            try await community.store.fetch(version.description, from: GuidelineCollections.documents)
        }
        guard let found else { throw .notFound(kind: "guidelines version", id: version.description) }
        return found.value
    }

    /// Records that a member acknowledged a version. Only the current version can be
    /// acknowledged; doing it again is harmless and returns the first acknowledgement.
    @discardableResult
    public func acknowledge(_ version: GuidelineVersion, by memberID: MemberID, idempotencyKey: IdempotencyKey? = nil)
        async throws(CommunityError)
        -> GuidelineAcknowledgement
    {
        try await community.perform(
            by: memberID, idempotencyKey: idempotencyKey,
            replay: .record(
                GuidelineCollections.acknowledgements, kind: "acknowledgement",
                id: { _ in GuidelineCollections.acknowledgementID(memberID, major: version.major) })
        ) { tx in
            let member = try await tx.member(memberID)
            guard let current = try await tx.find(GuidelineCollections.currentID, in: GuidelineCollections.current)
            else { throw CommunityError.notFound(kind: "guidelines version", id: version.description) }
            guard current.value.version == version else {
                throw CommunityError.invalidState(
                    "Guidelines \(current.value.version) are current: acknowledge that version, not \(version).")
            }
            let id = GuidelineCollections.acknowledgementID(memberID, major: version.major)
            if let existing = try await tx.find(id, in: GuidelineCollections.acknowledgements) {
                return existing.value
            }
            let acknowledgement = GuidelineAcknowledgement(member: memberID, version: version, acknowledgedAt: tx.now)
            try tx.create(acknowledgement, id: id, in: GuidelineCollections.acknowledgements)
            try tx.log(.guidelinesAcknowledged, member: member.value, .init(subject: .guidelines(version)))
            return acknowledgement
        }
    }

    /// The member's acknowledgement of the current major version, if any: for the member
    /// themself and for staff and community managers.
    public func acknowledgement(of member: MemberID, by readerID: MemberID) async throws(CommunityError)
        -> GuidelineAcknowledgement?
    {
        _ = try await community.member(member)
        try await community.authorize(
            .partiesOrStaff([member]), by: readerID, to: "read the acknowledgement of \(member)")
        return try await withCommunityErrors {
            try await GuidelineCollections.standing(of: member, in: community.store)?.acknowledgement
        }
    }
}
