/// `roadmap plugin doc`: a plugin's Markdown documentation, generated from its file: summary, requirements,
/// what it builds on, modules by stage, a Mermaid graph, every module's outcomes and resources, and an excerpt
/// of an example's plan.
///
/// The output depends only on the files (never on today's date or where they are), so generated pages can be
/// kept in the repository and checked for staleness.
public struct PluginDocGenerator: Sendable {
    /// An example whose plan is excerpted.
    public struct Example: Sendable {
        /// The example file relative to the plugin folder, `examples/NAME.yaml`.
        public var file: String
        public var plan: Plan

        public init(file: String, plan: Plan) {
            self.file = file
            self.plan = plan
        }
    }

    public let summary: PluginSummary
    public let example: Example?
    /// How many weeks of the example plan to show.
    public var excerptWeeks = 8
    /// The command that regenerates the page, named in its first line.
    public var command: String

    public init(summary: PluginSummary, example: Example?, command: String? = nil) {
        self.summary = summary
        self.example = example
        self.command = command ?? "roadmap plugin doc \(summary.plugin.name)"
    }

    var plugin: Package { summary.plugin }

    public func markdown() -> String {
        var out: [String] = []
        out.append("<!-- Generated from the plugin's files by `\(command)`. Do not edit: change the plugin and regenerate. -->")
        out.append("")
        out.append("# \(Self.text(plugin.title))")
        out.append("")
        out.append("`\(plugin.name)` \(plugin.version) · \(AuthoringText.plural(plugin.modules.count, "module")) · \(AuthoringText.hours(summary.totalHours)) hours")
        if let text = plugin.summary {
            out += ["", Self.text(text)]
        }
        out += requirements()
        out += foundations()
        out += stages()
        out += graph()
        out += details()
        out += excerpt()
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: Sections

    private func requirements() -> [String] {
        var out = ["", "## Requirements", ""]
        out.append("| Package | Kind | Requirement | Resolved to |")
        out.append("|---|---|---|---|")
        for requirement in summary.requirements {
            out.append("| `\(requirement.package)` | \(requirement.resolved.kind.rawValue) | `\(requirement.requirement.text)` | \(requirement.resolved.version) |")
        }
        for entry in summary.indirect {
            out.append("| `\(entry.package.name)` | \(entry.package.kind.rawValue), required by `\(entry.requiredBy)` | | \(entry.package.version) |")
        }
        out += ["", "Versions are those a plan uses with the catalog this page was generated from."]
        return out
    }

    private func foundations() -> [String] {
        guard !summary.foundations.isEmpty else { return [] }
        var out = ["", "## Builds on", ""]
        let total = summary.closure.map { "\(AuthoringText.plural($0.modules, "module")) of `\($0.package)` (\(AuthoringText.hours($0.hours)) h)" }
        out.append(
            "The plugin's modules require these \(AuthoringText.plural(summary.foundations.count, "module")) of other packages directly; "
                + "with what those require in turn, that is " + total.joined(separator: " and ") + ".")
        out += ["", "| Module | Stage | Hours | Needed by |", "|---|---|---:|---|"]
        for foundation in summary.foundations {
            let module = foundation.module
            let users = foundation.neededBy.map { "`\($0.name)`" }.joined(separator: ", ")
            out.append("| \(Self.cell(module.title)) (`\(module.id)`) | \(module.stage.value) | \(AuthoringText.hours(module.hours)) | \(users) |")
        }
        return out
    }

    private static func notes(_ module: Module) -> String {
        var notes = [module.kind.rawValue]
        if let weeks = module.minWeeks { notes.append("at least \(AuthoringText.plural(weeks, "week"))") }
        if module.optional { notes.append("optional") }
        return notes.joined(separator: ", ")
    }

    private func requires(_ module: Module) -> String {
        (summary.composition.requirements[module.id] ?? []).map { $0.package == plugin.name ? "`\($0.name)`" : "`\($0)`" }
            .joined(separator: ", ")
    }

    private func stages() -> [String] {
        var out = ["", "## Modules by stage"]
        for group in summary.stages {
            out += ["", "### \(Self.text(group.stage.title)) (`\(group.stage.id)`)", ""]
            out.append("\(AuthoringText.plural(group.modules.count, "module")), \(AuthoringText.hours(group.hours)) hours.")
            out += ["", "| Module | Hours | Kind | Requires |", "|---|---:|---|---|"]
            for module in group.modules {
                out.append("| [\(Self.cell(module.title))](#\(Self.anchor(module))) (`\(module.id.name)`) | \(AuthoringText.hours(module.hours)) | \(Self.notes(module)) | \(requires(module)) |")
            }
        }
        return out
    }

    private func graph() -> [String] {
        var out = ["", "## Module graph", ""]
        out.append("Arrows point from a module to what builds on it; modules of other packages are dashed, optional modules dotted.")
        out += ["", "```mermaid", "graph TD"]
        var node: [ModuleID: String] = [:]
        for (index, module) in plugin.modules.enumerated() { node[module.id] = "p\(index)" }
        for (index, group) in summary.stages.enumerated() {
            out.append("  subgraph s\(index)[\"\(Self.mermaid(group.stage.title))\"]")
            for module in group.modules {
                out.append("    \(node[module.id]!)[\"\(Self.mermaid(module.title))<br/>\(AuthoringText.hours(module.hours)) h\"]")
            }
            out.append("  end")
        }
        var external: [String] = []
        for (index, foundation) in summary.foundations.enumerated() {
            let name = "x\(index)"
            node[foundation.module.id] = name
            external.append(name)
            out.append("  \(name)([\"\(Self.mermaid(foundation.module.id.description))\"])")
        }
        for module in plugin.modules {
            for requirement in summary.composition.requirements[module.id] ?? [] {
                guard let from = node[requirement], let to = node[module.id] else { continue }
                out.append("  \(from) --> \(to)")
            }
        }
        if !external.isEmpty {
            out.append("  classDef external stroke-dasharray: 4 4")
            out.append("  class \(external.joined(separator: ",")) external")
        }
        let optional = plugin.modules.filter(\.optional).compactMap { node[$0.id] }
        if !optional.isEmpty {
            out.append("  classDef optional stroke-dasharray: 1 3")
            out.append("  class \(optional.joined(separator: ",")) optional")
        }
        out.append("```")
        return out
    }

    private func details() -> [String] {
        var out = ["", "## Modules in detail"]
        for group in summary.stages {
            for module in group.modules {
                out += ["", "### \(Self.text(module.title))", ""]
                var facts = ["`\(module.id)`", Self.text(group.stage.title), "\(AuthoringText.hours(module.hours)) hours", Self.notes(module)]
                if let track = module.track { facts.append("track \(Self.text(track))") }
                out.append(facts.joined(separator: " · "))
                let requirements = requires(module)
                if !requirements.isEmpty { out += ["", "Requires: \(requirements)"] }
                if !module.outcomes.isEmpty {
                    out += ["", "Outcomes:", ""]
                    out += module.outcomes.map { "- \(Self.text($0))" }
                }
                if !module.resources.isEmpty {
                    out += ["", "Resources:", ""]
                    for resource in module.resources {
                        var line = "- " + (resource.url.map { "[\(Self.text(resource.title))](\(Self.url($0)))" } ?? Self.text(resource.title))
                        if let type = resource.type { line += " (\(type))" }
                        out.append(line)
                    }
                }
                if let evidence = module.evidence { out += ["", "Evidence: \(Self.text(evidence))"] }
                if !module.aliases.isEmpty {
                    out += ["", "Formerly: " + module.aliases.map { "`\($0.value)`" }.joined(separator: ", ")]
                }
            }
        }
        return out
    }

    private func excerpt() -> [String] {
        var out = ["", "## Example plan", ""]
        guard let example else {
            out.append("The plugin has no example that can be planned; add one to `examples/` (see `roadmap plugin test`).")
            return out
        }
        let plan = example.plan
        let profile = plan.profile
        var who = plan.currentStage.map { "from \($0.title)" } ?? "starting out"
        who += " to \(plan.targetStage.title), \(AuthoringText.hours(profile.hoursPerWeek.value)) hours a week from \(profile.start.value)"
        var lines = "The plan of the plugin's example `\(example.file)`"
        if let name = profile.name { lines += " (\(Self.text(name)))" }
        lines += ", \(who), with " + plan.composition.packages.map { "`\($0.name)` \($0.version)" }.joined(separator: ", ") + ": "
        lines += "\(AuthoringText.hours(plan.totalHours)) hours in \(AuthoringText.plural(plan.items.count, "module")), finishing in week \(plan.finishWeek) (\(plan.finishDate))"
        if let feasibility = plan.feasibility {
            lines += feasibility.holds
                ? ", which meets the deadline \(feasibility.deadline)"
                : ", which misses the deadline \(feasibility.deadline)"
        }
        out.append(lines + ".")
        let shown = plan.weeks.prefix(excerptWeeks)
        out += ["", "The first \(AuthoringText.plural(shown.count, "week")):", "", "| Week | Starts | Hours | Modules |", "|---:|---|---:|---|"]
        for week in shown {
            let modules = week.allocations.map { "`\($0.module)` \(AuthoringText.hours($0.hours)) h" }.joined(separator: ", ")
            out.append("| \(week.week) | \(week.startDate) | \(AuthoringText.hours(week.hours)) | \(modules) |")
        }
        let mine = plan.items.filter { $0.id.package == plugin.name }
        if !mine.isEmpty {
            out += ["", "When this plugin's modules are scheduled:", "", "| Module | Weeks | Dates |", "|---|---|---|"]
            for item in mine.sorted(by: { ($0.startWeek, $0.endWeek, $0.id) < ($1.startWeek, $1.endWeek, $1.id) }) {
                let weeks = item.startWeek == item.endWeek ? "\(item.startWeek)" : "\(item.startWeek)–\(item.endWeek)"
                out.append("| \(Self.cell(item.module.title)) (`\(item.id.name)`) | \(weeks) | \(item.startDate) – \(item.endDate) |")
            }
        }
        return out
    }

    // MARK: Escaping

    /// Text in running Markdown: HTML and emphasis characters escaped, line breaks made spaces.
    /// Scalar by scalar, so that a combining mark cannot hide a character or a `\r\n` from the escaping.
    static func text(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\\", "`", "*", "_", "[", "]": out += "\\\(scalar)"
            case "\n", "\r", "\t": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Text in a table cell: also pipes.
    static func cell(_ value: String) -> String {
        var out = ""
        for scalar in text(value).unicodeScalars {
            if scalar == "|" { out += "\\|" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// A link target with the characters that end a Markdown link encoded.
    static func url(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case " ": out += "%20"
            case "(": out += "%28"
            case ")": out += "%29"
            case "<": out += "%3C"
            case ">": out += "%3E"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "%" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A Mermaid label inside double quotes.
    static func mermaid(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "#quot;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "\n", "\r", "\t": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// GitHub's anchor for a module's heading in "Modules in detail".
    static func anchor(_ module: Module) -> String {
        var out = ""
        for character in module.title.lowercased() {
            if character.isLetter || character.isNumber || character == "-" || character == "_" { out.append(character) }
            else if character == " " { out.append("-") }
        }
        return out
    }
}
