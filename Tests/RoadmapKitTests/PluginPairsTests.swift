import Foundation
import Testing

@testable import RoadmapKit

/// Issue 9's "done when": `roadmap plan --with` any combination of the bundled plugins gives a valid plan.
/// Every pair of bundled plugins is composed with the core roadmap and planned in-process (as `roadmap plan
/// --with A --with B` does), for two profiles: a newcomer aiming at `fellow`, and an engineer aiming at the
/// top stage with the optional modules too.
@Suite("Plugin pairs")
struct PluginPairsTests {
    struct Pair: Sendable, CustomTestStringConvertible {
        var first: String
        var second: String
        var testDescription: String { "\(first) + \(second)" }
    }

    static let catalog: Catalog = {
        var diagnostics = Diagnostics()
        return CatalogLoader().load(AuthoringSupport.bundled, diagnostics: &diagnostics)
    }()

    static let pairs: [Pair] = {
        let ids = AuthoringSupport.bundledPluginIDs
        var pairs: [Pair] = []
        for (index, first) in ids.enumerated() {
            for second in ids[(index + 1)...] { pairs.append(Pair(first: first, second: second)) }
        }
        return pairs
    }()

    static func profile(
        _ plugins: [String], current: String?, target: String, hours: Double, parallel: Int, optional: Bool
    ) -> Profile {
        let here = SourceLocation(file: "<pair profile>", line: 1, column: 1)
        return Profile(
            name: nil, roadmap: Located("ml-research-fellow", at: here), currentStage: current.map { Located($0, at: here) },
            targetStage: Located(target, at: here), specializations: plugins.map { Located($0, at: here) },
            hoursPerWeek: Located(hours, at: here), start: Located(CalendarDate(year: 2027, month: 1, day: 4)!, at: here),
            deadline: nil, known: [], gaps: [], includeOptional: optional, maxParallel: Located(parallel, at: here), file: nil)
    }

    @Test func everyPairIsTested() {
        let count = AuthoringSupport.bundledPluginIDs.count
        #expect(count >= 10)
        #expect(Self.pairs.count == count * (count - 1) / 2)
    }

    @Test(arguments: pairs)
    func pairGivesAValidPlan(pair: Pair) throws {
        let plugins = [pair.first, pair.second]
        let profiles = [
            Self.profile(plugins, current: nil, target: "fellow", hours: 10, parallel: 2, optional: false),
            Self.profile(plugins, current: "engineer", target: "senior-fellow", hours: 15, parallel: 3, optional: true),
        ]
        for profile in profiles {
            try check(profile)
        }
    }

    private func check(_ profile: Profile) throws {
        let what = "\(profile.specializations.map(\.value)) to \(profile.targetStage.value)"
        var diagnostics = Diagnostics()
        let composed = Composer(catalog: Self.catalog).compose(
            roadmap: profile.roadmap, plugins: profile.specializations, diagnostics: &diagnostics)
        let composition = try #require(composed, "\(what): \(DiagnosticRenderer().render(diagnostics))")
        for plugin in profile.specializations {
            #expect(composition.packages.contains { $0.name == plugin.value }, "\(what): \(plugin.value) is not composed")
        }
        let planned = Planner(composition: composition, profile: profile, today: profile.start.value).plan(diagnostics: &diagnostics)
        #expect(diagnostics.isEmpty, "\(what):\n\(DiagnosticRenderer().render(diagnostics))")
        let plan = try #require(planned, "\(what): no plan")

        // The scope: every module of the composed plugins up to the target (optional ones when asked for) that
        // is not mastered, and everything in scope is scheduled, exactly once, for all of its hours.
        let targetRank = try #require(composition.stageRank(profile.targetStage.value))
        let currentRank = profile.currentStage.flatMap { composition.stageRank($0.value) } ?? -1
        for package in composition.packages.dropFirst() {
            for module in package.modules {
                let rank = try #require(composition.stageRank(module.stage.value))
                guard rank <= targetRank, rank > currentRank, !module.optional || profile.includeOptional else { continue }
                #expect(plan.scope.contains(module.id), "\(what): \(module.id) is not in the plan")
            }
        }
        let scheduled = plan.items.map(\.id)
        #expect(Set(scheduled).count == scheduled.count, "\(what): a module is scheduled twice")
        #expect(Set(scheduled) == Set(plan.scope.modules), "\(what): scheduled modules differ from the scope")
        var total = 0.0
        for item in plan.items {
            #expect(item.hours == item.module.hours, "\(what): \(item.id) gets \(item.hours) of \(item.module.hours) hours")
            let given = item.hoursByWeek.reduce(0) { $0 + $1.hours }
            #expect(abs(given - item.hours) < 1e-6, "\(what): \(item.id) is given \(given) of \(item.hours) hours")
            #expect(item.startWeek >= 1 && item.startWeek <= item.endWeek && item.endWeek <= plan.finishWeek)
            total += item.hours
            // Order: everything it requires that is in the plan is finished by the week it starts.
            for requirement in composition.requirements[item.id] ?? [] where plan.scope.contains(requirement) {
                let before = try #require(plan.item(requirement))
                #expect(before.endWeek <= item.startWeek, "\(what): \(requirement) ends in week \(before.endWeek), after \(item.id) starts in \(item.startWeek)")
            }
        }
        #expect(abs(total - plan.totalHours) < 1e-6)
        // Capacity, week by week.
        for week in plan.weeks {
            #expect(week.hours <= profile.hoursPerWeek.value + 1e-6, "\(what): week \(week.week) has \(week.hours) hours")
        }
        #expect(plan.finishWeek >= plan.lowerBoundWeeks)
        #expect(plan.finishWeek >= Int((plan.totalHours / profile.hoursPerWeek.value).rounded(.up)))
    }
}
