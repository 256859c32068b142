import Foundation
import PropertyBased
import Testing

@testable import RoadmapKit

/// Property tests of the whole planning pipeline: random roadmaps and plugins written as YAML text, read,
/// composed and planned for random profiles, and the plan checked against the design's planning rules.
@Suite("Planner properties")
struct PlannerPropertyTests {
    // MARK: Random catalogs

    static let roadmapID = "prop-roadmap"
    static let stageIDs = ["alpha", "beta", "gamma", "delta"]
    static let pluginIDs = ["plug-one", "plug-two"]

    struct ModuleSpec: Sendable {
        var package: String
        var name: String
        var stage: Int
        var hours: Double
        var minWeeks: Int?
        var optional: Bool
        /// As written in the file: bare ids of the same package or `PACKAGE/ID`.
        var written: [String]
        /// The same, as full ids.
        var requires: [String]
        var id: String { "\(package)/\(name)" }
    }

    struct PackageSpec: Sendable {
        var id: String
        var isPlugin: Bool
        /// Package ids it requires (plugins only).
        var requiresPackages: [String]
        var modules: [ModuleSpec]

        var file: String { isPlugin ? "Plugins/\(id)/plugin.yaml" : "Roadmaps/\(id).yaml" }

        var yaml: String {
            var lines: [String] = []
            if isPlugin {
                lines += ["plugin: \(id)", "title: Plugin \(id)", "version: 1.0.0", "requires:"]
                lines += requiresPackages.map { "  \($0): ^1.0" }
            } else {
                lines += ["roadmap: \(id)", "title: Property roadmap", "version: 1.0.0", "stages:"]
                for stage in PlannerPropertyTests.stageIDs { lines += ["  - id: \(stage)", "    title: Stage \(stage)"] }
            }
            lines.append("modules:")
            for module in modules {
                lines += [
                    "  - id: \(module.name)", "    title: Module \(module.id)",
                    "    stage: \(PlannerPropertyTests.stageIDs[module.stage])", "    hours: \(module.hours)",
                ]
                if let minWeeks = module.minWeeks { lines.append("    min_weeks: \(minWeeks)") }
                if module.optional { lines.append("    optional: true") }
                if !module.written.isEmpty { lines.append("    requires: [\(module.written.joined(separator: ", "))]") }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    struct ProfileSpec: Sendable {
        var current: Int?
        var target: Int
        var specializations: [String]
        var hoursPerWeek: Double
        var maxParallel: Int
        var includeOptional: Bool
        var known: [String]
        var gaps: [String]
        var deadline: String?

        var yaml: String {
            var lines = ["name: Prop", "roadmap: \(PlannerPropertyTests.roadmapID)"]
            if let current { lines.append("current_stage: \(PlannerPropertyTests.stageIDs[current])") }
            lines.append("target_stage: \(PlannerPropertyTests.stageIDs[target])")
            lines.append("specializations: [\(specializations.joined(separator: ", "))]")
            lines += ["hours_per_week: \(hoursPerWeek)", "start: 2027-01-04"]
            if let deadline { lines.append("deadline: \(deadline)") }
            lines.append("known: [\(known.joined(separator: ", "))]")
            lines.append("gaps: [\(gaps.joined(separator: ", "))]")
            lines += ["include_optional: \(includeOptional)", "max_parallel: \(maxParallel)"]
            return lines.joined(separator: "\n") + "\n"
        }
    }

    struct Case: Sendable, CustomStringConvertible {
        var packages: [PackageSpec]
        var profile: ProfileSpec

        var files: [(file: String, text: String)] { packages.map { ($0.file, $0.yaml) } }

        var description: String {
            (files.map { "--- \($0.file)\n\($0.text)" } + ["--- profile.yaml\n\(profile.yaml)"]).joined()
        }

        /// Every module of every package, by full id.
        var modules: [String: ModuleSpec] {
            Dictionary(uniqueKeysWithValues: packages.flatMap(\.modules).map { ($0.id, $0) })
        }
    }

    static let cases = Generator<Case, Shrink.None<Case>> { rng in
        func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
        func chance(_ percent: Int) -> Bool { int(1...100) <= percent }
        func module(package: String, index: Int, candidates: [(written: String, full: String)]) -> ModuleSpec {
            var written: [String] = [], requires: [String] = []
            if !candidates.isEmpty {
                for _ in 0..<int(0...3) {
                    let pick = candidates[int(0...(candidates.count - 1))]
                    if !requires.contains(pick.full) {
                        written.append(pick.written)
                        requires.append(pick.full)
                    }
                }
            }
            return ModuleSpec(
                package: package, name: "m\(index)", stage: int(0...3), hours: Double(int(1...320)) / 4,
                minWeeks: chance(25) ? int(1...8) : nil, optional: chance(20), written: written, requires: requires)
        }

        // The roadmap: requirements to earlier modules, by bare id or now and then by full id.
        var roadmap = PackageSpec(id: roadmapID, isPlugin: false, requiresPackages: [], modules: [])
        for index in 0..<int(1...25) {
            let earlier = roadmap.modules.map { ($0.name, $0.id) } + roadmap.modules.map { ($0.id, $0.id) }
            roadmap.modules.append(module(package: roadmapID, index: index, candidates: earlier))
        }
        var packages = [roadmap]
        // Plugins: the second may build on the first; requirements reach the roadmap, earlier modules of
        // the same plugin, and the first plugin's modules when it builds on it.
        for pluginIndex in 0..<int(0...2) {
            let id = pluginIDs[pluginIndex]
            var plugin = PackageSpec(id: id, isPlugin: true, requiresPackages: [roadmapID], modules: [])
            if pluginIndex == 1, chance(60) { plugin.requiresPackages.append(pluginIDs[0]) }
            let outside = packages.filter { plugin.requiresPackages.contains($0.id) }.flatMap(\.modules).map { ($0.id, $0.id) }
            for index in 0..<int(1...10) {
                let own = plugin.modules.map { ($0.name, $0.id) }
                plugin.modules.append(module(package: id, index: index, candidates: outside + own))
            }
            packages.append(plugin)
        }
        // Now and then the first plugin builds on the second as a package too (its modules do not require the
        // second's), so that the plugins require each other.
        if packages.count == 3, chance(30) { packages[1].requiresPackages.append(pluginIDs[1]) }
        let plugins = packages.dropFirst().map(\.id)
        let specializations = plugins.filter { _ in chance(70) }
        // known and gaps name modules of the composed packages only; others would be unknown modules.
        let composed = composedPackages(Case(
            packages: packages,
            profile: ProfileSpec(
                current: nil, target: 0, specializations: specializations, hoursPerWeek: 1, maxParallel: 1,
                includeOptional: false, known: [], gaps: [], deadline: nil)))
        let all = packages.filter { composed.contains($0.id) }.flatMap(\.modules).map(\.id)
        func someModules() -> [String] {
            var picked: [String] = []
            for _ in 0..<int(0...3) {
                let id = all[int(0...(all.count - 1))]
                if !picked.contains(id) { picked.append(id) }
            }
            return picked
        }
        let profile = ProfileSpec(
            current: chance(40) ? nil : int(0...3), target: int(0...3),
            specializations: specializations, hoursPerWeek: Double(int(4...160)) / 4,
            maxParallel: int(1...4), includeOptional: chance(30), known: someModules(), gaps: someModules(),
            deadline: chance(20) ? ["2027-06-28", "2028-01-03", "2029-12-31"][int(0...2)] : nil)
        return Case(packages: packages, profile: profile)
    }

    // MARK: The expected scope, from the design's rules

    /// The packages a profile composes: the roadmap, the chosen plugins, and the plugins they require.
    static func composedPackages(_ input: Case) -> Set<String> {
        var result: Set<String> = [roadmapID]
        var queue = input.profile.specializations
        while let next = queue.popLast() {
            guard result.insert(next).inserted, let package = input.packages.first(where: { $0.id == next }) else { continue }
            queue += package.requiresPackages
        }
        return result
    }

    /// Every non-optional (or, when asked, every) module of the composed packages up to the target stage, and
    /// the gaps; then everything these require, transitively; minus what is mastered (stages up to the current
    /// one, `known`) unless it is a gap. A mastered module's own requirements are not followed: what you have
    /// mastered needs no prerequisites studied.
    static func expectedScope(_ input: Case) -> Set<String> {
        let packages = composedPackages(input)
        let modules = input.modules.filter { packages.contains($0.value.package) }
        let profile = input.profile
        func mastered(_ id: String) -> Bool {
            guard !profile.gaps.contains(id), let module = modules[id] else { return false }
            if profile.known.contains(id) { return true }
            if let current = profile.current, module.stage <= current { return true }
            return false
        }
        var roots = modules.values.filter { $0.stage <= profile.target && (!$0.optional || profile.includeOptional) }.map(\.id)
        roots += profile.gaps.filter { modules[$0] != nil }
        var scope = Set<String>()
        var queue = roots.filter { !mastered($0) }
        while let id = queue.popLast() {
            guard scope.insert(id).inserted else { continue }
            queue += (modules[id]?.requires ?? []).filter { !mastered($0) }
        }
        return scope
    }

    // MARK: Checks

    /// Every planning rule a plan of `input` must follow, as a list of broken ones. The lower bound and the
    /// determinism of the output are checked by the test.
    static func violations(of plan: Plan, for input: Case) -> [String] {
        var problems: [String] = []
        let specs = input.modules
        let capacity = PlanningTestSupport.minutes(input.profile.hoursPerWeek)

        // Scope: each expected module exactly once, with all its hours.
        let ids = plan.items.map(\.id.description)
        let expected = expectedScope(input)
        if ids.count != Set(ids).count { problems.append("a module is scheduled twice: \(ids.sorted())") }
        if Set(ids) != expected {
            problems.append(
                "scope: missing \(expected.subtracting(ids).sorted()), unexpected \(Set(ids).subtracting(expected).sorted())")
        }
        let items = Dictionary(plan.items.map { ($0.id.description, $0) }, uniquingKeysWith: { a, _ in a })
        for item in plan.items {
            let id = item.id.description
            guard let spec = specs[id] else {
                problems.append("\(id) is not a module of the catalog")
                continue
            }
            let scheduled = item.hoursByWeek.reduce(0) { $0 + PlanningTestSupport.minutes($1.hours) }
            if PlanningTestSupport.minutes(item.hours) != PlanningTestSupport.minutes(spec.hours) || scheduled != PlanningTestSupport.minutes(spec.hours) {
                problems.append("\(id): \(spec.hours) h, item says \(item.hours) h, weeks give \(Double(scheduled) / 60) h")
            }
            if let first = item.hoursByWeek.first?.week, let last = item.hoursByWeek.last?.week,
                first != item.startWeek || last != item.endWeek
            {
                problems.append("\(id): weeks \(item.startWeek)-\(item.endWeek), hours given in weeks \(first)-\(last)")
            }
            // min_weeks: at most ceil(hours / min_weeks) hours a week.
            if let minWeeks = spec.minWeeks, minWeeks > 1 {
                let cap = (spec.hours / Double(minWeeks)).rounded(.up)
                for week in item.hoursByWeek where PlanningTestSupport.minutes(week.hours) > PlanningTestSupport.minutes(cap) {
                    problems.append("\(id): \(week.hours) h in week \(week.week), min_weeks \(minWeeks) allows \(cap) h")
                }
            }
            // Order: no start before each requirement in the plan ends.
            for requirement in spec.requires {
                guard let before = items[requirement] else { continue }
                if item.startWeek < before.endWeek {
                    problems.append("\(id) starts in week \(item.startWeek), before \(requirement) ends in week \(before.endWeek)")
                }
            }
        }

        // Week by week: capacity, order within the week, parallelism.
        var received: [String: Int] = [:]
        var open = Set<String>()
        for (offset, week) in plan.weeks.enumerated() {
            if week.week != offset + 1 { problems.append("week \(offset + 1) is numbered \(week.week)") }
            let total = week.allocations.reduce(0) { $0 + PlanningTestSupport.minutes($1.hours) }
            if total > capacity { problems.append("week \(week.week): \(Double(total) / 60) h, more than \(input.profile.hoursPerWeek)") }
            for allocation in week.allocations {
                let id = allocation.module.description
                guard let spec = specs[id] else { continue }
                for requirement in spec.requires where items[requirement] != nil {
                    if received[requirement, default: 0] < PlanningTestSupport.minutes(specs[requirement]!.hours) {
                        problems.append("week \(week.week): \(id) receives hours before \(requirement) has all of its hours")
                    }
                }
                if received[id, default: 0] == 0 { open.insert(id) }
                if open.count > input.profile.maxParallel {
                    problems.append("week \(week.week): \(open.count) modules in progress at once, max_parallel \(input.profile.maxParallel)")
                }
                received[id, default: 0] += PlanningTestSupport.minutes(allocation.hours)
                if received[id, default: 0] >= PlanningTestSupport.minutes(spec.hours) { open.remove(id) }
            }
        }
        let lastEnd = plan.items.map(\.endWeek).max() ?? 0
        if plan.finishWeek != lastEnd || plan.weeks.count != lastEnd {
            problems.append("finish week \(plan.finishWeek), \(plan.weeks.count) weeks, last module ends in week \(lastEnd)")
        }

        // Milestones: one per stage above the current one up to the target, in order, never earlier than
        // the one before, each when the last module of its stage or below ends.
        let expectedStages = stageIDs.indices.filter { $0 <= input.profile.target && $0 > (input.profile.current ?? -1) }
        if plan.milestones.map(\.stage.id) != expectedStages.map({ stageIDs[$0] }) {
            problems.append("milestones \(plan.milestones.map(\.stage.id)), expected \(expectedStages.map { stageIDs[$0] })")
        }
        for (earlier, later) in zip(plan.milestones, plan.milestones.dropFirst()) where later.week < earlier.week {
            problems.append("milestone \(later.stage.id) (week \(later.week)) comes before \(earlier.stage.id) (week \(earlier.week))")
        }
        for milestone in plan.milestones {
            let week = plan.items.filter { $0.stage.rank <= milestone.stage.rank }.map(\.endWeek).max() ?? 0
            if milestone.week != week { problems.append("milestone \(milestone.stage.id) in week \(milestone.week), expected \(week)") }
        }
        return problems
    }

    /// Runs the whole pipeline on a case, from the YAML text.
    static func plan(_ input: Case) throws -> Plan {
        let catalog = try PlanningTestSupport.catalog(input.files)
        let profile = try PlanningTestSupport.profile(input.profile.yaml)
        return try PlanningTestSupport.plan(catalog, profile)
    }

    /// Whether a module with a weekly limit is in the plan.
    static func hasWeeklyCaps(_ plan: Plan) -> Bool { plan.items.contains { $0.module.weeklyCap != nil } }

    // MARK: Properties

    @Test func plansFollowEveryPlanningRule() async throws {
        await propertyCheck(count: 150, input: Self.cases) { input in
            let plan = try Self.plan(input)
            let problems = Self.violations(of: plan, for: input)
            #expect(problems.isEmpty, "\(problems.prefix(10).joined(separator: "\n"))\n\(input)")
        }
    }

    @Test func sameInputGivesByteIdenticalJSON() async throws {
        await propertyCheck(count: 100, input: Self.cases) { input in
            let first = try PlanJSONRenderer().render(try Self.plan(input))
            let second = try PlanJSONRenderer().render(try Self.plan(input))
            #expect(first == second, "\(input)")
        }
    }

    /// Without `min_weeks` the scheduler can give any module the whole week, so it never idles: the plan ends
    /// exactly at the lower bound.
    @Test func withoutMinWeeksTheFinishIsTheLowerBound() async throws {
        await propertyCheck(count: 150, input: Self.cases.map { input in
            var copy = input
            for p in copy.packages.indices {
                for m in copy.packages[p].modules.indices { copy.packages[p].modules[m].minWeeks = nil }
            }
            return copy
        }) { input in
            let plan = try Self.plan(input)
            #expect(plan.finishWeek == plan.lowerBoundWeeks, "finish \(plan.finishWeek), lower bound \(plan.lowerBoundWeeks)\n\(input)")
            let total = plan.items.reduce(0) { $0 + PlanningTestSupport.minutes($1.hours) }
            let capacity = PlanningTestSupport.minutes(input.profile.hoursPerWeek)
            #expect(plan.lowerBoundWeeks == (total + capacity - 1) / capacity)
        }
    }

    /// The finish against the lower bound on plans with `min_weeks` modules: never below it (a known issue,
    /// see `SchedulerPropertyTests.lowerBoundCountsCappedWeeksAsFullWeeks`), and the ratio recorded.
    @Test func finishAgainstTheLowerBoundWithMinWeeks() async throws {
        var ratios: [(ratio: Double, parallel: Int)] = []
        var below: [String] = []
        await propertyCheck(count: 150, input: Self.cases) { input in
            let plan = try Self.plan(input)
            guard Self.hasWeeklyCaps(plan), plan.lowerBoundWeeks > 0 else { return }
            ratios.append((Double(plan.finishWeek) / Double(plan.lowerBoundWeeks), input.profile.maxParallel))
            if plan.finishWeek < plan.lowerBoundWeeks {
                below.append("finish \(plan.finishWeek) < lower bound \(plan.lowerBoundWeeks)")
            }
        }
        let summary = Self.summary(ratios.map(\.ratio))
        let parallel = Self.summary(ratios.filter { $0.parallel >= 2 }.map(\.ratio))
        print("Planner quality with min_weeks, finish / lower bound: all \(summary); max_parallel >= 2 \(parallel); "
            + "\(below.count) plans below the bound")
        // What holds on every run measured (median 1.000 each time, worst 1.21-1.42 with max_parallel >= 2, up
        // to 2.7 with max_parallel 1): the typical plan ends at its lower bound. The worst cases are many modules
        // held back by min_weeks with too few slots to fill the week, which the bound does not count.
        let sorted = ratios.filter { $0.parallel >= 2 }.map(\.ratio).sorted()
        if sorted.count >= 20 {
            #expect(sorted[sorted.count / 2] <= 1.05, "median finish / lower bound with max_parallel >= 2: \(parallel)")
        }
        #expect(below.isEmpty, "\(below.prefix(5).joined(separator: "\n"))")
    }

    static func summary(_ ratios: [Double]) -> String {
        guard !ratios.isEmpty else { return "no cases" }
        let sorted = ratios.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        return String(format: "n=%d min %.3f median %.3f worst %.3f", sorted.count, sorted.first!, median, sorted.last!)
    }
}
