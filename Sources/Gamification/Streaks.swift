public import CommunityModel
public import Foundation

/// Whether a programme's streaks count days or weeks.
public enum StreakUnit: String, Hashable, Sendable, Codable {
    case day, week
}

/// How a programme's homework check-ins make streaks.
public struct StreakPolicy: Hashable, Sendable, Codable {
    public var unit: StreakUnit
    /// Check-ins per calendar month (the member's) that may fill a missed day or week.
    public var makeUpsPerMonth: Int
    /// How many days back a make-up may reach.
    public var makeUpWindowDays: Int

    /// - Throws: `CommunityError.invalidInput(field:reason:)` for numbers out of range.
    public init(unit: StreakUnit = .day, makeUpsPerMonth: Int = 2, makeUpWindowDays: Int = 7) throws(CommunityError) {
        guard (0...31).contains(makeUpsPerMonth) else {
            throw .invalidInput(field: "makeUpsPerMonth", reason: "must be 0…31, not \(makeUpsPerMonth)")
        }
        guard (1...62).contains(makeUpWindowDays) else {
            throw .invalidInput(field: "makeUpWindowDays", reason: "must be 1…62 days, not \(makeUpWindowDays)")
        }
        self.unit = unit
        self.makeUpsPerMonth = makeUpsPerMonth
        self.makeUpWindowDays = makeUpWindowDays
    }

    private enum CodingKeys: String, CodingKey { case unit, makeUpsPerMonth, makeUpWindowDays }

    /// Decodes a policy and checks it as ``init(unit:makeUpsPerMonth:makeUpWindowDays:)`` does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                unit: try container.decode(StreakUnit.self, forKey: .unit),
                makeUpsPerMonth: try container.decode(Int.self, forKey: .makeUpsPerMonth),
                makeUpWindowDays: try container.decode(Int.self, forKey: .makeUpWindowDays))
        } catch let error as CommunityError {
            throw DecodingError.dataCorruptedError(
                forKey: .makeUpsPerMonth, in: container, debugDescription: error.description)
        }
    }

    /// Daily streaks, two make-ups a month, reaching back a week.
    public static let daily = StreakPolicy(checked: .day, makeUpsPerMonth: 2, makeUpWindowDays: 7)

    /// For constants within the ranges ``init(unit:makeUpsPerMonth:makeUpWindowDays:)`` checks.
    private init(checked unit: StreakUnit, makeUpsPerMonth: Int, makeUpWindowDays: Int) {
        self.unit = unit
        self.makeUpsPerMonth = makeUpsPerMonth
        self.makeUpWindowDays = makeUpWindowDays
    }

    /// The day a check-in for `day` counts for: the day itself, or the Monday of its week.
    public func period(of day: LocalDate) -> LocalDate {
        unit == .day ? day : day.adding(days: 1 - day.isoWeekday)
    }
}

/// Homework handed in with a check-in: Recognition's excellent-homework list is drawn from these.
public struct HomeworkSubmission: Hashable, Sendable, Codable {
    public var title: String
    public var text: String?
    public var link: URL?

    public init(title: String, text: String? = nil, link: URL? = nil) {
        self.title = title
        self.text = text
        self.link = link
    }
}

/// A member's homework check-in for one day (or week) of a programme.
public struct CheckIn: Hashable, Sendable, Codable {
    public var member: MemberID
    public var programme: ProgrammeID
    public var assignment: String
    /// The day (or the Monday of the week) it counts for, in the member's calendar.
    public var day: LocalDate
    public var checkedInAt: Date
    /// True when it filled a missed day.
    public var isMakeUp: Bool
    public var submission: HomeworkSubmission?
}

/// A member's streak in one programme.
public struct Streak: Hashable, Sendable {
    public var unit: StreakUnit
    /// Consecutive days (weeks) with a check-in, up to today (this week) or, while today is
    /// still open, up to yesterday (last week).
    public var current: Int
    public var longest: Int
    /// The member's today, in their own time zone.
    public var today: LocalDate
    public var isDoneToday: Bool
    public var makeUpsLeftThisMonth: Int

    /// Counts streaks over the periods with a check-in (days, or the Mondays of weeks).
    public static func compute(
        periods: [LocalDate], today: LocalDate, policy: StreakPolicy, makeUpsUsed: Int
    ) -> Streak {
        let step = policy.unit == .day ? 1 : 7
        let numbers = Set(periods.map { policy.period(of: $0).dayNumber }).sorted()
        var longest = 0
        var run = 0
        var previous: Int?
        for number in numbers {
            run = previous.map { number - $0 == step } == true ? run + 1 : 1
            longest = max(longest, run)
            previous = number
        }
        let now = policy.period(of: today).dayNumber
        let present = Set(numbers)
        var current = 0
        var cursor = present.contains(now) ? now : now - step
        while present.contains(cursor) {
            current += 1
            cursor -= step
        }
        return Streak(
            unit: policy.unit, current: current, longest: longest, today: today, isDoneToday: present.contains(now),
            makeUpsLeftThisMonth: max(0, policy.makeUpsPerMonth - makeUpsUsed))
    }
}
