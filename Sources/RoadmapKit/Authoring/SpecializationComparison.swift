/// `roadmap plugin compare`: every plugin on the catalog path side by side, as a Markdown page
/// (`docs/specializations.md` for the bundled ones): hours (required and with the optional modules), modules
/// per stage, what each builds on in the core roadmap and in other plugins, and the plan of one typical
/// profile with each plugin alone.
///
/// Each plugin is composed with the roadmap it builds on (and the plugins it requires) by ``Composer`` and
/// planned by ``Planner``, exactly as `roadmap plan --with ID` would plan it for that profile. The page
/// depends only on the files, so it can be committed and regenerated.
public struct SpecializationComparison: Sendable {
    /// The profile every plugin is planned for: by default an ML engineer (`current_stage: engineer`) aiming
    /// at `fellow`, 10 hours a week, at most 2 modules at once, from 2027-01-04, with nothing else known.
    public struct TypicalProfile: Sendable {
        public var currentStage: String
        public var targetStage: String
        public var hoursPerWeek: Double
        public var maxParallel: Int
        public var start: CalendarDate

        public init(
            currentStage: String = "engineer", targetStage: String = "fellow", hoursPerWeek: Double = 10,
            maxParallel: Int = 2, start: CalendarDate = CalendarDate(year: 2027, month: 1, day: 4)!
        ) {
            self.currentStage = currentStage
            self.targetStage = targetStage
            self.hoursPerWeek = hoursPerWeek
            self.maxParallel = maxParallel
            self.start = start
        }

        /// The profile for `roadmap` with `plugins` as its specializations.
        public func profile(roadmap: String, plugins: [String]) -> Profile {
            let here = SourceLocation(file: "<typical profile>", line: 1, column: 1)
            return Profile(
                name: "Typical profile", roadmap: Located(roadmap, at: here), currentStage: Located(currentStage, at: here),
                targetStage: Located(targetStage, at: here), specializations: plugins.map { Located($0, at: here) },
                hoursPerWeek: Located(hoursPerWeek, at: here), start: Located(start, at: here), deadline: nil, known: [],
                gaps: [], includeOptional: false, maxParallel: Located(maxParallel, at: here), file: nil)
        }
    }

    /// What a plan of the typical profile comes to.
    public struct PlanFacts: Sendable {
        /// The plugins in the plan: the one compared, then those it pulls in.
        public var plugins: [String]
        /// Modules in the plan, of every package.
        public var modules: Int
        public var totalHours: Double
        public var weeks: Int
        public var finishDate: CalendarDate

        init(_ plan: Plan) {
            plugins = plan.plugins.map(\.name)
            modules = plan.items.count
            totalHours = plan.totalHours
            weeks = plan.finishWeek
            finishDate = plan.finishDate
        }
    }

    /// One plugin, composed with what it builds on.
    public struct Entry: Sendable {
        public var summary: PluginSummary
        /// The typical profile's plan with this plugin alone; nil when it cannot be planned (see `planProblem`).
        public var plan: PlanFacts?
        /// Why the typical profile could not be planned with this plugin (an unknown stage in its roadmap, ...).
        public var planProblem: String?

        public var plugin: Package { summary.plugin }
        /// Hours of the plugin's modules that are not optional.
        public var requiredHours: Double { plugin.modules.filter { !$0.optional }.reduce(0) { $0 + $1.hours } }
        /// Hours of all the plugin's modules, the optional ones too.
        public var allHours: Double { summary.totalHours }
        public var optionalModules: Int { plugin.modules.filter(\.optional).count }
        /// The roadmap the plugin is composed with.
        public var roadmap: String { summary.composition.roadmap.name }
        /// Modules of the roadmap that modules of the plugin require directly.
        public var coreFoundations: [PluginSummary.Foundation] {
            summary.foundations.filter { $0.module.id.package == roadmap }
        }
    }

    public var profile: TypicalProfile
    /// Sorted by plugin id.
    public var entries: [Entry]
    /// The typical profile's plan with the roadmap alone, by roadmap id: what each plugin adds to.
    public var baselines: [String: PlanFacts]
    /// Why the roadmap alone could not be planned, by roadmap id.
    public var baselineProblems: [String: String]

