/// The plan as plain text that fits an 80-column terminal: summary, milestones, then week by week, with
/// runs of identical weeks folded together.
public struct PlanTextRenderer: Sendable {
    public static let width = 80

    public init() {}

    public func render(_ plan: Plan) -> String {
        let facts = PlanFacts(plan: plan)
        var out: [String] = []
        out.append(TerminalText.line(facts.title))
        out.append(TextLayout.wrap(facts.journey + ", " + facts.pace, width: Self.width))
        out.append(TextLayout.wrap(facts.packages, width: Self.width, indent: "  "))
        out.append("")
        func row(_ label: String, _ value: String) -> String {
            TextLayout.fit(label, 10)
                + TextLayout.wrap(value, width: Self.width - 10).replacing("\n", with: "\n" + String(repeating: " ", count: 10))
        }
        out.append(row("Work", facts.work))
        out.append(row("Finish", facts.finish))
        for (index, line) in facts.deadline.enumerated() {
            out.append(row(index == 0 ? "Deadline" : "", index == 0 ? line : "- " + line))
        }
        if let moved = plan.movedModules {
            out.append(row("Replanned", "from \(plan.today.longDescription); \(TextLayout.plural(moved, "untouched module")) changed order"))
        }
        if !plan.milestones.isEmpty {
            out += ["", "Milestones"]
            for milestone in plan.milestones {
                let when = milestone.week == 0 ? "already reached" : "week \(milestone.week)  \(milestone.date.longDescription)"
                out.append("  " + TextLayout.fit(milestone.stage.title, 30) + when)
            }
        }
        if plan.items.isEmpty {
            out += ["", "Nothing to study: everything up to \(plan.targetStage.title) is mastered."]
            return out.joined(separator: "\n") + "\n"
        }
        out += ["", "Week by week (* on the critical path)"]
        let itemsByID = Dictionary(uniqueKeysWithValues: plan.items.map { ($0.id, $0) })
        var index = 0
        while index < plan.weeks.count {
            let first = plan.weeks[index]
            var last = index
            while last + 1 < plan.weeks.count, plan.weeks[last + 1].allocations == first.allocations,
                !first.allocations.contains(where: { itemsByID[$0.module]?.endWeek == first.week })
            {
                last += 1
            }
            let lastWeek = plan.weeks[last]
            let span = last == index ? "Week \(first.week)" : "Weeks \(first.week)-\(lastWeek.week)"
            let end = plan.endDate(ofWeek: lastWeek.week)
            let dates = "\(first.startDate.shortDescription) - \(end.shortDescription) \(end.components.year)"
            let perWeek = last == index ? "\(TextLayout.hours(first.hours)) h" : "\(TextLayout.hours(first.hours)) h a week"
            out.append(TextLayout.fit(span, 13) + TextLayout.fit(dates, 48) + TextLayout.padLeft(perWeek, 19))
            for allocation in first.allocations {
                guard let item = itemsByID[allocation.module] else { continue }
                let marker = item.critical ? "* " : "  "
                var note = ""
                if item.endWeek >= first.week && item.endWeek <= lastWeek.week { note = "done" }
                else if item.startWeek == first.week { note = item.inProgress ? "cont." : "start" }
                let hours = TextLayout.padLeft(TextLayout.hours(allocation.hours) + " h", 7)
                out.append("  " + marker + TextLayout.fit(item.module.title, 59) + hours + "  " + TextLayout.fit(note, 5))
            }
            index = last + 1
        }
        out += ["", "Modules in order"]
        for item in plan.items {
            let weeks = item.startWeek == item.endWeek ? "wk \(item.startWeek)" : "wk \(item.startWeek)-\(item.endWeek)"
            let slack = item.critical ? "critical" : "slack \(item.slackWeeks)"
            out.append(
                "  " + TextLayout.fit(weeks, 12) + TextLayout.fit(item.id.description, 48)
                    + TextLayout.padLeft(TextLayout.hours(item.hours) + " h", 7) + "  " + TextLayout.fit(slack, 9))
        }
        return TerminalText.block(out.map { $0.trimmingTrailingSpaces }.joined(separator: "\n") + "\n")
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
