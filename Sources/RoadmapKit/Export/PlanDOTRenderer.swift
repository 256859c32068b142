/// The plan's dependency graph in Graphviz DOT, laid out left to right: `roadmap plan --format dot | dot -Tsvg`.
///
/// Each stage is a cluster; each module a node named by its `PACKAGE/ID`, labelled with its title (wrapped),
/// hours and weeks; each requirement between two modules of the plan an edge from the prerequisite to what it
/// unlocks. Modules on the critical path and the edges between them are bold (pen width 2) and red; modules in
/// progress are dashed.
///
/// Every id and label is a double-quoted string with `\` and `"` escaped and line breaks written `\n`, so no
/// text can end a string or become a Graphviz escape such as `\N`.
public struct PlanDOTRenderer: Sendable {
    /// Characters a label line may hold before it is wrapped.
    static let labelWidth = 30

    /// A renderer; it keeps no state, so one can render any number of plans.
    public init() {}

    /// The digraph.
    public func render(_ plan: Plan) -> String {
        let facts = PlanFacts(plan: plan)
        var lines = [
            "digraph \"roadmap\" {",
            "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=14, labelloc=t, label=\(Self.quoted(facts.title))];",
            "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#5b6b7f\", fontname=\"Helvetica\", fontsize=10];",
            "  edge [color=\"#8a96a3\", arrowsize=0.7];",
        ]
        let inPlan = Set(plan.items.map(\.id))
        let stages = plan.composition.stages.filter { stage in plan.items.contains { $0.stage.id == stage.id } }
        for stage in stages {
            lines.append("  subgraph \(Self.quoted("cluster_" + stage.id)) {")
            lines.append("    label=\(Self.quoted(stage.title));")
            lines.append("    style=\"rounded,filled\"; fillcolor=\"#f4f6f9\"; color=\"#c5cdd8\"; fontsize=12;")
            for item in plan.items where item.stage.id == stage.id {
                let weeks = item.startWeek == item.endWeek ? "week \(item.startWeek)" : "weeks \(item.startWeek)-\(item.endWeek)"
                let label = TextLayout.wrap(item.module.title.replacing("\n", with: " "), width: Self.labelWidth)
                    + "\n\(TextLayout.hours(item.hours)) h · \(weeks)"
                var attributes = ["label=\(Self.quoted(label))", "tooltip=\(Self.quoted(item.id.description))"]
                var style = ["rounded", "filled"]
                if item.critical {
                    style.append("bold")
                    attributes += ["penwidth=2", "color=\"#c62828\""]
                }
                if item.inProgress { style.append("dashed") }
                attributes.insert("style=\(Self.quoted(style.joined(separator: ",")))", at: 1)
                lines.append("    \(Self.quoted(item.id.description)) [\(attributes.joined(separator: ", "))];")
            }
            lines.append("  }")
        }
        for item in plan.items {
            for requirement in item.requires where inPlan.contains(requirement) {
                var edge = "  \(Self.quoted(requirement.description)) -> \(Self.quoted(item.id.description))"
                if item.critical, plan.item(requirement)?.critical == true {
                    edge += " [style=bold, penwidth=2, color=\"#c62828\"]"
                }
                lines.append(edge + ";")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A DOT double-quoted string: `\` and `"` escaped, line breaks as `\n`, other control characters dropped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        var afterCR = false
        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\r": out += "\\n"
            case "\n": if !afterCR { out += "\\n" }
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
