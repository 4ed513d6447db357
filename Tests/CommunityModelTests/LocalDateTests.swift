import CommunityModel
import Foundation
import Testing

/// A local day is always a calendar day of the supported years (issue 27): checked when made and
/// when decoded, fixed once made, and its arithmetic stays in range instead of overflowing.
@Suite("Local days")
struct LocalDateTests {
    @Test("a day that does not exist, or lies outside 1900 to 2200, is refused naming the range")
    func refused() {
        for (year, month, day) in [
            (2026, 2, 29), (2026, 13, 1), (2026, 0, 1), (2026, 4, 31), (1899, 12, 31),
            (2201, 1, 1), (Int.max, 1, 1), (2026, 1, Int.min),
        ] {
            #expect(throws: CommunityError.self) { try LocalDate(year: year, month: month, day: day) }
        }
        #expect(throws: Never.self) { try LocalDate(year: 2024, month: 2, day: 29) }
        #expect(throws: Never.self) { try LocalDate(year: 1900, month: 1, day: 1) }
        #expect(throws: Never.self) { try LocalDate(year: 2200, month: 12, day: 31) }
    }

    @Test("decoding checks the day as the initializer does")
    func decoding() throws {
        let good = try JSONDecoder().decode(LocalDate.self, from: Data(#"{"year":2026,"month":3,"day":9}"#.utf8))
        #expect(good == (try LocalDate(year: 2026, month: 3, day: 9)))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(LocalDate.self, from: Data(#"{"year":2026,"month":2,"day":30}"#.utf8))
        }
        #expect(try JSONDecoder().decode(LocalDate.self, from: JSONEncoder().encode(good)) == good)
    }

    @Test("arithmetic past the supported years stays at their first or last day")
    func saturates() throws {
        let day = try LocalDate(year: 2026, month: 3, day: 9)
        #expect(day.adding(days: .max) == LocalDate.last)
        #expect(day.adding(days: .min) == LocalDate.first)
        #expect(LocalDate(dayNumber: .max) == LocalDate.last)
        #expect(LocalDate(Date(timeIntervalSince1970: .nan), in: .utc) == LocalDate.first)
        #expect(LocalDate(Date(timeIntervalSince1970: .infinity), in: .utc) == LocalDate.last)
        #expect(LocalDate.firstOfMonth(year: .max, month: .max) == (try LocalDate(year: 2200, month: 12, day: 1)))
        #expect(LocalDate.firstOfMonth(year: 2026, month: 13) == (try LocalDate(year: 2027, month: 1, day: 1)))
        #expect(LocalDate.firstOfMonth(year: 2026, month: 0) == (try LocalDate(year: 2025, month: 12, day: 1)))
    }
}
