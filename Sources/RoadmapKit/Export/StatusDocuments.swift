/// The progress section of the HTML report: a bar per stage and per plugin, then the status sentences.
struct StatusHTML {
    let report: StatusReport

    private func row(_ group: StatusReport.Group) -> String {
        let fraction = group.hoursTotal > 0 ? min(1, group.hoursDone / group.hoursTotal) : 1
        let percent = Int((fraction * 100).rounded(.down))
        let modules = "\(group.modulesDone)/\(group.modulesTotal) done" + (group.modulesInProgress > 0 ? ", \(group.modulesInProgress) going" : "")
        return "<tr><th scope=\"row\">\(PlanHTMLRenderer.escape(group.title))</th>"
            + "<td><div class=\"bar\" role=\"img\" aria-label=\"\(percent)% done\"><span style=\"width:\(percent)%\"></span></div></td>"
            + "<td class=\"num\">\(percent)%</td><td>\(PlanHTMLRenderer.escape(modules))</td>"
            + "<td class=\"num\">\(TextLayout.hours(group.hoursDone))/\(TextLayout.hours(group.hoursTotal)) h</td></tr>\n"
    }

    var html: String {
        let facts = StatusFacts(report: report)
        var out = "<section id=\"status\" class=\"status\">\n<h2>Progress on \(PlanHTMLRenderer.escape(report.today.longDescription))</h2>\n"
        out += "<style>.status table{border-collapse:collapse;width:100%;max-width:60rem}.status th,.status td{padding:.2rem .5rem;text-align:left}"
            + ".status .num{text-align:right;white-space:nowrap}.status .bar{background:var(--soft,#f4f6f9);border:1px solid var(--line,#d9dee6);"
            + "height:.9rem;min-width:6rem;border-radius:3px}.status .bar span{display:block;height:100%;background:#009E73;border-radius:2px}"
            + ".status dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}.status dt{font-weight:600}</style>\n"
        out += "<table>\n<thead><tr><th>Stage or plugin</th><th>Done</th><th></th><th>Modules</th><th class=\"num\">Hours</th></tr></thead>\n<tbody>\n"
        out += report.stages.map(row).joined()
        out += report.plugins.map(row).joined()
        var overall = report.totals
        overall.title = "Overall"
        out += row(overall)
        out += "</tbody>\n</table>\n<dl>\n"
        for (label, value) in facts.rows {
            out += "<dt>\(PlanHTMLRenderer.escape(label))</dt><dd>\(PlanHTMLRenderer.escape(value))</dd>\n"
        }
        out += "</dl>\n"
        func list(_ title: String, _ ids: [ModuleID]) {
            guard !ids.isEmpty else { return }
            out += "<h3>\(PlanHTMLRenderer.escape(title))</h3>\n<ul>"
            for id in ids {
                out += "<li><code>\(PlanHTMLRenderer.escape(id.description))</code> \(PlanHTMLRenderer.escape(report.titles[id] ?? ""))</li>"
            }
            out += "</ul>\n"
        }
        list("In progress", report.inProgress)
        list("Stale: started, no hours for \(StatusBuilder.staleDays) days or more", report.stale.map(\.module))
        list("Ready to start next", Array(report.next.prefix(5)))
        out += "</section>\n"
        return out
    }
}

/// The status as Markdown: a progress table with text bars, then the status sentences and lists.
public struct StatusMarkdownRenderer: Sendable {
    public init() {}

    static func bar(_ group: StatusReport.Group, width: Int = 20) -> String {
        let fraction = group.hoursTotal > 0 ? min(1, group.hoursDone / group.hoursTotal) : 1
        let filled = Int((fraction * Double(width)).rounded())
        return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            + " \(Int((fraction * 100).rounded(.down)))%"
    }

    public func render(_ report: StatusReport) -> String {
        let cell = PlanMarkdownRenderer.cell
        var out = ["# Status" + (report.profile.name.map { " for \(cell($0))" } ?? "") + " on \(report.today.longDescription)", ""]
        out += ["| Stage or plugin | Done | Modules | Hours |", "|---|---|---|---:|"]
        var overall = report.totals
        overall.title = "Overall"
        for group in report.stages + report.plugins + [overall] {
            let modules = "\(group.modulesDone)/\(group.modulesTotal) done" + (group.modulesInProgress > 0 ? ", \(group.modulesInProgress) going" : "")
            out.append("| \(cell(group.title)) | \(Self.bar(group)) | \(modules) | \(TextLayout.hours(group.hoursDone))/\(TextLayout.hours(group.hoursTotal)) |")
        }
        out.append("")
        for (label, value) in StatusFacts(report: report).rows { out.append("- **\(cell(label))**: \(cell(value))") }
        func list(_ title: String, _ ids: [ModuleID]) {
            guard !ids.isEmpty else { return }
            out += ["", "## \(title)", ""]
            out += ids.map { "- `\($0)` \(cell(report.titles[$0] ?? ""))" }
        }
        list("In progress", report.inProgress)
        list("Stale", report.stale.map(\.module))
        list("Ready to start next", Array(report.next.prefix(5)))
        return out.joined(separator: "\n") + "\n"
    }
}
