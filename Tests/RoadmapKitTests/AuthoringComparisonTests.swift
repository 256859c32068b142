import Foundation
import Testing

@testable import RoadmapKit

/// `plugin compare`: docs/specializations.md is what the command generates from the bundled catalog, and its
/// numbers are those of the plugins and of the planner.
@Suite("Authoring: plugin compare")
struct AuthoringComparisonTests {
    static let page = AuthoringSupport.packageRoot.appendingPathComponent("docs/specializations.md")
    static let regenerate = "regenerate it with: swift run roadmap plugin compare --output docs/specializations.md"

    static func catalog() throws -> Catalog {
        var diagnostics = Diagnostics()
        let catalog = CatalogLoader().load(AuthoringSupport.bundled, diagnostics: &diagnostics)
        try #require(!diagnostics.hasErrors, "\(DiagnosticRenderer().render(diagnostics))")
        return catalog
    }

    /// The comparison `roadmap plugin compare` makes of the bundled catalog, in-process.
    static func comparison(_ plugins: [String]? = nil) throws -> SpecializationComparison {
        var diagnostics = Diagnostics()
        let comparison = SpecializationComparison(catalog: try catalog(), plugins: plugins, diagnostics: &diagnostics)
        try #require(diagnostics.isEmpty, "\(DiagnosticRenderer().render(diagnostics))")
        return comparison
    }

    @Test func pageIsUpToDate() throws {
        let written = try? String(contentsOf: Self.page, encoding: .utf8)
        try #require(written != nil, "docs/specializations.md is missing; \(Self.regenerate)")
        let generated = try Self.comparison().markdown()
        if written != generated {
            let old = written!.split(separator: "\n", omittingEmptySubsequences: false)
            let new = generated.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(old, new).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(old.count, new.count)
            Issue.record("docs/specializations.md is out of date (first difference at line \(line + 1)); \(Self.regenerate)")
        }
    }

    @Test func everyBundledPluginIsCompared() throws {
        let comparison = try Self.comparison()
        #expect(comparison.entries.map(\.plugin.name) == AuthoringSupport.bundledPluginIDs)
        #expect(comparison.entries.allSatisfy { $0.plan != nil && $0.planProblem == nil })
        #expect(comparison.baselines.keys.sorted() == ["ml-research-fellow"])
        let page = comparison.markdown()
        for heading in ["# Specializations compared", "## Size", "## Modules per stage", "## What each builds on", "## Plan length of a typical profile"] {
            #expect(page.contains("\n\(heading)\n"), "no '\(heading)'")
        }
        for id in AuthoringSupport.bundledPluginIDs {
            #expect(page.contains("](plugins/\(id).md) (`\(id)`)"), "no link to the page of \(id)")
        }
        #expect(!page.contains(AuthoringSupport.packageRoot.path))
    }

    @Test func hoursAndStagesAreThePlugins() throws {
        let comparison = try Self.comparison()
        for entry in comparison.entries {
            let modules = entry.plugin.modules
            #expect(entry.allHours == modules.reduce(0) { $0 + $1.hours })
            #expect(entry.requiredHours == modules.filter { !$0.optional }.reduce(0) { $0 + $1.hours })
            #expect(entry.requiredHours <= entry.allHours)
            #expect((entry.optionalModules > 0) == (entry.requiredHours < entry.allHours))
        }
        let stages = comparison.stages.map(\.id)
        #expect(stages == ["engineer", "scientist", "fellow", "senior-fellow"])
    }

    /// The plan row of a plugin is the plan `roadmap plan --current engineer --target fellow --with ID` makes.
    @Test(arguments: ["biomedical-ai", "wireless"])
    func planLengthIsThePlanners(id: String) throws {
        let comparison = try Self.comparison([id])
        let entry = try #require(comparison.entries.first)
        let facts = try #require(entry.plan)

        let catalog = try Self.catalog()
        let profile = SpecializationComparison.TypicalProfile().profile(roadmap: "ml-research-fellow", plugins: [id])
        #expect(profile.currentStage?.value == "engineer")
        #expect(profile.targetStage.value == "fellow")
        #expect(profile.hoursPerWeek.value == 10)
        #expect(profile.maxParallel.value == 2)
        #expect(profile.start.value == CalendarDate(year: 2027, month: 1, day: 4)!)
        #expect(!profile.includeOptional)
        var diagnostics = Diagnostics()
        let composition = try #require(
            Composer(catalog: catalog).compose(roadmap: profile.roadmap, plugins: profile.specializations, diagnostics: &diagnostics))
        let plan = try #require(Planner(composition: composition, profile: profile, today: profile.start.value).plan(diagnostics: &diagnostics))
        #expect(diagnostics.isEmpty)
        #expect(facts.weeks == plan.finishWeek)
        #expect(facts.totalHours == plan.totalHours)
        #expect(facts.finishDate == plan.finishDate)
        #expect(facts.modules == plan.items.count)
        #expect(facts.plugins == plan.plugins.map(\.name))

        // A plugin adds to the roadmap alone.
        let base = try #require(comparison.baselines["ml-research-fellow"])
        #expect(base.plugins.isEmpty)
        #expect(base.totalHours < facts.totalHours)
        #expect(base.weeks <= facts.weeks)
        let row = "| \(facts.modules) | \(AuthoringText.hours(facts.totalHours)) | \(facts.weeks) | \(facts.finishDate) |"
        #expect(comparison.markdown().contains(row), "no row with \(row)")
    }

    @Test func pluginsItRequiresArePartOfItsPlan() throws {
        let comparison = try Self.comparison(["biomedical-ai"])
        let entry = try #require(comparison.entries.first)
        #expect(entry.plan?.plugins == ["biomedical-ai", "multimodal"])
        let page = comparison.markdown()
        #expect(page.contains("`multimodal` `^1.0` ("))
        #expect(page.contains("The 1 domain plugin on the catalog path"))
    }

    @Test func anUnknownPluginIsAnError() throws {
        var diagnostics = Diagnostics()
        let comparison = SpecializationComparison(catalog: try Self.catalog(), plugins: ["wireles"], diagnostics: &diagnostics)
        #expect(comparison.entries.isEmpty)
        #expect(diagnostics.errors.map(\.code) == [.unknownPlugin])
        #expect(diagnostics.errors.first?.help == ["did you mean 'wireless'?"])
    }
}
