/// The plan as GitHub-flavoured Markdown: summary, milestones, modules and weeks as tables.
public struct PlanMarkdownRenderer: Sendable {
    public init() {}

    /// Escapes text for a table cell: pipes, backslashes, HTML and line breaks; other control characters
    /// are dropped. Scalar by scalar, so that a combining mark cannot hide a `|` or a `\r\n` from the escaping.
    static func cell(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "|": out += "\\|"
            case "\\": out += "\\\\"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "`", "*", "_", "[", "]": out += "\\\(scalar)"
            case "\n", "\r", "\t": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    public func render(_ plan: Plan) -> String {
        let facts = PlanFacts(plan: plan)
        var out: [String] = []
        out.append("# \(Self.cell(facts.title))")
        out.append("")
        out.append("\(Self.cell(facts.journey.replacing("->", with: "→"))), \(Self.cell(facts.pace)).")
        out.append("")
        out.append("| | |")
        out.append("|---|---|")
        out.append("| Packages | \(Self.cell(facts.packages)) |")
        out.append("| Work | \(Self.cell(facts.work)) |")
        out.append("| Finish | \(Self.cell(facts.finish)) |")
        for (index, line) in facts.deadline.enumerated() {
            out.append("| \(index == 0 ? "Deadline" : "") | \(Self.cell(line)) |")
        }
        if let moved = plan.movedModules {
            out.append("| Replanned | from \(plan.today.longDescription); \(moved) untouched modules changed order |")
        }
        if !plan.milestones.isEmpty {
            out += ["", "## Milestones", "", "| Stage | Week | Date |", "|---|---:|---|"]
            for milestone in plan.milestones {
                out.append("| \(Self.cell(milestone.stage.title)) | \(milestone.week) | \(milestone.date) |")
            }
        }
        out += ["", "## Modules", "", "Modules on the critical path are in bold.", ""]
        out.append("| Weeks | Module | Stage | Hours | Dates | Slack |")
        out.append("|---|---|---|---:|---|---:|")
        for item in plan.items {
            let weeks = item.startWeek == item.endWeek ? "\(item.startWeek)" : "\(item.startWeek)–\(item.endWeek)"
            var name = "\(Self.cell(item.module.title)) (`\(item.id)`)"
            if item.critical { name = "**\(name)**" }
            out.append(
                "| \(weeks) | \(name) | \(Self.cell(item.stage.title)) | \(TextLayout.hours(item.hours)) | "
                    + "\(item.startDate) – \(item.endDate) | \(item.slackWeeks) |")
        }
        out += ["", "## Week by week", "", "| Week | Starts | Hours | Modules |", "|---:|---|---:|---|"]
        for week in plan.weeks {
            let modules = week.allocations.map { "`\($0.module)` \(TextLayout.hours($0.hours)) h" }.joined(separator: ", ")
            out.append("| \(week.week) | \(week.startDate) | \(TextLayout.hours(week.hours)) | \(modules) |")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
