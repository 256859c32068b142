/// The plan's dependency graph as a Mermaid flowchart, for a README, a wiki or an issue (GitHub renders a
/// ```` ```mermaid ```` block).
///
/// Each stage is a subgraph; each module a node labelled with its title and hours; each requirement between
/// two modules of the plan an edge from the prerequisite to what it unlocks. Modules on the critical path
/// (and the edges between them) are drawn with a thick red outline, modules in progress with a dashed one.
///
/// Node ids are `n0`, `n1`, … in plan order and subgraph ids `s0`, `s1`, … in stage order, so no module id can
/// clash with a Mermaid keyword (`end`, `graph`…). Labels are quoted, with `"`, `#`, `<`, `>`, `&`, `%` and
/// backticks written as Mermaid entity codes (`#quot;`, `#35;`…) and line breaks as spaces, so no text can end
/// a label, start markup or a comment.
public struct PlanMermaidRenderer: Sendable {
    /// A renderer; it keeps no state, so one can render any number of plans.
    public init() {}

    /// The flowchart, starting `flowchart LR`.
    public func render(_ plan: Plan) -> String {
        var lines = ["flowchart LR"]
        let index = Dictionary(uniqueKeysWithValues: plan.items.enumerated().map { ($1.id, $0) })
        let stages = plan.composition.stages.filter { stage in plan.items.contains { $0.stage.id == stage.id } }
        for (number, stage) in stages.enumerated() {
            lines.append("  subgraph s\(number)[\"\(Self.label(stage.title))\"]")
            for (position, item) in plan.items.enumerated() where item.stage.id == stage.id {
                let weeks = item.startWeek == item.endWeek ? "week \(item.startWeek)" : "weeks \(item.startWeek)-\(item.endWeek)"
                lines.append("    n\(position)[\"\(Self.label(item.module.title)) · \(TextLayout.hours(item.hours)) h · \(weeks)\"]")
            }
            lines.append("  end")
        }
        var critical: [Int] = []
        var edge = 0
        for (position, item) in plan.items.enumerated() {
            for requirement in item.requires {
                guard let from = index[requirement] else { continue }
                lines.append("  n\(from) --> n\(position)")
                if item.critical, plan.items[from].critical { critical.append(edge) }
                edge += 1
            }
        }
        let criticalNodes = plan.items.indices.filter { plan.items[$0].critical }
        let inProgress = plan.items.indices.filter { plan.items[$0].inProgress }
        lines.append("  classDef critical stroke:#c62828,stroke-width:4px")
        lines.append("  classDef inprogress stroke-dasharray:6 3,stroke-width:2px")
        if !criticalNodes.isEmpty { lines.append("  class " + criticalNodes.map { "n\($0)" }.joined(separator: ",") + " critical") }
        if !inProgress.isEmpty { lines.append("  class " + inProgress.map { "n\($0)" }.joined(separator: ",") + " inprogress") }
        if !critical.isEmpty {
            lines.append("  linkStyle " + critical.map(String.init).joined(separator: ",") + " stroke:#c62828,stroke-width:3px")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text for inside a quoted Mermaid label.
    static func label(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "#quot;"
            case "#": out += "#35;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "&": out += "#amp;"
            case "%": out += "#37;"
            case "`": out += "#96;"
            case "\n", "\r", "\t": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
