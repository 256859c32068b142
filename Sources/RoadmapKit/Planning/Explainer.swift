/// Answers "why is this module here?" and "why is it not?" for a plan.
public struct Explainer: Sendable {
    public let plan: Plan

    public init(plan: Plan) { self.plan = plan }

    /// One chain of requirements from a reason at the top down to the module.
    public struct Chain: Hashable, Sendable {
        /// The root: a stage target, a chosen plugin, or a gap.
        public var root: InclusionCause
        /// Modules from the top of the chain down to the one asked about.
        public var modules: [ModuleID]

        public var text: String {
            let head: String
            switch root {
            case .stageTarget(let stage): head = "stage '\(stage)'"
            case .plugin(let plugin): head = "plugin '\(plugin)'"
            case .gap: head = "gaps in the profile"
            case .requiredBy(let id): head = id.description
            }
            return ([head] + modules.map(\.description)).joined(separator: " -> ")
        }
    }

    /// The shortest chains first, at most `limit` of them.
    public func chains(for id: ModuleID, limit: Int = 8) -> [Chain] {
        var result: [Chain] = []
        // Breadth-first upwards through "required by" causes; each path ends at a root cause.
        var queue: [[ModuleID]] = [[id]]
        var head = 0
        var expanded = 0
        while head < queue.count, result.count < limit, expanded < 10_000 {
            let path = queue[head]
            head += 1
            expanded += 1
            for cause in plan.scope.causes[path[0]] ?? [] {
                switch cause {
                case .requiredBy(let parent):
                    if !path.contains(parent) { queue.append([parent] + path) }
                default:
                    if result.count < limit { result.append(Chain(root: cause, modules: path)) }
                }
            }
        }
        return result
    }

    /// What the module unlocks: modules in the plan that require it directly.
    public func unlocks(_ id: ModuleID) -> [ModuleID] {
        plan.items.filter { $0.requires.contains(id) }.map(\.id)
    }

    /// A paragraph answering why the module is or is not in the plan, safe to print on a terminal.
    public func explanation(for id: ModuleID) -> String {
        TerminalText.block(rawExplanation(for: id))
    }

    private func rawExplanation(for id: ModuleID) -> String {
        let composition = plan.composition
        guard let module = composition.modules[id] else { return "'\(id)' is not a module of this plan's packages." }
        var lines: [String] = ["\(id): \(TerminalText.line(module.title))"]
        lines.append(
            "  stage \(module.stage.value), \(TextLayout.hours(module.hours)) h, \(module.kind.rawValue)"
                + (module.optional ? ", optional" : ""))
        if let item = plan.item(id) {
            lines.append("")
            lines.append("Why it is in the plan:")
            for chain in chains(for: id) { lines.append("  " + chain.text) }
            let unlocked = unlocks(id)
            lines.append("")
            lines.append(
                unlocked.isEmpty
                    ? "It unlocks nothing else in the plan."
                    : "It unlocks: " + unlocked.map(\.description).joined(separator: ", "))
            lines.append("")
            let weeks = item.startWeek == item.endWeek ? "week \(item.startWeek)" : "weeks \(item.startWeek)-\(item.endWeek)"
            lines.append(
                "Scheduled \(weeks) (\(item.startDate.longDescription) to \(item.endDate.longDescription)), "
                    + "\(TextLayout.hours(item.hours)) h; "
                    + (item.critical ? "on the critical path: any delay moves the finish." : "slack of \(TextLayout.plural(item.slackWeeks, "week")).")
            )
            return lines.joined(separator: "\n")
        }
        lines.append("")
        switch plan.scope.exclusions[id] {
        case .masteredStage(let stage):
            lines.append("Not in the plan: its stage '\(stage)' is at or below your current stage, so it counts as mastered.")
            lines.append("List it under 'gaps' in the profile to study it anyway.")
        case .known:
            lines.append("Not in the plan: it is listed under 'known' in the profile.")
        case .journal(let status):
            lines.append("Not in the plan: the journal marks it \(status).")
        case .optional:
            lines.append("Not in the plan: it is optional. Set 'include_optional: true' to plan optional modules.")
        case .aboveTarget(let stage):
            lines.append("Not in the plan: its stage '\(stage)' is above the target '\(plan.targetStage.id)', and nothing in the plan requires it.")
        case nil:
            lines.append("Not in the plan.")
        }
        return lines.joined(separator: "\n")
    }
}
