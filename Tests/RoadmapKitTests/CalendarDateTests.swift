import Foundation
import Testing

@testable import RoadmapKit

/// Days are counted by arithmetic in the proleptic Gregorian calendar (ISO 8601's), not through Foundation's
/// `Calendar`: the same answers from 1583 on, and no calendar to set up at start-up.
struct CalendarDateTests {
    @Test func knownDays() throws {
        #expect(CalendarDate(year: 1970, month: 1, day: 1)?.dayNumber == 0)
        #expect(CalendarDate(year: 1969, month: 12, day: 31)?.dayNumber == -1)
        #expect(CalendarDate(year: 2000, month: 3, day: 1)?.dayNumber == 11_017)
        let monday = try #require(CalendarDate(year: 2026, month: 12, day: 7))
        #expect(monday.isoWeekday == 1)
        #expect(monday.description == "2026-12-07")
        #expect(monday.longDescription == "Mon 7 Dec 2026")
        #expect(CalendarDate(year: 1, month: 1, day: 1)?.description == "0001-01-01")
        #expect(CalendarDate.latest.description == "9999-12-31")
    }

    @Test(arguments: [
        (2027, 2, 29, false), (2028, 2, 29, true), (1900, 2, 29, false), (2000, 2, 29, true), (2027, 4, 31, false),
        (2027, 12, 31, true), (2027, 13, 1, false), (2027, 0, 1, false), (2027, 1, 0, false), (0, 1, 1, false),
        (10_000, 1, 1, false), (1582, 10, 10, true),
    ])
    func validDays(year: Int, month: Int, day: Int, valid: Bool) {
        #expect((CalendarDate(year: year, month: month, day: day) != nil) == valid, "\(year)-\(month)-\(day)")
    }

    /// Day numbers far outside the years roadmap reads give some text, never a crash.
    @Test func extremeDayNumbersDoNotTrap() {
        for number in [Int.max, Int.min, Int.max - 719_468, Int.min + 146_096] {
            #expect(!CalendarDate(dayNumber: number).description.isEmpty)
        }
    }

    @Test func everyDayReadsBack() {
        let first = CalendarDate(year: 1, month: 1, day: 1)!.dayNumber
        var expected = (year: 1, month: 1, day: 1)
        for number in first...CalendarDate.latest.dayNumber {
            let date = CalendarDate(dayNumber: number)
            let parts = date.components
            guard parts == expected else {
                Issue.record("day \(number): \(parts) instead of \(expected)")
                return
            }
            guard CalendarDate(year: parts.year, month: parts.month, day: parts.day)?.dayNumber == number else {
                Issue.record("day \(number) does not read back")
                return
            }
            expected.day += 1
            if expected.day > CalendarDate.days(inMonth: expected.month, of: expected.year) {
                expected.day = 1
                expected.month += 1
                if expected.month > 12 { (expected.month, expected.year) = (1, expected.year + 1) }
            }
        }
    }

    @Test func agreesWithFoundationsCalendarFrom1583() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let first = CalendarDate(year: 1583, month: 1, day: 1)!.dayNumber
        for number in stride(from: first, through: CalendarDate.latest.dayNumber, by: 97) {
            let date = CalendarDate(dayNumber: number)
            let parts = calendar.dateComponents([.year, .month, .day], from: date.date)
            #expect(date.components == (parts.year!, parts.month!, parts.day!), "day \(number)")
        }
    }
}
