#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The status as text: bars per stage and per plugin, then schedule, pace, forecast and what is next.
public struct StatusTextRenderer: Sendable {
    /// Unicode block bars for terminals, `#` and `.` elsewhere.
    public var unicode: Bool
    /// ANSI colour, for terminals without `NO_COLOR`.
    public var color: Bool

    public init(unicode: Bool = false, color: Bool = false) {
        self.unicode = unicode
        self.color = color
    }

    func bar(_ group: StatusReport.Group, width: Int = 20) -> String {
        let fraction = group.hoursTotal > 0 ? min(1, group.hoursDone / group.hoursTotal) : 1
        let filled = Int((fraction * Double(width)).rounded())
        let full = String(repeating: unicode ? "█" : "#", count: filled)
        let empty = String(repeating: unicode ? "░" : ".", count: width - filled)
        let body = color ? "\u{1B}[32m\(full)\u{1B}[2m\(empty)\u{1B}[0m" : full + empty
        return "[\(body)] " + TextLayout.padLeft("\(Int((fraction * 100).rounded(.down)))%", 4)
    }

    func line(_ group: StatusReport.Group) -> String {
        let modules = "\(group.modulesDone)/\(group.modulesTotal) done" + (group.modulesInProgress > 0 ? ", \(group.modulesInProgress) going" : "")
        return "  " + TextLayout.fit(group.title, 25) + " " + bar(group) + "  " + TextLayout.fit(modules, 20)
            + TextLayout.padLeft("\(TextLayout.hours(group.hoursDone))/\(TextLayout.hours(group.hoursTotal)) h", 0)
    }

    public func render(_ report: StatusReport) -> String {
        var out: [String] = []
        out.append("Status" + (report.profile.name.map { " for \(TerminalText.line($0))" } ?? "") + " on \(report.today.longDescription)")
        out.append("")
        out.append("By stage")
        out += report.stages.map(line)
        if !report.plugins.isEmpty {
            out += ["", "By plugin"]
            out += report.plugins.map(line)
        }
        var overall = report.totals
        overall.title = "Overall"
        out += ["", line(overall)]
        out.append("")
        let labels = StatusFacts(report: report)
        for (label, value) in labels.rows {
            out.append(TextLayout.fit(label, 15) + TextLayout.wrap(value, width: 65).replacing("\n", with: "\n" + String(repeating: " ", count: 15)))
        }
        if !report.inProgress.isEmpty {
            out += ["", "In progress"]
            for id in report.inProgress.prefix(8) { out.append("  " + TextLayout.fit("\(id)", 50) + " " + TextLayout.truncate(report.titles[id] ?? "", to: 27)) }
        }
        if !report.stale.isEmpty {
            out += ["", "Stale (started, no hours for \(StatusBuilder.staleDays) days or more)"]
            for item in report.stale { out.append("  " + TextLayout.fit("\(item.module)", 50) + " last \(item.lastActivity), \(item.days) days ago") }
        }
        if !report.next.isEmpty {
            out += ["", "Ready to start next"]
            for id in report.next.prefix(5) { out.append("  " + TextLayout.fit("\(id)", 50) + " " + TextLayout.truncate(report.titles[id] ?? "", to: 27)) }
        }
        // Every text from a file went through `TextLayout` or `TerminalText.line`; the colour codes are ours.
        return out.map(\.trimmingTrailingSpaces).joined(separator: "\n") + "\n"
    }
}

/// The sentences of a status report, shared by its text and Markdown forms.
struct StatusFacts {
    let report: StatusReport

    var schedule: String {
        let weeks = abs(report.weeksAhead)
        let amount = weeks < 0.05 ? "" : TextLayout.hours((weeks * 10).rounded() / 10) + (abs(weeks - 1) < 0.05 ? " week" : " weeks")
        if report.expectedHours == 0 && report.today < report.profile.start.value { return "the plan starts on \(report.profile.start.value.longDescription)" }
        if amount.isEmpty { return "on schedule with the plan" }
        return (report.weeksAhead > 0 ? "ahead by " : "behind by ") + amount
            + " (\(TextLayout.hours((report.totals.hoursDone * 10).rounded() / 10)) h done, "
            + "\(TextLayout.hours((report.expectedHours * 10).rounded() / 10)) h planned by today)"
    }

