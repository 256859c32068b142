/// What a check-in says about a module.
public enum CheckinStatus: String, Hashable, Sendable, CaseIterable, Codable {
    case started, done, skipped

    /// Done and skipped modules leave the plan.
    public var isFinished: Bool { self != .started }
}

/// One check-in: hours spent on a module, and perhaps a change of its status.
public struct JournalEntry: Hashable, Sendable {
    /// The day of the check-in.
    public var at: CalendarDate
    /// The moment, when the entry gave a time of day; kept as written.
    public var atText: String
    /// The module as written: `PACKAGE/ID`, a bare id or an old alias.
    public var module: Located<String>
    public var status: CheckinStatus?
    public var hours: Double
    public var note: String?
    public var evidence: String?
    /// Where the entry starts.
    public var location: SourceLocation

    public init(
        at: CalendarDate, atText: String? = nil, module: Located<String>, status: CheckinStatus?, hours: Double,
        note: String?, evidence: String?, location: SourceLocation
    ) {
        self.at = at
        self.atText = atText ?? at.description
        self.module = module
        self.status = status
        self.hours = hours
        self.note = note
        self.evidence = evidence
        self.location = location
    }

    /// The entry as YAML, ready to append to a journal: one list item ending in a newline.
    public var yaml: String {
        var lines = ["- at: \(YAMLText.scalar(atText))", "  module: \(YAMLText.scalar(module.value))"]
        if let status { lines.append("  status: \(status.rawValue)") }
        lines.append("  hours: \(format(hours))")
        if let note { lines.append("  note: \(YAMLText.quoted(note))") }
        if let evidence { lines.append("  evidence: \(YAMLText.quoted(evidence))") }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Writing YAML scalars safely.
public enum YAMLText {
    /// A double-quoted scalar with every special character escaped; always reads back as the same text.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20 || c.value == 0x7F || (0x80...0x9F).contains(c.value)
                || c.value == 0x2028 || c.value == 0x2029 || c.value == 0xFEFF:
                out += CFormat.string("\\u%04X", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Plain when that is safe (ids, dates), quoted otherwise.
    public static func scalar(_ text: String) -> String {
        let safe = !text.isEmpty && text.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || "-/:._+".unicodeScalars.contains($0)
        } && !text.hasPrefix("-") && !text.contains(": ") && !text.hasSuffix(":")
        return safe ? text : quoted(text)
    }
}

/// A progress journal: the check-ins in the order they were written.
public struct Journal: Sendable {
    public var file: String
    public var entries: [JournalEntry]

    public init(file: String, entries: [JournalEntry]) {
        self.file = file
        self.entries = entries
    }
}

/// Reads journals: tolerant of what people write by hand (dates with or without a time, old aliases),
/// strict about what is wrong (negative hours, an unknown status), with located diagnostics.
public struct JournalDecoder: Sendable {
    public static let keys = ["at", "module", "status", "hours", "note", "evidence"]
    /// The most entries read from one journal (decades of weekly check-ins fit easily).
    public static let maxEntries = 100_000
    /// The most hours one entry may log: a whole week.
    public static let maxHoursPerEntry = 168.0

    public init() {}

    public func decode(_ document: YAMLDocument, diagnostics: inout Diagnostics) -> Journal {
        var entries: [JournalEntry] = []
        guard let root = document.root, !root.isNull else { return Journal(file: document.file, entries: []) }
        guard root.kind == .sequence else {
            diagnostics.error(
                .wrongType, "expected the journal to be a list of check-ins, found \(root.kindDescription)", at: root.location,
                help: ["each check-in starts with '- at: DATE'"])
            return Journal(file: document.file, entries: [])
        }
        if root.items.count > Self.maxEntries {
            diagnostics.error(
                .limitExceeded, "journal has \(root.items.count) entries, more than the limit of \(Self.maxEntries)",
                at: root.location, help: ["move older entries to an archive file"])
            return Journal(file: document.file, entries: [])
        }
        for item in root.items {
            if let entry = decodeEntry(item, diagnostics: &diagnostics) { entries.append(entry) }
        }
        return Journal(file: document.file, entries: entries)
    }

    func decodeEntry(_ node: YAMLNode, diagnostics: inout Diagnostics) -> JournalEntry? {
        let before = diagnostics.errorCount
        guard let fields = FieldReader(node, context: "check-in", allowed: Self.keys, diagnostics: &diagnostics) else { return nil }
        var date: CalendarDate?
        var atText: String?
        if let at = fields.string("at", required: true, diagnostics: &diagnostics) {
            date = CalendarDate(parsing: at.value)
            atText = at.value
            if date == nil {
                diagnostics.error(
                    .invalidDate, "'at' is '\(at.value)', which is not a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM)",
                    at: at.location)
            }
        }
        let module = fields.string("module", required: true, diagnostics: &diagnostics)
        var status: CheckinStatus?
        if let text = fields.string("status", diagnostics: &diagnostics) {
            status = CheckinStatus(rawValue: text.value)
            if status == nil {
                let names = CheckinStatus.allCases.map(\.rawValue)
                diagnostics.error(
                    .invalidValue, "unknown status '\(text.value)'; expected started, done or skipped", at: text.location,
                    help: Suggestions.didYouMean(Suggestions.closest(to: text.value, among: names)).map { [$0] } ?? [])
            }
        }
        var hours = 0.0
        if let number = fields.number("hours", diagnostics: &diagnostics) {
            if number.value < 0 {
                diagnostics.error(.invalidHours, "'hours' must not be negative, found \(format(number.value))", at: number.location)
            } else if number.value > Self.maxHoursPerEntry {
                diagnostics.error(
                    .invalidHours, "'hours' is \(format(number.value)), more than the \(format(Self.maxHoursPerEntry)) hours in a week",
                    at: number.location)
            } else {
                hours = number.value
            }
        }
        if !fields.has("hours") && !fields.has("status") {
            diagnostics.error(.missingKey, "check-in has neither 'hours' nor 'status'", at: node.location)
        }
        let note = fields.string("note", diagnostics: &diagnostics)?.value
        let evidence = fields.string("evidence", diagnostics: &diagnostics)?.value
        guard diagnostics.errorCount == before, let date, let module else { return nil }
        return JournalEntry(
            at: date, atText: atText, module: module, status: status, hours: hours, note: note, evidence: evidence,
            location: node.location)
    }
}
