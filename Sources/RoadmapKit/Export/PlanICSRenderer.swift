/// The plan as an iCalendar file (RFC 5545) to import into a calendar or subscribe to.
///
/// It holds one all-day event for each module's scheduled span (from the first day of its first week to the
/// last day of its last week), one for each stage milestone still ahead (the last day of the week it is
/// reached) and one for the deadline when there is one. Module events are marked free (`TRANSP:TRANSPARENT`),
/// since a module is studied a few hours a week rather than all day.
///
/// The output is reproducible and safe to import again:
/// - `DTSTAMP` is midnight UTC of the plan's `today`, never the clock, so the same plan gives the same bytes;
/// - every `UID` is made of what the event is about (the module's `PACKAGE/ID`, the stage, the deadline) and
///   a hash of who the plan is for (the profile's name and roadmap), so exporting the same plan again, even
///   rescheduled, gives the same UIDs and a calendar updates its events instead of adding copies, while two
///   people's plans never share one.
///
/// Texts are escaped (`\\`, `\;`, `\,`, `\n`; other control characters dropped), lines end with CRLF and are
/// folded at 75 octets, never inside a UTF-8 sequence.
public struct PlanICSRenderer: Sendable {
    /// A renderer; it keeps no state, so one can render any number of plans.
    public init() {}

    /// The whole calendar.
    public func render(_ plan: Plan) -> String {
        let facts = PlanFacts(plan: plan)
        let identity = Self.identity(plan)
        let stamp = Self.dateTime(plan.today)
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//roadmap//roadmap \(RoadmapKitVersion.current)//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + Self.text(facts.title),
            "X-WR-CALDESC:" + Self.text((plan.currentStage?.title ?? "starting out") + " → " + plan.targetStage.title + ", " + facts.pace),
        ]
        func event(uid: String, start: CalendarDate, end: CalendarDate, summary: String, description: String,
                   category: String, free: Bool) {
            lines += [
                "BEGIN:VEVENT",
                "UID:" + uid,
                "DTSTAMP:" + stamp,
                "DTSTART;VALUE=DATE:" + Self.date(start),
                // DTEND of an all-day event is the day after its last day (RFC 5545, 3.6.1).
                "DTEND;VALUE=DATE:" + Self.date(end.adding(days: 1)),
                "SUMMARY:" + Self.text(summary),
                "DESCRIPTION:" + Self.text(description),
                "CATEGORIES:" + Self.text(category),
                "TRANSP:" + (free ? "TRANSPARENT" : "OPAQUE"),
                "END:VEVENT",
            ]
        }
        for item in plan.items {
            event(
                uid: "module.\(item.id.package).\(item.id.name).\(identity)@roadmap", start: item.startDate,
                end: item.endDate, summary: item.module.title, description: Self.describe(item, in: plan),
                category: item.stage.title, free: true)
        }
        for milestone in plan.milestones where milestone.week > 0 {
            event(
                uid: "milestone.\(milestone.stage.id).\(identity)@roadmap", start: milestone.date, end: milestone.date,
                summary: "Milestone: \(milestone.stage.title)",
                description: "Everything up to \(milestone.stage.title) is studied by the end of week \(milestone.week) "
                    + "of \(facts.title.lowercasedFirst).",
                category: "Milestone", free: true)
        }
        if let feasibility = plan.feasibility {
            let verdict = facts.deadline.enumerated().map { $0 == 0 ? $1 : "- " + $1 }.joined(separator: "\n")
            event(
                uid: "deadline.\(identity)@roadmap", start: feasibility.deadline, end: feasibility.deadline,
                summary: "Deadline: \(plan.targetStage.title)",
                description: "Deadline of \(facts.title.lowercasedFirst), finishing \(facts.finish).\n" + verdict,
                category: "Deadline", free: false)
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined()
    }

    /// The DESCRIPTION of a module's event: what, when, what it needs, and how to study it.
    static func describe(_ item: PlanItem, in plan: Plan) -> String {
        var lines = ["\(item.id) · \(item.stage.title) · \(TextLayout.hours(item.hours)) h"]
        let weeks = item.startWeek == item.endWeek ? "Week \(item.startWeek)" : "Weeks \(item.startWeek)-\(item.endWeek)"
        lines.append(
            "\(weeks), \(item.startDate.longDescription) - \(item.endDate.longDescription); "
                + (item.critical ? "on the critical path" : "slack \(TextLayout.plural(item.slackWeeks, "week"))"))
        if item.loggedHours > 0 || item.inProgress {
            lines.append((item.inProgress ? "In progress, " : "") + "\(TextLayout.hours(item.loggedHours)) h logged")
        }
        if !item.requires.isEmpty { lines.append("Requires: " + item.requires.map(\.description).joined(separator: ", ")) }
        if !item.module.outcomes.isEmpty { lines += ["Outcomes:"] + item.module.outcomes.map { "- " + $0 } }
        if !item.module.resources.isEmpty {
            lines.append("Resources:")
            lines += item.module.resources.map { "- " + $0.title + ($0.url.map { ": " + $0 } ?? "") }
        }
        if let evidence = item.module.evidence { lines.append("Evidence: " + evidence) }
        return lines.joined(separator: "\n")
    }

    /// 16 hex digits identifying whom the plan is for: FNV-1a (64 bits) of the roadmap and the profile's name.
    /// Stable across runs and machines, unlike `Hasher`.
    static func identity(_ plan: Plan) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (plan.profile.roadmap.value + "\u{1F}" + (plan.profile.name ?? "")).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// `20270104`.
    static func date(_ day: CalendarDate) -> String { day.description.replacing("-", with: "") }

    /// Midnight UTC of a day: `20261201T000000Z`.
    static func dateTime(_ day: CalendarDate) -> String { date(day) + "T000000Z" }

    /// A TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma and line breaks escaped; other control
    /// characters, which the grammar does not allow, dropped.
    static func text(_ value: String) -> String {
        var out = ""
        var afterCR = false
        for scalar in value.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !afterCR { out += "\\n" }
            case "\t": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// One content line, folded (RFC 5545, 3.1) so that no line is longer than 75 octets without its CRLF:
    /// each continuation starts with a space, and a break never falls inside a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        var out = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let size = UTF8.width(scalar)
            if octets + size > 75 {
                out += "\r\n "
                octets = 1
            }
            out.unicodeScalars.append(scalar)
            octets += size
        }
        return out + "\r\n"
    }
}

fileprivate extension String {
    /// "Study plan for Ada" -> "study plan for Ada".
    var lowercasedFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}
