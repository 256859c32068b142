/// The plan as CSV for spreadsheets: a header row, then one row per module in plan order.
///
/// The text follows RFC 4180: fields separated by commas, records ended by CRLF, a field quoted when it holds
/// a comma, a double quote, a carriage return or a line feed, and a double quote inside a quoted field
/// doubled. It is UTF-8 without a byte order mark.
///
/// A spreadsheet takes a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
/// of them skip before looking) for a formula, so such a cell, even after leading spaces, is neutralised
/// with a leading apostrophe: `=cmd|' /C calc'!A0` is written `'=cmd|' /C calc'!A0` and shows as text.
/// Numbers are written as plain numbers (`7.5`, `1234`), dates as `YYYY-MM-DD`, booleans as `true`/`false`.
public struct PlanCSVRenderer: Sendable {
    /// The header row, in column order.
    public static let columns = [
        "id", "title", "package", "stage", "kind", "hours", "start_date", "end_date", "start_week", "end_week",
        "critical", "slack_weeks", "requires",
    ]

    /// A renderer; it keeps no state, so one can render any number of plans.
    public init() {}

    /// The whole file: the header and one record per module, each ended by CRLF.
    public func render(_ plan: Plan) -> String {
        var records = [Self.columns]
        for item in plan.items {
            records.append([
                item.id.description, item.module.title, item.id.package, item.stage.id, item.module.kind.rawValue,
                format(item.hours), item.startDate.description, item.endDate.description, String(item.startWeek),
                String(item.endWeek), item.critical ? "true" : "false", String(item.slackWeeks),
                item.requires.map(\.description).joined(separator: " "),
            ])
        }
        return records.map { $0.map(Self.field).joined(separator: ",") + "\r\n" }.joined()
    }

    /// Characters that make a spreadsheet read a cell as a formula when they come first.
    /// Compared scalar by scalar, so that a combining mark after one cannot hide it.
    static let formulaTriggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// `text` with a leading apostrophe when a spreadsheet would take it for a formula.
    static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first(where: { $0 != " " }), formulaTriggers.contains(first) else { return text }
        return "'" + text
    }

    /// One field: control characters other than line breaks and tabs dropped (they have no place in a
    /// spreadsheet, and a terminal would run them), neutralised, then quoted when RFC 4180 requires it.
    static func field(_ text: String) -> String {
        var visible = text
        if text.unicodeScalars.contains(where: { ($0.value < 0x20 && !["\t", "\n", "\r"].contains($0)) || $0.value == 0x7F }) {
            visible = ""
            visible.unicodeScalars.append(contentsOf: text.unicodeScalars.filter {
                !(($0.value < 0x20 && !["\t", "\n", "\r"].contains($0)) || $0.value == 0x7F)
            })
        }
        let safe = neutralised(visible)
        guard safe.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else {
            return safe
        }
        var quoted = "\""
        for scalar in safe.unicodeScalars {
            if scalar == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(scalar) }
        }
        return quoted + "\""
    }
}
