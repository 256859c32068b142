#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The plan as one self-contained HTML report to open in a browser, send to a mentor or print.
///
/// It shows, top to bottom: who the plan is for and its summary (the same sentences as the text and Markdown
/// views, from ``PlanFacts``); a week-by-week timeline (a Gantt chart: one bar per module, coloured by stage,
/// with stage milestones, the deadline and today as vertical lines); the dependency graph, laid out in
/// columns by stage and, within a stage, by depth of requirement; and the table of modules with their
/// outcomes and resources. When the plan carries progress (hours logged, modules in progress) it is drawn
/// over the bars and nodes.
///
/// The file needs no network: CSS and SVG are inline, there is no script, font or image to fetch, and a
/// Content-Security-Policy forbids loading any. Every text that comes from a roadmap, plugin, profile or
/// journal is HTML-escaped, and only `http(s)` resource links become links. The layout adapts from a phone's
/// width to a wide screen (the charts scroll sideways in their own frame, with the module names kept in
/// view), and a print style fits the charts to a landscape page.
public struct PlanHTMLRenderer: Sendable {
    /// A renderer; it keeps no state, so one can render any number of plans.
    public init() {}

    /// The whole document; with `status`, a progress section (bars per stage and plugin, schedule, pace,
    /// forecast, what is next) opens the report, as `roadmap status --format html` shows it.
    public func render(_ plan: Plan, status: StatusReport? = nil) -> String {
        let facts = PlanFacts(plan: plan)
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <meta name="generator" content="roadmap \(RoadmapKitVersion.current)">
            <title>\(Self.escape(facts.title))</title>
            <style>
            \(Self.css)</style>
            </head>
            <body>

            """
        html += header(plan, facts)
        if let status { html += StatusHTML(report: status).html }
        if plan.items.isEmpty {
            html += "<main><p class=\"empty\">Nothing to study: everything up to \(Self.escape(plan.targetStage.title)) is mastered.</p></main>\n"
        } else {
            html += "<main>\n"
            html += HTMLTimeline(plan: plan).html
            html += HTMLDependencyGraph(plan: plan).html
            html += moduleTable(plan)
            html += "</main>\n"
        }
        html += "<footer>Made by roadmap \(RoadmapKitVersion.current) on \(Self.escape(plan.today.longDescription)). "
        html += "Modules on the critical path have no slack: any delay to them moves the finish.</footer>\n"
        html += "</body>\n</html>\n"
        return html
    }

    // MARK: Header and summary

    private func header(_ plan: Plan, _ facts: PlanFacts) -> String {
        var out = "<header>\n<h1>\(Self.escape(facts.title))</h1>\n"
        // Built here rather than by replacing "->" in `facts.journey`, which would change a stage title holding "->".
        out += "<p class=\"journey\">\(Self.escape(plan.currentStage?.title ?? "starting out")) → \(Self.escape(plan.targetStage.title))</p>\n"
        out += "<p class=\"packages\">\(Self.escape(facts.packages))</p>\n"
        out += "<div class=\"cards\">\n"
        out += card("Work", [facts.work, facts.pace])
        if plan.finishWeek > 0 {
            out += card("Finish", [
                plan.finishDate.longDescription,
                "week \(plan.finishWeek); no plan can beat \(TextLayout.plural(plan.lowerBoundWeeks, "week"))",
            ])
        } else {
            out += card("Finish", [facts.finish])
        }
        if let feasibility = plan.feasibility {
            let lines = facts.deadline
            var body = "<p class=\"verdict \(feasibility.holds ? "met" : "missed")\">\(Self.escape(lines.first ?? ""))</p>"
            if lines.count > 1 {
                body += "<ul>" + lines.dropFirst().map { "<li>\(Self.escape($0))</li>" }.joined() + "</ul>"
            }
            out += "<section class=\"card\"><h2>Deadline</h2>\(body)</section>\n"
        }
        if !plan.milestones.isEmpty {
            let rows = plan.milestones.map { milestone -> String in
                let when = milestone.week == 0 ? "already reached" : "week \(milestone.week), \(milestone.date.longDescription)"
                return "<li><span class=\"swatch\" style=\"background:\(Self.color(milestone.stage))\"></span>"
                    + "<b>\(Self.escape(milestone.stage.title))</b>: \(Self.escape(when))</li>"
            }
            out += "<section class=\"card\"><h2>Milestones</h2><ul class=\"plain\">\(rows.joined())</ul></section>\n"
        }
        let logged = plan.items.reduce(0) { $0 + $1.loggedHours }
        let started = plan.items.filter(\.inProgress).count
        if logged > 0 || started > 0 {
            out += card("Progress", [
                "\(TextLayout.plural(started, "module")) in progress",
                "\(TextLayout.hours(logged)) h logged on modules still in the plan",
            ])
        }
        if let moved = plan.movedModules {
            out += card("Replanned", ["from \(plan.today.longDescription)", "\(TextLayout.plural(moved, "untouched module")) changed order"])
        }
        out += "</div>\n</header>\n"
        return out
    }

    private func card(_ title: String, _ lines: [String]) -> String {
        let body = lines.enumerated().map { index, line in
            index == 0 ? "<p class=\"big\">\(Self.escape(line))</p>" : "<p>\(Self.escape(line))</p>"
        }
        return "<section class=\"card\"><h2>\(Self.escape(title))</h2>\(body.joined())</section>\n"
    }

    // MARK: Module table

    private func moduleTable(_ plan: Plan) -> String {
        var out = "<section id=\"modules\">\n<h2>Modules</h2>\n"
        out += "<p class=\"note\">In the order they start. Hours are what the plan schedules; slack is how many weeks a module may slip without moving the finish; ✓ marks a requirement already mastered.</p>\n"
        out += "<table class=\"modules\">\n<thead><tr><th>Weeks</th><th>Module</th><th class=\"num\">Hours</th><th>Dates</th><th>What to learn and where</th></tr></thead>\n<tbody>\n"
        let inPlan = Set(plan.items.map(\.id))
        for item in plan.items {
            let weeks = item.startWeek == item.endWeek ? "\(item.startWeek)" : "\(item.startWeek)–\(item.endWeek)"
            var classes: [String] = []
            if item.critical { classes.append("critical") }
            if item.inProgress { classes.append("in-progress") }
            out += "<tr id=\"\(Self.escape(Self.anchor(item.id)))\"\(classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\"")>"
            out += "<td data-label=\"Weeks\">\(weeks)</td>"
            var module = "<b>\(Self.escape(item.module.title))</b> <code>\(Self.escape(item.id.description))</code><br>"
            module += "<span class=\"chip\" style=\"border-color:\(Self.color(item.stage))\"><span class=\"swatch\" style=\"background:\(Self.color(item.stage))\"></span>\(Self.escape(item.stage.title))</span>"
            if item.module.kind != .topic { module += "<span class=\"chip\">\(item.module.kind.rawValue)</span>" }
            if item.module.optional { module += "<span class=\"chip\">optional</span>" }
            if item.critical { module += "<span class=\"chip crit\">critical path</span>" }
            else { module += "<span class=\"chip\">slack \(TextLayout.plural(item.slackWeeks, "week"))</span>" }
            if item.inProgress { module += "<span class=\"chip prog\">in progress</span>" }
            if item.endDate < plan.today { module += "<span class=\"chip late\">behind: due \(Self.escape(item.endDate.longDescription))</span>" }
            let requires = item.requires.map { id -> String in
                inPlan.contains(id)
                    ? "<a href=\"#\(Self.escape(Self.anchor(id)))\">\(Self.escape(id.description))</a>"
                    : "<span title=\"mastered\">\(Self.escape(id.description)) ✓</span>"
            }
            if !requires.isEmpty { module += "<div class=\"requires\">Requires: \(requires.joined(separator: ", "))</div>" }
            out += "<td data-label=\"Module\">\(module)</td>"
            var hours = TextLayout.hours(item.hours)
            if item.loggedHours > 0 { hours += "<br><small>\(TextLayout.hours(item.loggedHours)) logged</small>" }
            out += "<td data-label=\"Hours\" class=\"num\">\(hours)</td>"
            out += "<td data-label=\"Dates\">\(Self.escape(item.startDate.shortDescription))–\(Self.escape(item.endDate.shortDescription)) \(item.endDate.components.year)</td>"
            var study = ""
            if !item.module.outcomes.isEmpty {
                study += "<ul class=\"outcomes\">" + item.module.outcomes.map { "<li>\(Self.escape($0))</li>" }.joined() + "</ul>"
            }
            if !item.module.resources.isEmpty {
                study += "<ul class=\"resources\">" + item.module.resources.map { "<li>\(Self.resource($0))</li>" }.joined() + "</ul>"
            }
            if let evidence = item.module.evidence {
                study += "<p class=\"evidence\">Evidence: \(Self.escape(evidence))</p>"
            }
            out += "<td data-label=\"Study\">\(study)</td></tr>\n"
        }
        out += "</tbody>\n</table>\n</section>\n"
        return out
    }

    /// A resource as a link when its URL is http(s), as text otherwise, with its type.
    static func resource(_ resource: Resource) -> String {
        var out: String
        if let url = resource.url, url.hasPrefix("https://") || url.hasPrefix("http://") {
            out = "<a href=\"\(escape(url))\" rel=\"noopener noreferrer\">\(escape(resource.title))</a>"
        } else {
            out = escape(resource.title)
            if let url = resource.url { out += " (\(escape(url)))" }
        }
        if let type = resource.type { out += " <small>\(escape(type))</small>" }
        return out
    }

    // MARK: Shared helpers

    /// Text or attribute value made safe for HTML and SVG: `& < > " '` as character references, control
    /// characters other than tab and line feed dropped (XML does not allow them).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "\r": out += "\n"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The fragment id of a module's row in the table: its `PACKAGE/ID`, which holds only safe characters.
    static func anchor(_ id: ModuleID) -> String { "m-" + id.description }

    /// Colours of the stages, by rank (Okabe-Ito, distinguishable with colour blindness).
    static let palette = ["#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#6F6F6F"]

    static func color(_ stage: Stage) -> String { palette[stage.rank % palette.count] }

    /// The width, in CSS pixels, that the charts are scaled to in print: a landscape A4 or Letter page
    /// within 12 mm margins.
    static let printWidth = 960.0

    /// A coordinate with at most one decimal.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return CFormat.string("%.1f", rounded)
    }

    /// An estimate of the width of `text` in pixels at `size`, for placing labels so they do not overlap.
    static func textWidth(_ text: String, size: Double = 11) -> Double { Double(text.count) * size * 0.62 }

    /// `text` cut to `limit` characters with an ellipsis.
    static func cut(_ text: String, _ limit: Int) -> String { TextLayout.truncate(text.replacing("\n", with: " "), to: limit) }

    static let css = """
        :root { --ink: #1d2330; --muted: #5d6675; --line: #d9dee6; --paper: #ffffff; --soft: #f4f6f9;
          --critical: #c62828; --deadline: #c62828; --today: #1565c0; --row: 22px; color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1440px; padding: 1.25rem clamp(0.75rem, 3vw, 2.5rem) 2rem;
          font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
          color: var(--ink); background: var(--paper); }
        h1 { font-size: 1.7rem; margin: 0 0 0.2rem; line-height: 1.2; overflow-wrap: anywhere; }
        h2 { font-size: 1.2rem; margin: 2rem 0 0.5rem; }
        .card h2 { font-size: 0.8rem; margin: 0 0 0.3rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
        p { margin: 0.2rem 0; }
        .journey { font-size: 1.1rem; }
        .packages, .note, footer { color: var(--muted); font-size: 0.85rem; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: 0.75rem; margin-top: 1rem; }
        .card { border: 1px solid var(--line); border-radius: 8px; padding: 0.7rem 0.9rem; background: var(--soft); overflow-wrap: anywhere; }
        .card ul { margin: 0.3rem 0 0; padding-left: 1.1rem; }
        .card ul.plain { list-style: none; padding: 0; }
        .big { font-size: 1.15rem; font-weight: 600; }
        .verdict.met { color: #1b7a3a; font-weight: 600; }
        .verdict.missed { color: var(--deadline); font-weight: 600; }
        .swatch { display: inline-block; width: 0.75em; height: 0.75em; border-radius: 2px; margin-right: 0.35em; vertical-align: -0.05em; }
        .hint { display: none; color: var(--muted); font-size: 0.8rem; margin: 0 0 0.3rem; }
        .legend { display: flex; flex-wrap: wrap; gap: 0.35rem 1.1rem; margin: 0.4rem 0 0.6rem; font-size: 0.85rem; color: var(--muted); padding: 0; list-style: none; }
        .legend li { display: flex; align-items: center; gap: 0.35rem; }
        .legend svg { flex: none; }
        .frame { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; background: var(--paper); -webkit-overflow-scrolling: touch; }
        .gantt { display: flex; width: max-content; min-width: 100%; }
        .gantt-names { position: sticky; left: 0; z-index: 2; flex: none; width: 17rem; background: var(--paper);
          border-right: 1px solid var(--line); font-size: 12px; }
        .gantt-names div { height: var(--row); line-height: var(--row); padding: 0 0.5rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
        .gantt-names .head { display: flex; align-items: flex-end; padding-bottom: 4px; color: var(--muted); font-weight: 600; }
        .gantt-names a { color: inherit; text-decoration: none; }
        .gantt-names a:hover { text-decoration: underline; }
        .gantt-names .crit a { font-weight: 700; }
        .gantt-names .prog::before { content: "●"; color: var(--today); margin-right: 0.3em; }
        .gantt-names div:nth-child(even of .row) { background: var(--soft); }
        svg { display: block; font: 11px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        svg text { fill: var(--ink); }
        svg .muted { fill: var(--muted); }
        svg .halo { stroke: var(--paper); stroke-width: 4px; stroke-linejoin: round; paint-order: stroke; }
        svg a:hover rect.node { stroke-width: 3; }
        table.modules { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
        table.modules th, table.modules td { border-bottom: 1px solid var(--line); padding: 0.5rem 0.5rem; text-align: left; vertical-align: top; }
        table.modules th { background: var(--soft); position: sticky; top: 0; }
        table.modules td:first-child, table.modules td[data-label="Dates"] { white-space: nowrap; }
        table.modules th:nth-child(2) { width: 36%; }
        table.modules .num { text-align: right; white-space: nowrap; }
        table.modules tr.critical td:first-child { box-shadow: inset 4px 0 0 var(--critical); }
        table.modules tr:target { background: #fff8d6; }
        table.modules ul { margin: 0 0 0.4rem; padding-left: 1.1rem; }
        table.modules td { overflow-wrap: anywhere; }
        code { font-size: 0.8em; color: var(--muted); }
        .chip { display: inline-block; font-size: 0.82em; border: 1px solid var(--line); border-radius: 999px; padding: 0 0.5rem; margin: 0.2rem 0.3rem 0 0; color: var(--muted); white-space: nowrap; }
        .chip.crit { border-color: var(--critical); color: var(--critical); }
        .chip.prog { border-color: var(--today); color: var(--today); }
        .chip.late { border-color: var(--deadline); background: #fdecea; color: var(--deadline); }
        .requires { font-size: 0.9em; color: var(--muted); margin-top: 0.25rem; }
        .evidence { font-size: 0.92em; color: var(--muted); }
        a { color: #0b5cad; }
        footer { margin-top: 2rem; border-top: 1px solid var(--line); padding-top: 0.75rem; }
        @media (max-width: 700px) {
          body { font-size: 14px; }
          h1 { font-size: 1.35rem; }
          .gantt-names { width: 9.5rem; font-size: 11px; }
          table.modules thead { display: none; }
          table.modules, table.modules tbody, table.modules tr, table.modules td { display: block; width: 100%; }
          table.modules tr { border: 1px solid var(--line); border-radius: 8px; margin-bottom: 0.75rem; padding: 0.25rem 0.5rem; }
          table.modules tr.critical { border-left: 4px solid var(--critical); }
          table.modules tr.critical td:first-child { box-shadow: none; }
          table.modules td { border: 0; padding: 0.2rem 0; }
          table.modules .num { text-align: left; }
          table.modules td[data-label="Hours"], table.modules td[data-label="Dates"] { display: inline-block; width: auto; margin-right: 1rem; }
          .hint { display: block; }
          table.modules td[data-label="Weeks"]::before { content: "Weeks "; color: var(--muted); }
          table.modules td[data-label="Hours"]::after { content: " h"; }
        }
        @media (min-width: 1800px) { body { max-width: 1760px; } }
        @media print {
          @page { size: landscape; margin: 12mm; }
          body { max-width: none; padding: 0; font-size: 11px; }
          .frame { overflow: visible; border: 0; }
          /* Charts scaled to the page width, sizes computed when the report is made. */
          .frame svg.timeline, .frame svg.graph { width: var(--print-width); height: auto; }
          #graph { break-inside: avoid; }
          h2 + .note { break-after: avoid; }
          .gantt-names { display: none; }
          svg.timeline { overflow: visible; margin-left: var(--print-names); }
          h2 { break-after: avoid; }
          section { break-inside: auto; }
          table.modules th { position: static; }
          table.modules tr { break-inside: avoid; }
          table.modules { font-size: 10px; }
          table.modules th, table.modules td { padding: 0.2rem 0.35rem; }
          table.modules ul { margin-bottom: 0.15rem; }
          a { color: inherit; text-decoration: none; }
        }

        """
}

// MARK: - Timeline (Gantt)

/// The week-by-week timeline: module names in a column that stays in view, bars in an SVG that scrolls.
struct HTMLTimeline {
    let plan: Plan
    let rowHeight = 22.0
    let barHeight = 14.0
    let axisHeight = 34.0
    let footHeight = 22.0
    let weekWidth: Double
    let weeks: Int
    /// Weeks from the start to the deadline's end, when it is drawn as a line.
    let deadlineWeeks: Double?
    let todayWeeks: Double?

    init(plan: Plan) {
        self.plan = plan
        let finish = max(plan.finishWeek, 1)
        let start = plan.profile.start.value
        var span = Double(finish)
        var deadline: Double?
        if let date = plan.feasibility?.deadline ?? plan.profile.deadline?.value {
            let position = Double(date.dayNumber - start.dayNumber + 1) / 7
            if position > 0, position <= Double(finish + max(13, finish / 2)) {
                deadline = position
                span = max(span, position)
            }
        }
        deadlineWeeks = deadline
        let today = Double(plan.today.dayNumber - start.dayNumber) / 7
        todayWeeks = today >= 0 && today <= Double(finish) ? today : nil
        weeks = Int(span.rounded(.up)) + 1
        weekWidth = min(60, max(4, (900 / Double(weeks) * 2).rounded() / 2))
    }

    var width: Double { Double(weeks) * weekWidth }

    func x(_ weeks: Double) -> String { PlanHTMLRenderer.number(weeks * weekWidth) }

    /// Labels of the vertical lines, each placed in the first lane where it does not overlap another.
    struct Marker {
        var position: Double
        var text: String
        var kind: String
    }

    var markers: [Marker] {
        var result: [Marker] = []
        var byWeek: [(week: Int, titles: [String])] = []
        for milestone in plan.milestones where milestone.week > 0 {
            if let index = byWeek.firstIndex(where: { $0.week == milestone.week }) {
                byWeek[index].titles.append(milestone.stage.title)
            } else {
                byWeek.append((milestone.week, [milestone.stage.title]))
            }
        }
        for (week, titles) in byWeek {
            result.append(Marker(position: Double(week), text: "◆ " + titles.joined(separator: " + ") + " · wk \(week)", kind: "milestone"))
        }
        if let date = plan.feasibility?.deadline ?? plan.profile.deadline?.value {
            if let deadlineWeeks {
                result.append(Marker(position: deadlineWeeks, text: "Deadline " + date.longDescription, kind: "deadline"))
            } else if date > plan.profile.start.value {
                let week = (date.dayNumber - plan.profile.start.value.dayNumber) / 7 + 1
                result.append(Marker(position: Double(weeks), text: "Deadline \(date.longDescription) (week \(week)) →", kind: "beyond"))
            }
        }
        if let todayWeeks {
            result.append(Marker(position: todayWeeks, text: "Today " + plan.today.longDescription, kind: "today"))
        }
        return result.sorted { $0.position < $1.position }
    }

    /// Where a marker's label starts: right of its line when it fits, else left of it, else as far right
    /// as the chart allows; never before the chart's left edge.
    func labelStart(_ marker: Marker) -> Double {
        let at = marker.position * weekWidth
        let length = PlanHTMLRenderer.textWidth(marker.text)
        if at + 4 + length <= width { return at + 4 }
        if at - 4 - length >= 0 { return at - 4 - length }
        return max(0, width - length)
    }

    /// The pixels a marker's label covers, with a little room either side.
    func labelSpan(_ marker: Marker) -> ClosedRange<Double> {
        let start = labelStart(marker)
        return (start - 6)...(start + PlanHTMLRenderer.textWidth(marker.text) + 6)
    }

    /// Each marker with its lane: the first in which its label overlaps no other.
    func placed() -> (markers: [(marker: Marker, lane: Int)], lanes: Int) {
        var lanes: [[ClosedRange<Double>]] = []
        var out: [(marker: Marker, lane: Int)] = []
        for marker in markers {
            let span = labelSpan(marker)
            let lane = lanes.firstIndex { taken in !taken.contains { $0.overlaps(span) } } ?? lanes.count
            if lane == lanes.count { lanes.append([]) }
            lanes[lane].append(span)
            out.append((marker, lane))
        }
        return (out, max(lanes.count, 1))
    }

    var html: String {
        let items = plan.items
        let (placedMarkers, lanes) = placed()
        let bandHeight = Double(lanes) * 15 + 6
        let top = bandHeight + axisHeight
        let height = top + Double(items.count) * rowHeight + footHeight
        let start = plan.profile.start.value
        let hoursPerWeek = plan.profile.hoursPerWeek.value
        var svg = ""
        let w = PlanHTMLRenderer.number(width)
        let bottom = PlanHTMLRenderer.number(top + Double(items.count) * rowHeight)

        // Zebra rows, then the calendar grid.
        for index in items.indices where index % 2 == 1 {
            svg += "<rect x=\"0\" y=\"\(PlanHTMLRenderer.number(top + Double(index) * rowHeight))\" width=\"\(w)\" height=\"\(PlanHTMLRenderer.number(rowHeight))\" fill=\"#f4f6f9\"/>\n"
        }
        if let deadlineWeeks {
            let from = deadlineWeeks * weekWidth
            svg += "<rect x=\"\(PlanHTMLRenderer.number(from))\" y=\"\(PlanHTMLRenderer.number(bandHeight))\" width=\"\(PlanHTMLRenderer.number(max(0, width - from)))\" height=\"\(PlanHTMLRenderer.number(axisHeight + Double(items.count) * rowHeight))\" fill=\"#c62828\" fill-opacity=\"0.06\"><title>After the deadline</title></rect>\n"
        }
        // Years and months from the calendar: grid lines first, their labels over them.
        let end = start.adding(days: weeks * 7)
        var (year, month, _) = start.components
        let monthWidth = 30.44 / 7 * weekWidth
        let monthStep = monthWidth >= 26 ? 1 : monthWidth >= 8 ? 3 : 12
        var firstYearAt = Double.infinity
        var calendarLabels = ""
        while true {
            guard let first = CalendarDate(year: year, month: month, day: 1), first <= end else { break }
            let at = Double(first.dayNumber - start.dayNumber) / 7 * weekWidth
            if at >= 0 {
                let px = PlanHTMLRenderer.number(at)
                let labelled = (month - 1) % monthStep == 0
                if month == 1 {
                    svg += "<line x1=\"\(px)\" x2=\"\(px)\" y1=\"\(PlanHTMLRenderer.number(bandHeight))\" y2=\"\(bottom)\" stroke=\"#b8c0cc\"/>\n"
                } else {
                    let from = labelled ? bandHeight + 19 : top
                    svg += "<line x1=\"\(px)\" x2=\"\(px)\" y1=\"\(PlanHTMLRenderer.number(from))\" y2=\"\(bottom)\" stroke=\"#e3e7ed\"/>\n"
                }
                if labelled, at + 22 < width {
                    calendarLabels += "<text x=\"\(PlanHTMLRenderer.number(at + 3))\" y=\"\(PlanHTMLRenderer.number(bandHeight + 30))\" class=\"muted\">\(CalendarDate.monthNames[month - 1])</text>\n"
                }
                if month == 1, at + 34 < width {
                    calendarLabels += "<text x=\"\(PlanHTMLRenderer.number(at + 3))\" y=\"\(PlanHTMLRenderer.number(bandHeight + 13))\" font-weight=\"600\">\(year)</text>\n"
                    firstYearAt = min(firstYearAt, at)
                }
            }
            month += 1
            if month > 12 { month = 1; year += 1 }
        }
        if firstYearAt > 40 {
            calendarLabels += "<text x=\"3\" y=\"\(PlanHTMLRenderer.number(bandHeight + 13))\" font-weight=\"600\">\(start.components.year)</text>\n"
        }
        svg += calendarLabels
        svg += "<line x1=\"0\" x2=\"\(w)\" y1=\"\(PlanHTMLRenderer.number(top))\" y2=\"\(PlanHTMLRenderer.number(top))\" stroke=\"#b8c0cc\"/>\n"

        // Week numbers along the bottom.
        let step = [1, 2, 4, 8, 13, 26, 52].first { Double($0) * weekWidth >= 30 } ?? 52
        var week = 1
        while week <= weeks {
            let center = (Double(week) - 0.5) * weekWidth
            svg += "<text x=\"\(PlanHTMLRenderer.number(center))\" y=\"\(PlanHTMLRenderer.number(top + Double(items.count) * rowHeight + 15))\" text-anchor=\"middle\" class=\"muted\">\(week)</text>\n"
            week += step
        }

        // The bars.
        for (index, item) in items.enumerated() {
            let y = top + Double(index) * rowHeight + (rowHeight - barHeight) / 2
            let color = PlanHTMLRenderer.color(item.stage)
            let x0 = Double(item.startWeek - 1) * weekWidth
            let barWidth = Double(item.endWeek - item.startWeek + 1) * weekWidth
            let tip = "\(item.module.title) (\(item.id)): \(TextLayout.hours(item.hours)) h, weeks \(item.startWeek)–\(item.endWeek), "
                + "\(item.startDate.longDescription) – \(item.endDate.longDescription)"
                + (item.critical ? ", critical path" : ", slack \(TextLayout.plural(item.slackWeeks, "week"))")
                + (item.loggedHours > 0 ? ", \(TextLayout.hours(item.loggedHours)) h logged" : "")
                + (item.inProgress ? ", in progress" : "")
            svg += "<a href=\"#\(PlanHTMLRenderer.escape(PlanHTMLRenderer.anchor(item.id)))\"><g><title>\(PlanHTMLRenderer.escape(tip))</title>"
            svg += "<rect x=\"\(PlanHTMLRenderer.number(x0))\" y=\"\(PlanHTMLRenderer.number(y))\" width=\"\(PlanHTMLRenderer.number(barWidth))\" height=\"\(PlanHTMLRenderer.number(barHeight))\" rx=\"2\" fill=\"\(color)\"/>"
            if item.loggedHours > 0 {
                let done = item.loggedHours / (item.loggedHours + item.hours)
                svg += "<rect x=\"\(PlanHTMLRenderer.number(x0))\" y=\"\(PlanHTMLRenderer.number(y + barHeight / 2 - 2.5))\" width=\"\(PlanHTMLRenderer.number(max(2, barWidth * done)))\" height=\"5\" fill=\"#1d2330\"/>"
            }
            if item.critical {
                svg += "<rect x=\"\(PlanHTMLRenderer.number(x0 + 0.75))\" y=\"\(PlanHTMLRenderer.number(y + 0.75))\" width=\"\(PlanHTMLRenderer.number(max(1, barWidth - 1.5)))\" height=\"\(PlanHTMLRenderer.number(barHeight - 1.5))\" rx=\"2\" fill=\"none\" stroke=\"#c62828\" stroke-width=\"1.5\"/>"
            }
            if item.inProgress {
                svg += "<circle cx=\"\(PlanHTMLRenderer.number(x0))\" cy=\"\(PlanHTMLRenderer.number(y + barHeight / 2))\" r=\"4\" fill=\"#1565c0\" stroke=\"#fff\"/>"
            }
            if item.endDate < plan.today {
                svg += "<rect x=\"\(PlanHTMLRenderer.number(x0))\" y=\"\(PlanHTMLRenderer.number(y - 1.5))\" width=\"\(PlanHTMLRenderer.number(barWidth))\" height=\"\(PlanHTMLRenderer.number(barHeight + 3))\" fill=\"none\" stroke=\"#c62828\" stroke-dasharray=\"3 2\"/>"
            }
            svg += "</g></a>\n"
        }

        // The vertical lines and their labels.
        for (marker, lane) in placedMarkers {
            let at = marker.position * weekWidth
            let px = PlanHTMLRenderer.number(at)
            let labelY = 12 + Double(lane) * 15
            let (color, dash, strokeWidth) = marker.kind == "deadline" ? ("#c62828", "", "2") : marker.kind == "beyond" ? ("#1b7a3a", "", "0") : marker.kind == "today" ? ("#1565c0", "", "2") : ("#3d4656", " stroke-dasharray=\"5 3\"", "1.5")
            if marker.kind != "beyond" {
                svg += "<line x1=\"\(px)\" x2=\"\(px)\" y1=\"\(PlanHTMLRenderer.number(labelY - 10))\" y2=\"\(bottom)\" stroke=\"\(color)\" stroke-width=\"\(strokeWidth)\"\(dash)/>\n"
            }
            svg += "<text x=\"\(PlanHTMLRenderer.number(labelStart(marker)))\" y=\"\(PlanHTMLRenderer.number(labelY))\" font-weight=\"600\" class=\"halo\" style=\"fill:\(color)\">\(PlanHTMLRenderer.escape(marker.text))</text>\n"
        }

        // The names again inside the SVG, left of its view box: hidden on screen (where the HTML column above
        // stays in view while the chart scrolls), shown in print, where they must break across pages with the
        // rows they name.
        svg += "<g class=\"print-names\" text-anchor=\"end\">"
        for (index, item) in items.enumerated() {
            let y = top + Double(index) * rowHeight + rowHeight / 2 + 4
            svg += "<text x=\"-8\" y=\"\(PlanHTMLRenderer.number(y))\"\(item.critical ? " font-weight=\"700\"" : "")>\(PlanHTMLRenderer.escape(PlanHTMLRenderer.cut(item.module.title, 44)))</text>"
        }
        svg += "</g>\n"

        var names = "<div class=\"head\" style=\"height:\(PlanHTMLRenderer.number(top))px\">Module</div>\n"
        for item in items {
            var classes = ["row"]
            if item.critical { classes.append("crit") }
            if item.inProgress { classes.append("prog") }
            // Hours logged, as a thin bar under the name: visible however narrow the weeks are drawn.
            var style = ""
            if item.loggedHours > 0 {
                let share = PlanHTMLRenderer.number(100 * item.loggedHours / (item.loggedHours + item.hours))
                style = " style=\"background-image:linear-gradient(#1565c0,#1565c0);background-size:\(share)% 3px;background-repeat:no-repeat;background-position:0 100%\""
            }
            names += "<div class=\"\(classes.joined(separator: " "))\"\(style) title=\"\(PlanHTMLRenderer.escape(item.module.title + (item.loggedHours > 0 ? ": \(TextLayout.hours(item.loggedHours)) h logged" : "")))\"><a href=\"#\(PlanHTMLRenderer.escape(PlanHTMLRenderer.anchor(item.id)))\">\(PlanHTMLRenderer.escape(item.module.title))</a></div>\n"
        }
        names += "<div class=\"head\" style=\"height:\(PlanHTMLRenderer.number(footHeight))px;padding-bottom:3px\">Week</div>\n"

        // In print, the names (272 px) and the chart together are scaled to the page's width.
        let scale = min(1, PlanHTMLRenderer.printWidth / (width + 272))
        var out = "<section id=\"timeline\">\n<h2>Timeline</h2>\n"
        out += "<p class=\"note\">One row per module, one column per week from \(PlanHTMLRenderer.escape(start.longDescription)), \(TextLayout.hours(hoursPerWeek)) hours a week. Select a module for its details.</p>\n"
        out += legend()
        out += "<p class=\"hint\">Swipe sideways for later weeks; the module names stay in view.</p>\n"
        out += "<div class=\"frame\" style=\"--print-width:\(PlanHTMLRenderer.number(width * scale))px;--print-names:\(PlanHTMLRenderer.number(272 * scale))px\">\n<div class=\"gantt\">\n"
        out += "<div class=\"gantt-names\">\n\(names)</div>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(PlanHTMLRenderer.number(height))\" viewBox=\"0 0 \(w) \(PlanHTMLRenderer.number(height))\" role=\"img\" class=\"timeline\" aria-label=\"Timeline of the plan, week by week\">\n"
        out += svg
        out += "</svg>\n</div>\n</div>\n</section>\n"
        return out
    }

    func legend() -> String {
        var entries: [String] = []
        let stages = plan.composition.stages.filter { stage in plan.items.contains { $0.stage.id == stage.id } }
        for stage in stages {
            entries.append(swatch("<rect x=\"1\" y=\"3\" width=\"22\" height=\"10\" rx=\"2\" fill=\"\(PlanHTMLRenderer.color(stage))\"/>") + PlanHTMLRenderer.escape(stage.title))
        }
        if plan.items.contains(where: \.critical) {
            entries.append(swatch("<rect x=\"1.5\" y=\"3\" width=\"21\" height=\"10\" rx=\"2\" fill=\"#9aa3ad\" fill-opacity=\"0.4\" stroke=\"#c62828\" stroke-width=\"1.5\"/>") + "critical path")
        }
        if plan.milestones.contains(where: { $0.week > 0 }) {
            entries.append(swatch("<line x1=\"12\" x2=\"12\" y1=\"0\" y2=\"16\" stroke=\"#3d4656\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>") + "stage milestone")
        }
        if deadlineWeeks != nil {
            entries.append(swatch("<line x1=\"12\" x2=\"12\" y1=\"0\" y2=\"16\" stroke=\"#c62828\" stroke-width=\"2\"/><rect x=\"12\" y=\"0\" width=\"12\" height=\"16\" fill=\"#c62828\" fill-opacity=\"0.1\"/>") + "deadline, then after it")
        } else if let deadline = plan.feasibility?.deadline {
            entries.append("deadline \(PlanHTMLRenderer.escape(deadline.longDescription)): after the end of the chart")
        }
        if todayWeeks != nil {
            entries.append(swatch("<line x1=\"12\" x2=\"12\" y1=\"0\" y2=\"16\" stroke=\"#1565c0\" stroke-width=\"2\"/>") + "today")
        }
        if plan.items.contains(where: { $0.loggedHours > 0 }) {
            entries.append(swatch("<rect x=\"1\" y=\"3\" width=\"22\" height=\"10\" rx=\"2\" fill=\"#9aa3ad\" fill-opacity=\"0.4\"/><rect x=\"1\" y=\"5.5\" width=\"9\" height=\"5\" fill=\"#1d2330\"/>") + "share of its hours logged (also the blue line under its name)")
        }
        if plan.items.contains(where: \.inProgress) {
            entries.append(swatch("<circle cx=\"8\" cy=\"8\" r=\"4\" fill=\"#1565c0\"/>") + "in progress")
        }
        if plan.items.contains(where: { $0.endDate < plan.today }) {
            entries.append(swatch("<rect x=\"1\" y=\"2\" width=\"22\" height=\"12\" fill=\"none\" stroke=\"#c62828\" stroke-dasharray=\"3 2\"/>") + "behind: should be done by today")
        }
        return "<ul class=\"legend\">" + entries.map { "<li>\($0)</li>" }.joined() + "</ul>\n"
    }

    func swatch(_ shapes: String) -> String {
        "<svg width=\"24\" height=\"16\" viewBox=\"0 0 24 16\" aria-hidden=\"true\">\(shapes)</svg>"
    }
}

// MARK: - Dependency graph

/// The modules and their requirements, laid out in columns: one band per stage, and within a stage one
/// column per depth of requirement, so every arrow inside a stage points right. Within a column, modules are
/// placed near the modules they require (a barycentre pass) to keep arrows short and crossings few.
struct HTMLDependencyGraph {
    let plan: Plan
    let nodeWidth = 184.0
    let nodeHeight = 50.0
    let columnGap = 56.0
    let rowGap = 12.0
    let headHeight = 34.0
    let margin = 12.0

    struct Layout {
        var column: [Int]
        var y: [Double]
        var columns: Int
        var height: Double
        /// The columns of each stage present, in order.
        var bands: [(stage: Stage, first: Int, last: Int)]
    }

    func layout() -> Layout {
        let items = plan.items
        let index = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($1.id, $0) })
        let requires = items.map { $0.requires.compactMap { index[$0] } }
        let stages = plan.composition.stages.filter { stage in items.contains { $0.stage.id == stage.id } }
        // Depth within the stage: 0 without a prerequisite in the same stage.
        var depth = [Int?](repeating: nil, count: items.count)
        func depthOf(_ node: Int, _ visiting: Set<Int>) -> Int {
            if let known = depth[node] { return known }
            var result = 0
            for other in requires[node] where items[other].stage.id == items[node].stage.id && !visiting.contains(other) {
                result = max(result, depthOf(other, visiting.union([node])) + 1)
            }
            depth[node] = result
            return result
        }
        var column = [Int](repeating: 0, count: items.count)
        var bands: [(stage: Stage, first: Int, last: Int)] = []
        var next = 0
        for stage in stages {
            let members = items.indices.filter { items[$0].stage.id == stage.id }
            let deepest = members.map { depthOf($0, []) }.max() ?? 0
            for member in members { column[member] = next + depthOf(member, []) }
            bands.append((stage, next, next + deepest))
            next += deepest + 1
        }
        let columns = max(next, 1)
        var byColumn = [[Int]](repeating: [], count: columns)
        for node in items.indices { byColumn[column[node]].append(node) }
        let pitch = nodeHeight + rowGap
        let tallest = byColumn.map(\.count).max() ?? 1
        let height = Double(tallest) * pitch - rowGap
        var y = [Double](repeating: 0, count: items.count)
        // First column(s): in plan order, centred.
        var successors = [[Int]](repeating: [], count: items.count)
        for node in items.indices { for other in requires[node] { successors[other].append(node) } }
        for (number, members) in byColumn.enumerated() {
            let centred = (height - (Double(members.count) * pitch - rowGap)) / 2
            var desired: [(node: Int, at: Double)] = []
            for (rank, node) in members.enumerated() {
                let earlier = requires[node].filter { column[$0] < number }
                let fallback = centred + Double(rank) * pitch
                let at = earlier.isEmpty ? fallback : earlier.map { y[$0] }.reduce(0, +) / Double(earlier.count)
                desired.append((node, at))
            }
            desired.sort { ($0.at, $0.node) < ($1.at, $1.node) }
            let placed = Self.spread(desired.map(\.at), pitch: pitch, low: 0, high: height - nodeHeight)
            for (entry, at) in zip(desired, placed) { y[entry.node] = at }
        }
        // Modules with nothing before them move next to what they unlock.
        for number in (0..<columns).reversed() {
            let members = byColumn[number]
            var desired: [(node: Int, at: Double)] = members.map { node in
                let earlier = requires[node].filter { column[$0] < number }
                let later = successors[node].filter { column[$0] > number }
                guard earlier.isEmpty, !later.isEmpty else { return (node, y[node]) }
                return (node, later.map { y[$0] }.reduce(0, +) / Double(later.count))
            }
            desired.sort { ($0.at, $0.node) < ($1.at, $1.node) }
            let placed = Self.spread(desired.map(\.at), pitch: pitch, low: 0, high: height - nodeHeight)
            for (entry, at) in zip(desired, placed) { y[entry.node] = at }
        }
        return Layout(column: column, y: y, columns: columns, height: height, bands: bands)
    }

    /// Positions as close to `desired` (ascending) as they can be, at least `pitch` apart, within `low...high`.
    static func spread(_ desired: [Double], pitch: Double, low: Double, high: Double) -> [Double] {
        var at = desired
        for index in at.indices { at[index] = max(at[index], index == 0 ? low : at[index - 1] + pitch) }
        for index in at.indices.reversed() {
            at[index] = min(at[index], index == at.count - 1 ? high : at[index + 1] - pitch)
        }
        for index in at.indices { at[index] = max(at[index], index == 0 ? low : at[index - 1] + pitch) }
        return at.map { ($0 * 2).rounded() / 2 }
    }

    var html: String {
        let items = plan.items
        let layout = layout()
        let index = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($1.id, $0) })
        let columnPitch = nodeWidth + columnGap
        let width = margin * 2 + Double(layout.columns) * columnPitch - columnGap
        let height = headHeight + layout.height + margin * 2
        func left(_ node: Int) -> Double { margin + Double(layout.column[node]) * columnPitch }
        func top(_ node: Int) -> Double { headHeight + margin + layout.y[node] }
        let n = PlanHTMLRenderer.number
        var svg = "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#8a96a3\"/></marker>"
        svg += "<marker id=\"arrow-critical\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#c62828\"/></marker></defs>\n"
        for band in layout.bands {
            let x0 = margin + Double(band.first) * columnPitch - columnGap / 4
            let x1 = margin + Double(band.last) * columnPitch + nodeWidth + columnGap / 4
            let color = PlanHTMLRenderer.color(band.stage)
            svg += "<rect x=\"\(n(x0))\" y=\"4\" width=\"\(n(x1 - x0))\" height=\"\(n(height - 8))\" rx=\"8\" fill=\"\(color)\" fill-opacity=\"0.07\" stroke=\"\(color)\" stroke-opacity=\"0.35\"/>\n"
            let title = PlanHTMLRenderer.cut(band.stage.title, Int((x1 - x0 - 16) / 7.5))
            svg += "<text x=\"\(n(x0 + 8))\" y=\"24\" font-size=\"13\" font-weight=\"600\" style=\"fill:\(color)\">\(PlanHTMLRenderer.escape(title))</text>\n"
        }
        var critical = ""
        for (node, item) in items.enumerated() {
            for requirement in item.requires {
                guard let from = index[requirement] else { continue }
                let x1 = left(from) + nodeWidth, y1 = top(from) + nodeHeight / 2
                let x2 = left(node) - 2, y2 = top(node) + nodeHeight / 2
                let bend = max(24, abs(x2 - x1) / 2)
                let path = "M\(n(x1)),\(n(y1)) C\(n(x1 + bend)),\(n(y1)) \(n(x2 - bend)),\(n(y2)) \(n(x2)),\(n(y2))"
                if item.critical, items[from].critical {
                    critical += "<path d=\"\(path)\" fill=\"none\" stroke=\"#c62828\" stroke-width=\"2.5\" marker-end=\"url(#arrow-critical)\"/>\n"
                } else {
                    svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"#8a96a3\" stroke-opacity=\"0.75\" marker-end=\"url(#arrow)\"/>\n"
                }
            }
        }
        svg += critical
        for (node, item) in items.enumerated() {
            let x = left(node), y = top(node)
            let color = PlanHTMLRenderer.color(item.stage)
            let lines = TextLayout.wrap(item.module.title.replacing("\n", with: " "), width: 26).split(separator: "\n").map(String.init)
            var shown = Array(lines.prefix(2))
            if lines.count > 2 { shown[1] = TextLayout.truncate(shown[1] + " …", to: 26) }
            shown = shown.map { TextLayout.truncate($0, to: 26) }
            let weeks = item.startWeek == item.endWeek ? "wk \(item.startWeek)" : "wk \(item.startWeek)–\(item.endWeek)"
            svg += "<a href=\"#\(PlanHTMLRenderer.escape(PlanHTMLRenderer.anchor(item.id)))\"><g><title>\(PlanHTMLRenderer.escape("\(item.module.title) (\(item.id))"))</title>"
            let stroke = item.critical ? "stroke=\"#c62828\" stroke-width=\"2.5\"" : "stroke=\"\(color)\" stroke-width=\"1.2\""
            let dash = item.inProgress ? " stroke-dasharray=\"5 3\"" : ""
            svg += "<rect class=\"node\" x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(nodeWidth))\" height=\"\(n(nodeHeight))\" rx=\"6\" fill=\"#ffffff\" \(stroke)\(dash)/>"
            svg += "<rect x=\"\(n(x + 1))\" y=\"\(n(y + 1))\" width=\"5\" height=\"\(n(nodeHeight - 2))\" rx=\"2\" fill=\"\(color)\"/>"
            for (line, text) in shown.enumerated() {
                svg += "<text x=\"\(n(x + 12))\" y=\"\(n(y + 15 + Double(line) * 13))\">\(PlanHTMLRenderer.escape(text))</text>"
            }
            svg += "<text x=\"\(n(x + 12))\" y=\"\(n(y + nodeHeight - 7))\" class=\"muted\" font-size=\"10\">\(TextLayout.hours(item.hours)) h · \(weeks)\(item.inProgress ? " · in progress" : "")</text>"
            if item.loggedHours > 0 {
                let done = item.loggedHours / (item.loggedHours + item.hours)
                svg += "<rect x=\"\(n(x + 6))\" y=\"\(n(y + nodeHeight - 4))\" width=\"\(n((nodeWidth - 10) * done))\" height=\"3\" fill=\"#1d2330\"/>"
            }
            svg += "</g></a>\n"
        }
        let scale = min(1, PlanHTMLRenderer.printWidth / width)
        var out = "<section id=\"graph\">\n<h2>What leads to what</h2>\n"
        out += "<p class=\"note\">Each arrow goes from a module to one that requires it. Columns follow the stages; within a stage, a module stands right of what it needs.\(items.contains(where: \.critical) ? " The critical path is in red." : "")</p>\n"
        out += "<div class=\"frame\" style=\"--print-width:\(n(width * scale))px\">\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" class=\"graph\" aria-label=\"Dependency graph of the plan's modules by stage\">\n"
        out += svg
        out += "</svg>\n</div>\n</section>\n"
        return out
    }
}