    /// Compares `ids`, in that order (every plugin on the catalog, by id, when nil), each at the copy that wins
    /// on the catalog path.
    /// Problems of composition (an unknown or conflicting requirement, a cycle) are errors in `diagnostics`,
    /// and the plugin is left out; a profile that cannot be planned is noted in its entry.
    public init(catalog: Catalog, plugins ids: [String]? = nil, profile: TypicalProfile = TypicalProfile(), diagnostics: inout Diagnostics) {
        self.profile = profile
        var names: [String] = []
        for plugin in catalog.plugins where !names.contains(plugin.name) { names.append(plugin.name) }
        var chosen: [String] = []
        for id in ids ?? names.sorted() where !chosen.contains(id) { chosen.append(id) }
        var entries: [Entry] = []
        var baselines: [String: PlanFacts] = [:]
        var baselineProblems: [String: String] = [:]
        for id in chosen {
            guard let plugin = catalog.best(id), plugin.kind == .plugin else {
                diagnostics.error(
                    .unknownPlugin, "unknown plugin '\(id)'", at: nil,
                    help: Suggestions.didYouMean(Suggestions.closest(to: id, among: names)).map { [$0] }
                        ?? ["plugins on the catalog path: " + names.joined(separator: ", ")])
                continue
            }
            guard let roadmap = PluginWorkspace.roadmap(of: plugin, in: catalog) else {
                diagnostics.error(.unknownPackage, "plugin '\(plugin.name)' builds on no roadmap on the catalog path", at: plugin.id.location)
                continue
            }
            let errorsBefore = diagnostics.errorCount
            guard let composition = Composer(catalog: catalog).compose(
                roadmap: Located(roadmap.name, at: plugin.id.location), plugins: [plugin.id], diagnostics: &diagnostics),
                diagnostics.errorCount == errorsBefore,
                let composed = composition.packages.first(where: { $0.name == plugin.name })
            else { continue }
            var entry = Entry(summary: PluginSummary(plugin: composed, composition: composition))
            var problems = Diagnostics()
            let typical = profile.profile(roadmap: roadmap.name, plugins: [plugin.name])
            if let plan = Planner(composition: composition, profile: typical, today: profile.start).plan(diagnostics: &problems),
                !problems.hasErrors
            {
                entry.plan = PlanFacts(plan)
            } else {
                entry.planProblem = problems.errors.first?.message ?? "it cannot be planned"
            }
            entries.append(entry)

            if baselines[roadmap.name] == nil && baselineProblems[roadmap.name] == nil {
                var quiet = Diagnostics()
                if let alone = Composer(catalog: catalog).compose(
                    roadmap: Located(roadmap.name, at: roadmap.id.location), plugins: [], diagnostics: &quiet),
                    let plan = Planner(composition: alone, profile: profile.profile(roadmap: roadmap.name, plugins: []), today: profile.start)
                        .plan(diagnostics: &quiet),
                    !quiet.hasErrors
                {
                    baselines[roadmap.name] = PlanFacts(plan)
                } else {
                    baselineProblems[roadmap.name] = quiet.errors.first?.message ?? "it cannot be planned"
                }
            }
        }
        self.entries = entries
        self.baselines = baselines
        self.baselineProblems = baselineProblems
    }

    /// The stages of the roadmaps the plugins build on, lowest first, each once.
    public var stages: [Stage] {
        var seen = Set<String>()
        var result: [Stage] = []
        for entry in entries {
            for stage in entry.summary.composition.stages where seen.insert(stage.id).inserted { result.append(stage) }
        }
        return result
    }

    // MARK: Markdown

    /// The page; its first line names `command`, which regenerates it.
    public func markdown(command: String = "roadmap plugin compare") -> String {
        var out: [String] = []
        out.append("<!-- Generated from the plugins' files by `\(command)`. Do not edit: change the plugins and regenerate. -->")
        out.append("")
        out.append("# Specializations compared")
        out.append("")
        let roadmaps = Array(Set(entries.map(\.roadmap))).sorted()
        var intro = "The \(AuthoringText.plural(entries.count, "domain plugin")) on the catalog path, side by side: their size, how it is "
        intro += "spread over the stages of the career path, what each builds on, and how long a typical plan with each one takes. "
        intro += (roadmaps.count == 1 ? "Every plugin builds on " : "They build on ") + roadmaps.map { "`\($0)`" }.joined(separator: ", ") + "."
        if entries.contains(where: { $0.plugin.root?.origin == .bundled }) {
            intro += " A bundled plugin's own page (every module with its outcomes and resources, a graph, an example plan) is linked from its name."
        }
        out.append(intro)
        if entries.isEmpty { return out.joined(separator: "\n") + "\n" }
        out += sizes()
        out += perStage()
        out += foundations()
        out += shared()
        out += plans()
        return out.joined(separator: "\n") + "\n"
    }