    var pace: String {
        switch report.paceSource {
        case .profile:
            return "\(TextLayout.hours(report.pace)) h a week, from the profile: under \(StatusBuilder.minimumDataDays / 7) weeks of check-ins so far"
        case .journal(let weeks):
            return "\(TextLayout.hours((report.pace * 10).rounded() / 10)) h a week over the last \(TextLayout.hours((weeks * 10).rounded() / 10)) weeks"
        }
    }

    var forecast: String {
        switch report.forecast {
        case .finished: return "finished: everything in the plan is done"
        case .noPace: return "no forecast until hours are logged"
        case .tooLong: return "no forecast: at this pace the rest would take more than \(StatusBuilder.maxForecastYears) years"
        case .date(let finish, let milestones):
            var text = "finish \(finish.longDescription)"
            let stages = milestones.filter { $0.week > 0 }.map { "\($0.stage.title) \($0.date)" }
            if !stages.isEmpty { text += "; " + stages.joined(separator: ", ") }
            return text
        }
    }

    var deadline: String? {
        guard let deadline = report.deadline else { return nil }
        if report.today > deadline { return "\(deadline.longDescription) has passed" }
        guard let margin = report.deadlineMarginWeeks else {
            if case .finished = report.forecast { return "\(deadline.longDescription): met" }
            return "\(deadline.longDescription): at risk, no forecast yet"
        }
        return margin >= 0
            ? "\(deadline.longDescription): on track, \(TextLayout.plural(margin, "week")) to spare"
            : "\(deadline.longDescription): at risk, the forecast is \(TextLayout.plural(-margin, "week")) late"
    }

    var rows: [(String, String)] {
        var rows = [("Schedule", schedule), ("Pace", pace), ("Forecast", forecast)]
        if let deadline { rows.append(("Deadline", deadline)) }
        rows.append(("Last check-in", report.lastCheckin.map(\.longDescription) ?? "none yet"))
        return rows
    }
}

/// The status as JSON.
public struct StatusJSONRenderer: Sendable {
    public init() {}

    struct Group: Encodable {
        var id: String
        var title: String
        var modules_done: Int
        var modules_in_progress: Int
        var modules_left: Int
        var hours_done: Double
        var hours_total: Double
    }
    struct Stale: Encodable {
        var id: String
        var last_activity: String
        var days: Int
    }
    struct Milestone: Encodable {
        var stage: String
        var date: String
    }
    struct Document: Encodable {
        var today: String
        var stages: [Group]
        var plugins: [Group]
        var totals: Group
        var expected_hours: Double
        var weeks_ahead: Double
        var pace_hours_per_week: Double
        var pace_source: String
        var forecast: String
        var forecast_finish_date: String?
        var forecast_milestones: [Milestone]
        var deadline: String?
        var deadline_margin_weeks: Int?
        var in_progress: [String]
        var next: [String]
        var stale: [Stale]
        var last_checkin: String?
    }

    static func group(_ group: StatusReport.Group) -> Group {
        Group(
            id: group.id, title: group.title, modules_done: group.modulesDone, modules_in_progress: group.modulesInProgress,
            modules_left: group.modulesLeft, hours_done: PlanJSONRenderer.round(group.hoursDone),
            hours_total: PlanJSONRenderer.round(group.hoursTotal))
    }

    public func render(_ report: StatusReport) throws -> String {
        var finish: String?
        var milestones: [Milestone] = []
        let kind: String
        switch report.forecast {
        case .finished: kind = "finished"
        case .noPace: kind = "no-pace"
        case .tooLong: kind = "too-long"
        case .date(let date, let stages):
            kind = "date"
            finish = date.description
            milestones = stages.map { Milestone(stage: $0.stage.id, date: $0.date.description) }
        }
        let source: String
        switch report.paceSource {
        case .profile: source = "profile"
        case .journal: source = "journal"
        }
        let document = Document(
            today: report.today.description, stages: report.stages.map(Self.group), plugins: report.plugins.map(Self.group),
            totals: Self.group(report.totals), expected_hours: PlanJSONRenderer.round(report.expectedHours),
            weeks_ahead: PlanJSONRenderer.round(report.weeksAhead), pace_hours_per_week: PlanJSONRenderer.round(report.pace),
            pace_source: source, forecast: kind, forecast_finish_date: finish, forecast_milestones: milestones,
            deadline: report.deadline?.description, deadline_margin_weeks: report.deadlineMarginWeeks,
            in_progress: report.inProgress.map(\.description), next: report.next.map(\.description),
            stale: report.stale.map { Stale(id: $0.module.description, last_activity: $0.lastActivity.description, days: $0.days) },
            last_checkin: report.lastCheckin?.description)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
