#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A day on the calendar, with no time or zone: what profiles, journals and plans talk about.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// Days since 1970-01-01.
    public var dayNumber: Int

    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// The last day roadmap reads or plans for: 9999-12-31.
    public static let latest = CalendarDate(year: 9999, month: 12, day: 31)!

    /// A day of the proleptic Gregorian calendar (ISO 8601's, also before 1582), years 1 to 9999; nil for a day
    /// that does not exist, such as 2027-02-29.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= Self.days(inMonth: month, of: year)
        else { return nil }
        // Howard Hinnant's days_from_civil: years start in March, so that the leap day comes last.
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        dayNumber = era * 146_097 + dayOfEra - 719_468
    }

    static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Reads `YYYY-MM-DD`, or a date-time that starts with one (`2027-01-10T18:30:00Z`, `2027-01-10 18:30`),
    /// keeping the day as written.
    public init?(parsing text: String) {
        let trimmed = text.trimmingSpaces
        let utf8 = Array(trimmed.utf8)
        guard utf8.count >= 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-") else { return nil }
        if utf8.count > 10 {
            guard utf8[10] == UInt8(ascii: "T") || utf8[10] == UInt8(ascii: "t") || utf8[10] == UInt8(ascii: " "),
                Self.isTimeOfDay(String(decoding: utf8[11...], as: UTF8.self))
            else { return nil }
        }
        guard let year = Int(String(decoding: utf8[0..<4], as: UTF8.self)),
            let month = Int(String(decoding: utf8[5..<7], as: UTF8.self)),
            let day = Int(String(decoding: utf8[8..<10], as: UTF8.self))
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// `HH:MM[:SS[.fff]]` with an optional `Z` or `±HH:MM`.
    /// White space may surround the time and separate it from the zone; digits are ASCII.
    static func isTimeOfDay(_ text: String) -> Bool {
        var scanner = TimeScanner(Array(text.unicodeScalars))
        scanner.skipSpaces()
        guard scanner.twoDigits(upTo: 23), scanner.take(":"), scanner.twoDigits(upTo: 59) else { return false }
        if scanner.take(":") {
            guard scanner.twoDigits(upTo: 59) else { return false }
            if scanner.take(".") && scanner.digits() == 0 { return false }
        }
        scanner.skipSpaces()
        if scanner.take("Z") || scanner.take("z") {
        } else if scanner.take("+") || scanner.take("-") {
            guard scanner.twoDigits(upTo: 23) else { return false }
            let colon = scanner.take(":")
            if !scanner.twoDigits(upTo: 59) && colon { return false }
        }
        return scanner.atEnd
    }

    /// Today in the local time zone (`TZ`, else the system's), as the C library reads it: FoundationEssentials,
    /// which roadmap links instead of Foundation, has no time zone database.
    public static func today(now: Date = Date()) -> CalendarDate {
        var seconds = time_t(now.timeIntervalSince1970.rounded(.down))
        var local = tm()
        guard localtime_r(&seconds, &local) != nil,
            let day = CalendarDate(year: Int(local.tm_year) + 1900, month: Int(local.tm_mon) + 1, day: Int(local.tm_mday))
        else { return CalendarDate(dayNumber: Int((now.timeIntervalSince1970 / 86_400).rounded(.down))) }
        return day
    }

    public var date: Date { Date(timeIntervalSince1970: Double(dayNumber) * 86_400) }

    /// Year, month and day in the proleptic Gregorian calendar (Howard Hinnant's civil_from_days).
    public var components: (year: Int, month: Int, day: Int) {
        // Wrapping, so that a day number far outside years 1-9999 gives a wrong year rather than a crash.
        let z = dayNumber &+ 719_468
        let era = (z >= 0 ? z : z &- 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// 1 for Monday through 7 for Sunday.
    public var isoWeekday: Int { ((dayNumber % 7) + 7 + 3) % 7 + 1 }

    public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    /// Whole weeks from `start` to `end`, rounded down: negative as soon as `end` is before `start`.
    public static func weeks(from start: CalendarDate, to end: CalendarDate) -> Int {
        let days = end.dayNumber - start.dayNumber
        return days >= 0 ? days / 7 : -((-days + 6) / 7)
    }

    /// The first Monday after this day (a week later when this day is a Monday).
    public var nextMonday: CalendarDate { adding(days: 8 - isoWeekday) }

    public var description: String {
        let (year, month, day) = components
        return CFormat.string("%04d-%02d-%02d", year, month, day)
    }

    /// `Mon 4 Jan 2027`.
    public var longDescription: String {
        let (year, month, day) = components
        let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][isoWeekday - 1]
        return "\(weekday) \(day) \(Self.monthNames[month - 1]) \(year)"
    }

    /// `4 Jan`.
    public var shortDescription: String {
        let (_, month, day) = components
        return "\(day) \(Self.monthNames[month - 1])"
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.dayNumber < rhs.dayNumber }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad date"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Reads a time of day scalar by scalar, for ``CalendarDate/isTimeOfDay(_:)``.
private struct TimeScanner {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    var atEnd: Bool { position == scalars.count }

    mutating func skipSpaces() {
        while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
    }

    mutating func take(_ scalar: Unicode.Scalar) -> Bool {
        guard position < scalars.count, scalars[position] == scalar else { return false }
        position += 1
        return true
    }

    private func digit(at index: Int) -> Int? {
        guard index < scalars.count, ("0"..."9").contains(scalars[index]) else { return nil }
        return Int(scalars[index].value) - 48
    }

    /// Two ASCII digits making at most `limit`; nothing is consumed otherwise.
    mutating func twoDigits(upTo limit: Int) -> Bool {
        guard let tens = digit(at: position), let ones = digit(at: position + 1), tens * 10 + ones <= limit else { return false }
        position += 2
        return true
    }

    /// Consumes ASCII digits; how many.
    mutating func digits() -> Int {
        let start = position
        while digit(at: position) != nil { position += 1 }
        return position - start
    }
}