    private func name(_ entry: Entry) -> String {
        let title = PluginDocGenerator.cell(entry.plugin.title)
        if entry.plugin.root?.origin == .bundled {
            return "[\(title)](plugins/\(entry.plugin.name).md) (`\(entry.plugin.name)`)"
        }
        return "\(title) (`\(entry.plugin.name)`)"
    }

    private func sizes() -> [String] {
        var out = ["", "## Size", ""]
        out.append("Hours are the plugin's own estimates. *Required* counts the modules that are not optional: a plan with the plugin holds those of them at or below its target stage that are not mastered yet. *With optional* adds the electives, which join a plan only with `include_optional: true`.")
        out += ["", "| Plugin | Version | Modules | Optional | Hours required | Hours with optional |", "|---|---|---:|---:|---:|---:|"]
        for entry in entries {
            out.append(
                "| \(name(entry)) | \(entry.plugin.version) | \(entry.plugin.modules.count) | \(entry.optionalModules) | \(AuthoringText.hours(entry.requiredHours)) | \(AuthoringText.hours(entry.allHours)) |")
        }
        let required = entries.reduce(0) { $0 + $1.requiredHours }, all = entries.reduce(0) { $0 + $1.allHours }
        let modules = entries.reduce(0) { $0 + $1.plugin.modules.count }, optional = entries.reduce(0) { $0 + $1.optionalModules }
        out.append("| All \(entries.count) | | \(modules) | \(optional) | \(AuthoringText.hours(required)) | \(AuthoringText.hours(all)) |")
        return out
    }

    private func perStage() -> [String] {
        let stages = self.stages
        var out = ["", "## Modules per stage", ""]
        out.append("Modules and hours of each plugin by the stage they must be mastered for; optional modules are counted, and noted.")
        out += ["", "| Plugin | " + stages.map { "\(PluginDocGenerator.cell($0.title)) (`\($0.id)`)" }.joined(separator: " | ") + " |"]
        out.append("|---|" + String(repeating: "---:|", count: stages.count))
        for entry in entries {
            var cells: [String] = []
            for stage in stages {
                let modules = entry.plugin.modules.filter { $0.stage.value == stage.id }
                if modules.isEmpty {
                    cells.append("–")
                    continue
                }
                let optional = modules.filter(\.optional).count
                var cell = "\(modules.count) · \(AuthoringText.hours(modules.reduce(0) { $0 + $1.hours })) h"
                if optional > 0 { cell += " (\(optional) optional)" }
                cells.append(cell)
            }
            out.append("| \(name(entry)) | " + cells.joined(separator: " | ") + " |")
        }
        return out
    }

    private func foundations() -> [String] {
        var out = ["", "## What each builds on", ""]
        out.append("*Core modules* are the modules of the roadmap that the plugin's modules require directly; *in all* adds what those require in turn. *Other plugins* are the plugins it requires (with how many of their modules it requires directly) and those they pull in; every plan with the plugin holds them too.")
        out += ["", "| Plugin | Core modules required directly | Core modules in all | Other plugins |", "|---|---|---:|---|"]
        for entry in entries {
            let core = entry.coreFoundations.map { "`\($0.module.id.name)`" }.joined(separator: ", ")
            let closure = entry.summary.closure.first { $0.package == entry.roadmap }
            let inAll = closure.map { "\($0.modules) · \(AuthoringText.hours($0.hours)) h" } ?? "–"
            var others: [String] = []
            for requirement in entry.summary.requirements where requirement.resolved.kind == .plugin {
                let direct = entry.summary.foundations.filter { $0.module.id.package == requirement.package }.count
                others.append("`\(requirement.package)` `\(requirement.requirement.text)` (\(AuthoringText.plural(direct, "module")) directly)")
            }
            for indirect in entry.summary.indirect where indirect.package.kind == .plugin {
                others.append("`\(indirect.package.name)`, through `\(indirect.requiredBy)`")
            }
            out.append("| \(name(entry)) | \(core.isEmpty ? "–" : core) | \(inAll) | \(others.isEmpty ? "–" : others.joined(separator: "; ")) |")
        }
        return out
    }

