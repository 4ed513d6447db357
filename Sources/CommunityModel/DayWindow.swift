import Foundation

/// Per-day tallies kept for a window of days behind the newest day seen: the state of a
/// projection whose queries name days (insights, homework), which must not grow with the log.
package struct DayWindow<Tally: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    /// The days kept behind the newest day.
    package let retentionDays: Int
    /// The tallies by day number.
    package var days: [Int32: Tally] = [:]
    /// The newest day seen; `Int32.min` before any.
    package private(set) var latestDay = Int32.min

    /// The greatest retention: ten years.
    package static var maximumRetentionDays: Int { 3_660 }

    /// - Throws: ``CommunityError/invalidInput(field:reason:)`` for a retention below `minimum`
    ///   days or above ``maximumRetentionDays``; `what` names what is kept.
    package init(retentionDays: Int, minimum: Int, keeping what: String) throws(CommunityError) {
        guard (minimum...Self.maximumRetentionDays).contains(retentionDays) else {
            throw .invalidInput(
                field: "retentionDays",
                reason: "\(what) is kept \(minimum) to \(Self.maximumRetentionDays) days, not \(retentionDays)")
        }
        self.retentionDays = retentionDays
    }

    /// Notes a day seen: when it is the newest, the days that fell out of the window go.
    ///
    /// - Complexity: O(retained days) when the newest day moves, O(1) otherwise.
    package mutating func see(_ day: Int32) {
        guard day > latestDay else { return }
        latestDay = day
        let oldest = Int64(day) - Int64(retentionDays)
        for old in days.keys where Int64(old) < oldest { days[old] = nil }
    }

    /// Whether `day` is inside the window.
    package func keeps(_ day: Int32) -> Bool { Int64(day) >= Int64(latestDay) - Int64(retentionDays) }

    /// The first day still kept; nil before any day was seen.
    package var firstRetainedDay: LocalDate? {
        latestDay == .min ? nil : LocalDate(dayNumber: Int(latestDay) - retentionDays)
    }

    /// Refuses a period that starts before the days kept; `what` names what is kept.
    package func require(from first: LocalDate, keeping what: String) throws(CommunityError) {
        if let retained = firstRetainedDay, first < retained {
            throw .invalidInput(
                field: "period",
                reason: "\(what) is kept for the last \(retentionDays) days; the period starts on \(first), "
                    + "before \(retained)")
        }
    }

    /// The tallies of the days from `first` through `last`, by day.
    package func days(from first: LocalDate, through last: LocalDate) -> [(day: Int, tally: Tally)] {
        let range = Int64(first.dayNumber)...Int64(last.dayNumber)
        return days.filter { range.contains(Int64($0.key)) }.map { (Int($0.key), $0.value) }.sorted { $0.day < $1.day }
    }
}
