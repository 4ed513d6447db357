import Foundation

/// A programme (course) of the school.
public struct Programme: Hashable, Sendable, Codable, Identifiable {
    public var id: ProgrammeID
    public var title: String
    /// The board learners see once enrolled.
    public var learnersBoard: BoardID
    /// The board alumni see once they completed.
    public var alumniBoard: BoardID

    public init(id: ProgrammeID, title: String, learnersBoard: BoardID, alumniBoard: BoardID) {
        self.id = id
        self.title = title
        self.learnersBoard = learnersBoard
        self.alumniBoard = alumniBoard
    }
}

/// A member's enrolment in a programme, and its completion.
public struct Enrolment: Hashable, Sendable, Codable {
    public var member: MemberID
    public var programme: ProgrammeID
    public var enrolledAt: Date
    /// Set when the member completed the programme.
    public var completedAt: Date?
    /// The date on the certificate, in the school's calendar.
    public var certificateDate: LocalDate?

    public init(
        member: MemberID,
        programme: ProgrammeID,
        enrolledAt: Date,
        completedAt: Date? = nil,
        certificateDate: LocalDate? = nil
    ) {
        self.member = member
        self.programme = programme
        self.enrolledAt = enrolledAt
        self.completedAt = completedAt
        self.certificateDate = certificateDate
    }

    public var isCompleted: Bool { completedAt != nil }

    /// The stage this enrolment puts the member in for its programme.
    public var stage: ProgrammeStage { isCompleted ? .completed : .enrolled }
}

/// Where a member stands in one programme.
public enum ProgrammeStage: String, Hashable, Sendable, Codable, CaseIterable {
    case prospect
    case enrolled
    case completed
}

/// Where a member stands in their journey with the school, over all programmes.
public enum JourneyStage: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    /// Not (yet) enrolled in any programme.
    case prospect
    /// Enrolled in at least one programme, none completed.
    case enrolled
    /// Completed at least one programme.
    case alumnus

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .prospect: 0
        case .enrolled: 1
        case .alumnus: 2
        }
    }

    /// The overall stage: alumnus if any completion, else enrolled if any enrolment, else prospect.
    public init(enrolments: some Sequence<Enrolment>) {
        var stage = JourneyStage.prospect
        for enrolment in enrolments {
            if enrolment.isCompleted {
                self = .alumnus
                return
            }
            stage = .enrolled
        }
        self = stage
    }
}

/// A member's journey: the overall stage and the stage per programme.
public struct Journey: Hashable, Sendable {
    public var stage: JourneyStage
    public var programmes: [ProgrammeID: ProgrammeStage]

    public init(enrolments: [Enrolment]) {
        stage = JourneyStage(enrolments: enrolments)
        programmes = Dictionary(enrolments.map { ($0.programme, $0.stage) }, uniquingKeysWith: { a, _ in a })
    }

    /// The member's stage in `programme` (prospect when never enrolled).
    public func stage(in programme: ProgrammeID) -> ProgrammeStage { programmes[programme] ?? .prospect }
}