    /// Core modules that several plugins require directly.
    private func shared() -> [String] {
        var users: [ModuleID: [String]] = [:]
        var modules: [ModuleID: Module] = [:]
        var order: [ModuleID] = []
        for entry in entries {
            for foundation in entry.coreFoundations {
                if users[foundation.module.id] == nil { order.append(foundation.module.id) }
                users[foundation.module.id, default: []].append(entry.plugin.name)
                modules[foundation.module.id] = foundation.module
            }
        }
        let ranks = Dictionary(stages.map { ($0.id, $0.rank) }, uniquingKeysWith: { first, _ in first })
        func rank(_ id: ModuleID) -> Int { ranks[modules[id]!.stage.value] ?? Int.max }
        // Most plugins first; then lowest stage first, then by id.
        let many = order.filter { users[$0]!.count >= 2 }
            .sorted { (-users[$0]!.count, rank($0), $0) < (-users[$1]!.count, rank($1), $1) }
        guard !many.isEmpty else { return [] }
        var out = ["", "## Core modules most built on", ""]
        out.append("Modules of the roadmap that at least two plugins require directly: studying them serves several specializations at once.")
        out += ["", "| Core module | Stage | Hours | Plugins | Required directly by |", "|---|---|---:|---:|---|"]
        for id in many {
            let module = modules[id]!
            out.append(
                "| \(PluginDocGenerator.cell(module.title)) (`\(id)`) | \(module.stage.value) | \(AuthoringText.hours(module.hours)) | \(users[id]!.count) | "
                    + users[id]!.map { "`\($0)`" }.joined(separator: ", ") + " |")
        }
        return out
    }

    private func plans() -> [String] {
        var out = ["", "## Plan length of a typical profile", ""]
        var who = "The plan of " + (profile.currentStage == "engineer" ? "an ML engineer" : "someone at stage `\(profile.currentStage)`")
        who += " (`current_stage: \(profile.currentStage)`, so the stages up to it count as mastered) "
        who += "aiming at `\(profile.targetStage)`, \(AuthoringText.hours(profile.hoursPerWeek)) hours a week, at most "
        who += "\(AuthoringText.plural(profile.maxParallel, "module")) at once, starting \(profile.start), "
        who += "with only that plugin (and the plugins it requires), no deadline and no optional modules: "
        who += "what `roadmap plan --current \(profile.currentStage) --target \(profile.targetStage) --hours-per-week \(AuthoringText.hours(profile.hoursPerWeek)) --max-parallel \(profile.maxParallel) --start \(profile.start) --with ID` makes. "
        who += "The first rows are the roadmap alone; *added* is what the plugin costs over it."
        out.append(who)
        out += ["", "| Plan | Plugins in it | Modules | Hours | Weeks | Finishes | Added |", "|---|---|---:|---:|---:|---|---|"]
        for roadmap in Array(Set(entries.map(\.roadmap))).sorted() {
            if let base = baselines[roadmap] {
                out.append("| `\(roadmap)` alone | – | \(base.modules) | \(AuthoringText.hours(base.totalHours)) | \(base.weeks) | \(base.finishDate) | |")
            } else {
                out.append("| `\(roadmap)` alone | – | | | | | no plan: \(PluginDocGenerator.cell(baselineProblems[roadmap] ?? "")) |")
            }
        }
        for entry in entries {
            guard let plan = entry.plan else {
                out.append("| \(name(entry)) | | | | | | no plan: \(PluginDocGenerator.cell(entry.planProblem ?? "")) |")
                continue
            }
            var added = ""
            if let base = baselines[entry.roadmap] {
                added = "+\(AuthoringText.hours(plan.totalHours - base.totalHours)) h, +\(AuthoringText.plural(plan.weeks - base.weeks, "week"))"
            }
            let plugins = plan.plugins.map { "`\($0)`" }.joined(separator: ", ")
            out.append(
                "| \(name(entry)) | \(plugins) | \(plan.modules) | \(AuthoringText.hours(plan.totalHours)) | \(plan.weeks) | \(plan.finishDate) | \(added) |")
        }
        out += ["", "Weeks are the plan's finish week: week 1 starts on \(profile.start). A plugin's examples (on its page) show other profiles."]
        return out
    }
}
