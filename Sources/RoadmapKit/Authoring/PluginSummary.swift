/// What a plugin is, gathered for `plugin info` and `plugin doc`: its requirements resolved to versions, its
/// modules by stage, and the modules of other packages it builds on.
public struct PluginSummary: Sendable {
    /// A requirement of the plugin and the copy of the package a plan would use for it.
    public struct Requirement: Sendable {
        public var package: String
        public var requirement: VersionRequirement
        public var resolved: Package
    }

    /// A package pulled in through another requirement.
    public struct Indirect: Sendable {
        public var package: Package
        public var requiredBy: String
    }

    /// The plugin's modules of one stage.
    public struct StageGroup: Sendable {
        public var stage: Stage
        public var modules: [Module]
        public var hours: Double { modules.reduce(0) { $0 + $1.hours } }
    }

    /// A module of another package that modules of the plugin require directly.
    public struct Foundation: Sendable {
        public var module: Module
        public var neededBy: [ModuleID]
    }

    public var plugin: Package
    public var composition: Composition
    public var requirements: [Requirement]
    public var indirect: [Indirect]
    public var stages: [StageGroup]
    /// In the order of the composition's packages, then of declaration.
    public var foundations: [Foundation]
    /// Modules of other packages the plugin needs, directly or through other modules, by package id:
    /// how many and how many hours.
    public var closure: [(package: String, modules: Int, hours: Double)]

    public var totalHours: Double { plugin.modules.reduce(0) { $0 + $1.hours } }

    public init(plugin: Package, composition: Composition) {
        self.plugin = plugin
        self.composition = composition
        let selected = Dictionary(composition.packages.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        requirements = plugin.requirements.compactMap { requirement in
            selected[requirement.package.value].map {
                Requirement(package: requirement.package.value, requirement: requirement.requirement, resolved: $0)
            }
        }
        let direct = Set(plugin.requirements.map(\.package.value))
        indirect = composition.packages.compactMap { package in
            guard package.name != plugin.name, !direct.contains(package.name),
                case .requiredBy(let other)? = composition.reasons[package.name]
            else { return nil }
            return Indirect(package: package, requiredBy: other)
        }
        var groups: [StageGroup] = composition.stages.compactMap { stage in
            let modules = plugin.modules.filter { $0.stage.value == stage.id }
            return modules.isEmpty ? nil : StageGroup(stage: stage, modules: modules)
        }
        let known = Set(composition.stages.map(\.id))
        let strays = plugin.modules.filter { !known.contains($0.stage.value) }
        if !strays.isEmpty {
            let stage = Stage(
                id: strays[0].stage.value, title: "Unknown stage", years: nil, salaryUSD: nil, summary: nil,
                rank: composition.stages.count, location: strays[0].stage.location)
            groups.append(StageGroup(stage: stage, modules: strays))
        }
        stages = groups

        var neededBy: [ModuleID: [ModuleID]] = [:]
        for module in plugin.modules {
            for requirement in composition.requirements[module.id] ?? [] where requirement.package != plugin.name {
                if !(neededBy[requirement]?.contains(module.id) ?? false) { neededBy[requirement, default: []].append(module.id) }
            }
        }
        foundations = composition.declarationOrder.compactMap { id in
            guard let users = neededBy[id], let module = composition.modules[id] else { return nil }
            return Foundation(module: module, neededBy: users)
        }
        // Everything outside the plugin that the plugin needs, through any chain of requirements.
        var seen = Set<ModuleID>()
        var queue = foundations.map(\.module.id)
        while let next = queue.popLast() {
            guard seen.insert(next).inserted else { continue }
            queue += (composition.requirements[next] ?? []).filter { $0.package != plugin.name }
        }
        closure = composition.packages.filter { $0.name != plugin.name }.compactMap { package in
            let modules = package.modules.filter { seen.contains($0.id) }
            return modules.isEmpty ? nil : (package.name, modules.count, modules.reduce(0) { $0 + $1.hours })
        }
    }

    /// `plugin info` as text.
    public func text() -> String {
        var out: [String] = []
        out.append("\(plugin.name) \(plugin.version): \(plugin.title)")
        if let summary = plugin.summary { out += AuthoringText.wrap(summary, width: 100, indent: "  ") }
        out.append("  file: \(plugin.file)" + (plugin.root.map { " (\(PluginWorkspace.describe($0.origin)))" } ?? ""))
        out.append("")
        out.append("Requirements")
        let width = requirements.map { $0.package.count + 1 + $0.requirement.text.count }.max() ?? 0
        for requirement in requirements {
            let written = "\(requirement.package) \(requirement.requirement.text)"
            out.append("  \(pad(written, width))  -> \(requirement.resolved.version)  \(requirement.resolved.kind.rawValue), \(requirement.resolved.file)")
        }
        for entry in indirect {
            out.append("  \(entry.package.name) \(entry.package.version) (\(entry.package.kind.rawValue)), required by '\(entry.requiredBy)', \(entry.package.file)")
        }
        out.append("")
        out.append("Modules: \(plugin.modules.count), \(AuthoringText.hours(totalHours)) h")
        let idWidth = plugin.modules.map { $0.id.description.count }.max() ?? 0
        for group in stages {
            out.append("  \(group.stage.title) (\(group.stage.id)): \(AuthoringText.plural(group.modules.count, "module")), \(AuthoringText.hours(group.hours)) h")
            for module in group.modules {
                var notes: [String] = [module.kind.rawValue]
                if let weeks = module.minWeeks { notes.append("at least \(AuthoringText.plural(weeks, "week"))") }
                if module.optional { notes.append("optional") }
                out.append("    \(pad(module.id.description, idWidth))  \(leftPad(AuthoringText.hours(module.hours), 4)) h  \(module.title) (\(notes.joined(separator: ", ")))")
            }
        }
        out.append("")
        let roadmap = composition.roadmap.name
        let core = foundations.filter { $0.module.id.package == roadmap }
        let other = foundations.filter { $0.module.id.package != roadmap }
        out.append("Builds on \(roadmap): \(AuthoringText.plural(core.count, "module")) required directly")
        let foundationWidth = foundations.map { $0.module.id.description.count }.max() ?? 0
        for foundation in core {
            out.append("  \(pad(foundation.module.id.description, foundationWidth))  \(pad(foundation.module.stage.value, 10))  needed by " + foundation.neededBy.map(\.name).joined(separator: ", "))
        }
        if !other.isEmpty {
            out.append("Builds on other plugins: \(AuthoringText.plural(other.count, "module")) required directly")
            for foundation in other {
                out.append("  \(pad(foundation.module.id.description, foundationWidth))  \(pad(foundation.module.stage.value, 10))  needed by " + foundation.neededBy.map(\.name).joined(separator: ", "))
            }
        }
        if !closure.isEmpty {
            let parts = closure.map { "\(AuthoringText.plural($0.modules, "module")) of \($0.package) (\(AuthoringText.hours($0.hours)) h)" }
            out.append("With what those require: " + parts.joined(separator: ", "))
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func pad(_ text: String, _ width: Int) -> String { AuthoringText.pad(text, width) }
    private func leftPad(_ text: String, _ width: Int) -> String { AuthoringText.padLeft(text, width) }
}

