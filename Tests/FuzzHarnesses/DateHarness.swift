import CommunityModel
import Foundation
import Leadership

/// Day and quarter arithmetic at any values: days, months and years at the extremes of `Int`,
/// dates that are NaN or infinite, and every kind of time zone offset.
///
/// Properties: a calendar day is refused exactly when it is not one of the supported years;
/// a day's number gives the day back; adding days saturates at the first or last supported
/// day and otherwise moves by exactly that many days (and weekdays); a quarter holds its first
/// and last days, which follow the previous quarter's; every derived day is a supported one.
enum DateHarness {
    static let zones: [TimeZoneID] = [
        "UTC", "Asia/Kathmandu", "Pacific/Kiritimati", "America/St_Johns", "Pacific/Pago_Pago", "Australia/Lord_Howe",
    ].compactMap { try? TimeZoneID($0) }

    static let target = FuzzTarget(
        name: "dates",
        summary: "local days, day numbers, day and month arithmetic and quarters at any Int and Date"
    ) { bytes throws(PropertyViolation) in
        var input = FuzzInput(bytes)
        let year = input.bool() ? 1_890 + Int(input.byte()) + Int(input.byte() % 80) : input.anyInt()
        let month = input.bool() ? Int(input.byte() % 16) : input.anyInt()
        let dayOfMonth = input.bool() ? Int(input.byte() % 33) : input.anyInt()
        try checkCalendarDay(year: year, month: month, day: dayOfMonth)

        let shift = input.anyInt()
        let number = input.anyInt()
        let start = LocalDate(dayNumber: input.bool() ? number : LocalDate.first.dayNumber + (number & 0x1_FFFF))
        try checkAdding(shift, to: start)

        let first = LocalDate.firstOfMonth(year: year, month: month)
        try expect(first.isSupported && first.day == 1, "firstOfMonth(\(year), \(month)) gave \(first)")

        let seconds = Double(bitPattern: UInt64(bitPattern: input.int64()))
        let zone = input.pick(zones)
        let local = LocalDate(Date(timeIntervalSince1970: seconds), in: zone)
        try expect(local.isSupported, "the local day of \(seconds) s is \(local), not a supported day")

        try checkQuarter(Quarter(year: year, number: input.bool() ? Int(input.byte() % 6) : number), in: zone)
        _ = CohortMonth(year: year, month: month).description
    }

    static func checkCalendarDay(year: Int, month: Int, day: Int) throws(PropertyViolation) {
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let exists =
            LocalDate.supportedYears.contains(year) && (1...12).contains(month)
            && (1...(lengths[max(0, min(11, month - 1))] + (month == 2 && leap ? 1 : 0))).contains(day)
        do {
            let date = try LocalDate(year: year, month: month, day: day)
            try expect(exists, "\(year)-\(month)-\(day) was accepted")
            try expect(LocalDate(dayNumber: date.dayNumber) == date, "the day number of \(date) does not give it back")
            try expect(
                date.description == String(format: "%04d-%02d-%02d", year, month, day),
                "\(year)-\(month)-\(day) reads \(date)")
            try expect(
                LocalDate(Date(timeIntervalSince1970: Double(date.dayNumber) * 86_400 + 43_200), in: .utc) == date,
                "noon UTC of \(date) is another day")
        } catch let violation as PropertyViolation {
            throw violation
        } catch {
            try expect(!exists, "\(year)-\(month)-\(day) was refused: \(error)")
        }
    }

    static func checkAdding(_ days: Int, to start: LocalDate) throws(PropertyViolation) {
        try expect(start.isSupported, "LocalDate(dayNumber:) gave \(start)")
        let moved = start.adding(days: days)
        try expect(moved.isSupported, "\(start) + \(days) days gave \(moved)")
        let (sum, overflow) = start.dayNumber.addingReportingOverflow(days)
        let expected =
            overflow
            ? (days > 0 ? LocalDate.last : LocalDate.first)
            : LocalDate(dayNumber: min(max(sum, LocalDate.first.dayNumber), LocalDate.last.dayNumber))
        try expect(moved == expected, "\(start) + \(days) days gave \(moved), not \(expected)")
        if !overflow, (LocalDate.first.dayNumber...LocalDate.last.dayNumber).contains(sum) {
            try expect(moved.dayNumber == sum, "\(start) + \(days) days is day \(moved.dayNumber), not \(sum)")
            let weekday = (start.isoWeekday - 1 + days % 7 + 7) % 7 + 1
            try expect(moved.isoWeekday == weekday, "\(moved) is weekday \(moved.isoWeekday), not \(weekday)")
        }
    }

    static func checkQuarter(_ quarter: Quarter, in zone: TimeZoneID) throws(PropertyViolation) {
        let (first, last) = (quarter.firstDay, quarter.lastDay)
        try expect(first.isSupported && last.isSupported, "\(quarter) runs \(first)…\(last)")
        let interval = quarter.interval(in: zone)
        try expect(interval.lowerBound <= interval.upperBound, "\(quarter)'s interval runs backwards")
        guard (1...4).contains(quarter.number), LocalDate.supportedYears.contains(quarter.year) else { return }
        try expect(first < last, "\(quarter) runs \(first)…\(last)")
        try expect(
            Quarter(containing: first) == quarter && Quarter(containing: last) == quarter,
            "\(quarter) does not hold its days")
        if last != LocalDate.last {
            let next = Quarter(containing: last.adding(days: 1))
            try expect(next.firstDay == last.adding(days: 1), "\(next) does not follow \(quarter)")
        }
    }
}
