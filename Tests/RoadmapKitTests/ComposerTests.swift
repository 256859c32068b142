import Foundation
import Testing

@testable import RoadmapKit

/// Composition (version resolution, plugins pulled in by plugins, unknown names) and the profile rules that
/// decide what is in a plan and why: scope, exclusions and the explanation chains.
@Suite("Composer and scope")
struct ComposerTests {
    // MARK: A small catalog

    /// A roadmap of four stages:
    ///
    ///     engineer:      basics, tooling (optional)
    ///     scientist:     methods <- basics; reading
    ///     fellow:        agenda <- methods
    ///     senior-fellow: grants <- agenda
    static let roadmap = """
        roadmap: core
        title: Core roadmap
        version: 1.2.0
        stages:
          - {id: engineer, title: Engineer}
          - {id: scientist, title: Scientist}
          - {id: fellow, title: Fellow}
          - {id: senior-fellow, title: Senior fellow}
        modules:
          - {id: basics, title: Basics, stage: engineer, hours: 10}
          - {id: tooling, title: Tooling, stage: engineer, hours: 5, optional: true}
          - {id: methods, title: Methods, stage: scientist, hours: 20, requires: [basics]}
          - {id: reading, title: Reading, stage: scientist, hours: 8}
          - {id: agenda, title: Agenda, stage: fellow, hours: 30, requires: [methods]}
          - {id: grants, title: Grants, stage: senior-fellow, hours: 12, requires: [agenda]}
        """

    /// A plugin file's text.
    static func plugin(
        _ id: String, version: String, requires: [String: String] = [:], modules: String? = nil
    ) -> (file: String, text: String) {
        var lines = ["plugin: \(id)", "title: Plugin \(id)", "version: \(version)", "requires:"]
        lines += requires.merging(["core": "^1.0"]) { written, _ in written }.sorted { $0.key < $1.key }
            .map { "  \($0.key): \($0.value)" }
        lines.append("modules:")
        lines.append(modules ?? "  - {id: \(id)-intro, title: Intro to \(id), stage: scientist, hours: 6, requires: [core/basics]}")
        return ("Plugins/\(id)-\(version)/plugin.yaml", lines.joined(separator: "\n") + "\n")
    }

    static func catalog(_ plugins: [(file: String, text: String)]) throws -> Catalog {
        try PlanningTestSupport.catalog([("Roadmaps/core.yaml", roadmap)] + plugins)
    }

    static let here = SourceLocation(file: "<test>", line: 1, column: 1)

    static func compose(
        _ catalog: Catalog, _ plugins: [String], diagnostics: inout Diagnostics
    ) -> Composition? {
        Composer(catalog: catalog).compose(
            roadmap: Located("core", at: here), plugins: plugins.map { Located($0, at: here) }, diagnostics: &diagnostics)
    }

    /// A profile on the `core` roadmap.
    static func profile(
        current: String? = nil, target: String = "fellow", plugins: [String] = [], known: [String] = [],
        gaps: [String] = [], includeOptional: Bool = false
    ) throws -> Profile {
        var lines = ["roadmap: core", "target_stage: \(target)", "hours_per_week: 10", "start: 2027-01-04"]
        if let current { lines.append("current_stage: \(current)") }
        lines.append("specializations: [\(plugins.joined(separator: ", "))]")
        lines.append("known: [\(known.joined(separator: ", "))]")
        lines.append("gaps: [\(gaps.joined(separator: ", "))]")
        lines.append("include_optional: \(includeOptional)")
        return try PlanningTestSupport.profile(lines.joined(separator: "\n") + "\n")
    }

    static func id(_ text: String) -> ModuleID { ModuleID(parsing: text, defaultPackage: nil)! }

    // MARK: Version resolution

    /// Three versions of `vision`, and plugins that require it in different ways.
    static let visions = [
        Self.plugin("vision", version: "1.0.0"), Self.plugin("vision", version: "1.4.0"), Self.plugin("vision", version: "2.0.0"),
    ]

    @Test func newestVersionWithoutRequirements() throws {
        var diagnostics = Diagnostics()
        let composition = try #require(Self.compose(try Self.catalog(Self.visions), ["vision"], diagnostics: &diagnostics))
        #expect(diagnostics.isEmpty)
        #expect(composition.packages.map(\.label) == ["'core' 1.2.0", "'vision' 2.0.0"])
    }

    @Test func highestVersionThatMeetsEveryRequirement() throws {
        let catalog = try Self.catalog(
            Self.visions + [Self.plugin("robotics", version: "1.0.0", requires: ["vision": "^1.0"])])
        var diagnostics = Diagnostics()
        let composition = try #require(Self.compose(catalog, ["robotics", "vision"], diagnostics: &diagnostics))
        #expect(diagnostics.isEmpty, "\(DiagnosticRenderer().render(diagnostics))")
        #expect(composition.packages.map(\.label) == ["'core' 1.2.0", "'robotics' 1.0.0", "'vision' 1.4.0"])
        #expect(composition.reasons["vision"] == .chosen)
        #expect(composition.modules[Self.id("vision/vision-intro")] != nil)
    }

    @Test func highestVersionThatMeetsTwoRequirements() throws {
        // ^1.0 allows 1.0.0 and 1.4.0; ~1.0 (>= 1.0.0, < 1.1.0) only 1.0.0.
        let catalog = try Self.catalog(
            Self.visions + [
                Self.plugin("robotics", version: "1.0.0", requires: ["vision": "^1.0"]),
                Self.plugin("lidar", version: "1.0.0", requires: ["vision": "~1.0"]),
            ])
        var diagnostics = Diagnostics()
        let composition = try #require(Self.compose(catalog, ["robotics", "lidar"], diagnostics: &diagnostics))
        #expect(diagnostics.isEmpty, "\(DiagnosticRenderer().render(diagnostics))")
        #expect(composition.packages.first { $0.name == "vision" }?.version == Version(1, 0, 0))
    }

    @Test func conflictIsRefusedNamingWhoRequiresWhat() throws {
        let catalog = try Self.catalog(
            Self.visions + [
                Self.plugin("robotics", version: "1.0.0", requires: ["vision": "^1.0"]),
                Self.plugin("drones", version: "3.1.0", requires: ["vision": "^2.0"]),
            ])
        var diagnostics = Diagnostics()
        #expect(Self.compose(catalog, ["robotics", "drones"], diagnostics: &diagnostics) == nil)
        let error = try #require(diagnostics.errors.first)
        #expect(diagnostics.errors.count == 1)
        #expect(error.code == .versionConflict)
        #expect(error.message.hasPrefix("dependencies could not be resolved because "), "\(error.message)")
        #expect(error.message.contains("'robotics' 1.0.0 requires 'vision' ^1.0"), "\(error.message)")
        #expect(error.message.contains("'drones' 3.1.0 requires 'vision' ^2.0"), "\(error.message)")
        #expect(error.message.contains("2.0.0, 1.4.0, 1.0.0"), "the versions on the path: \(error.message)")
        #expect(error.message.contains("no version of 'vision' meets all of them"), "\(error.message)")
        #expect(error.location != nil)
        #expect(!error.help.isEmpty)
    }

    /// robotics 2.0.0 needs vision ^2.0, robotics 1.0.0 needs vision ^1.0, and lidar needs vision ~1.0: robotics
    /// 1.0.0 with vision 1.0.0 meets every requirement, as a resolver that backtracks (SwiftPM's) finds. Taking
    /// the newest robotics first and never revisiting it ends in a conflict instead.
    @Test func olderVersionOfAChosenPluginIsTakenWhenOnlyItFits() throws {
        let catalog = try Self.catalog(
            Self.visions + [
                Self.plugin("robotics", version: "1.0.0", requires: ["vision": "^1.0"]),
                Self.plugin("robotics", version: "2.0.0", requires: ["vision": "^2.0"]),
                Self.plugin("lidar", version: "1.0.0", requires: ["vision": "~1.0"]),
            ])
        var diagnostics = Diagnostics()
        let composition = Self.compose(catalog, ["robotics", "lidar"], diagnostics: &diagnostics)
        #expect(diagnostics.isEmpty, "\(DiagnosticRenderer().render(diagnostics))")
        #expect(
            composition?.packages.map(\.label) == ["'core' 1.2.0", "'robotics' 1.0.0", "'lidar' 1.0.0", "'vision' 1.0.0"])
    }

    /// Both robotics and lidar are chosen, and lidar needs robotics ^1.0. The newest robotics (2.0.0) would
    /// pull in extra, but robotics 1.0.0 is the one taken, and it needs nothing: extra must not join the plan,
    /// nor its modules. (With lidar alone, robotics is pulled in at 1.0.0 before its 2.0.0 requirements are
    /// read, and extra never comes in.)
    @Test func pluginOnlyANewerVersionNeededIsLeftOut() throws {
        let catalog = try Self.catalog([
            Self.plugin("robotics", version: "1.0.0"),
            Self.plugin("robotics", version: "2.0.0", requires: ["extra": "^1.0"]),
            Self.plugin("extra", version: "1.0.0"),
            Self.plugin("lidar", version: "1.0.0", requires: ["robotics": "^1.0"]),
        ])
        var diagnostics = Diagnostics()
        let alone = try #require(Self.compose(catalog, ["lidar"], diagnostics: &diagnostics))
        #expect(alone.packages.map(\.label) == ["'core' 1.2.0", "'lidar' 1.0.0", "'robotics' 1.0.0"])
        let composition = try #require(Self.compose(catalog, ["robotics", "lidar"], diagnostics: &diagnostics))
        #expect(diagnostics.isEmpty, "\(DiagnosticRenderer().render(diagnostics))")
        #expect(composition.packages.first { $0.name == "robotics" }?.version == Version(1, 0, 0))
        #expect(composition.packages.map(\.name) == ["core", "robotics", "lidar"])
        #expect(!composition.modules.keys.contains(Self.id("extra/extra-intro")))
    }

    @Test func requirementNoVersionMeetsIsRefused() throws {
        let catalog = try Self.catalog([Self.plugin("future", version: "1.0.0", requires: ["core": "^2.0"])])
        var diagnostics = Diagnostics()
        #expect(Self.compose(catalog, ["future"], diagnostics: &diagnostics) == nil)
        let error = try #require(diagnostics.errors.first)
        #expect(error.code == .versionConflict)
        #expect(error.message.contains("'future' 1.0.0 requires 'core' ^2.0"), "\(error.message)")
        #expect(error.message.contains("only 1.2.0 of 'core'"), "\(error.message)")
    }

    @Test func pluginPulledInByAnotherHasReasonRequiredBy() throws {
        let catalog = try Self.catalog(
            Self.visions + [Self.plugin("robotics", version: "1.0.0", requires: ["vision": "^1.0"])])
        var diagnostics = Diagnostics()
        let composition = try #require(Self.compose(catalog, ["robotics"], diagnostics: &diagnostics))
        #expect(diagnostics.isEmpty)
        #expect(composition.packages.map(\.name) == ["core", "robotics", "vision"])
        #expect(composition.reasons == ["core": .roadmap, "robotics": .chosen, "vision": .requiredBy("robotics")])
        #expect(composition.packages[2].version == Version(1, 4, 0))

        // And the plan says so.
        let plan = try PlanningTestSupport.plan(catalog, try Self.profile(plugins: ["robotics"]))
        let json = try PlanJSONRenderer().render(plan)
        #expect(json.contains("\"reason\" : \"required by robotics\""), "\(json)")
        #expect(plan.item(Self.id("vision/vision-intro")) != nil)
    }

    // MARK: Unknown names

    @Test func unknownPluginWithDidYouMean() throws {
        let catalog = try Self.catalog(Self.visions)
        var diagnostics = Diagnostics()
        let location = SourceLocation(file: "profile.yaml", line: 4, column: 19)
        let composition = Composer(catalog: catalog).compose(
            roadmap: Located("core", at: Self.here), plugins: [Located("visoin", at: location)], diagnostics: &diagnostics)
        #expect(composition == nil)
        let error = try #require(diagnostics.errors.first)
        #expect(error.code == .unknownPlugin)
        #expect(error.message == "unknown plugin 'visoin'")
        #expect(error.location == location)
        #expect(error.help == ["did you mean 'vision'?"])
    }

    @Test func unknownPluginFarFromAnyListsThePlugins() throws {
        var diagnostics = Diagnostics()
        _ = Self.compose(try Self.catalog(Self.visions), ["quantum-chemistry"], diagnostics: &diagnostics)
        let error = try #require(diagnostics.errors.first)
        #expect(error.code == .unknownPlugin)
        #expect(error.help == ["plugins on the catalog path: vision"])
    }

    @Test(arguments: [("fellw", "target"), ("scientst", "current")])
    func unknownStageWithDidYouMean(stage: String, role: String) throws {
        let catalog = try Self.catalog([])
        let profile = role == "target" ? try Self.profile(target: stage) : try Self.profile(current: stage)
        var diagnostics = Diagnostics()
        let composition = try #require(PlanningTestSupport.compose(catalog, profile, diagnostics: &diagnostics))
        #expect(Planner(composition: composition, profile: profile, today: PlanningTestSupport.today).plan(diagnostics: &diagnostics) == nil)
        let error = try #require(diagnostics.errors.first)
        #expect(error.code == .unknownStage)
        #expect(error.message == "unknown \(role) stage '\(stage)'")
        #expect(error.help == [role == "target" ? "did you mean 'fellow'?" : "did you mean 'scientist'?"])
        #expect(error.location?.file == "profile.yaml")
        #expect(error.location?.line == (role == "target" ? 2 : 5), "the line of the stage in the profile")
    }

    @Test(arguments: ["known", "gaps"])
    func unknownModuleInKnownOrGaps(key: String) throws {
        let catalog = try Self.catalog([])
        let profile = key == "known" ? try Self.profile(known: ["core/method"]) : try Self.profile(gaps: ["core/method"])
        var diagnostics = Diagnostics()
        let composition = try #require(PlanningTestSupport.compose(catalog, profile, diagnostics: &diagnostics))
        #expect(Planner(composition: composition, profile: profile, today: PlanningTestSupport.today).plan(diagnostics: &diagnostics) == nil)
        let error = try #require(diagnostics.errors.first)
        #expect(error.code == .unknownModule)
        #expect(error.message == "unknown module 'core/method' in '\(key)'")
        #expect(error.help == ["did you mean 'core/methods'?"])
        #expect(error.location?.file == "profile.yaml")
    }

    // MARK: Scope

    @Test func gapsAddBackAMasteredModule() throws {
        let catalog = try Self.catalog([])
        let without = try PlanningTestSupport.plan(catalog, try Self.profile(current: "engineer"))
        #expect(without.item(Self.id("core/basics")) == nil)
        #expect(without.scope.exclusions[Self.id("core/basics")] == .masteredStage("engineer"))

        let plan = try PlanningTestSupport.plan(catalog, try Self.profile(current: "engineer", gaps: ["core/basics"]))
        let basics = try #require(plan.item(Self.id("core/basics")))
        #expect(plan.scope.causes[Self.id("core/basics")]?.contains(.gap) == true)
        #expect(plan.scope.exclusions[Self.id("core/basics")] == nil)
        // It comes before what requires it.
        let methods = try #require(plan.item(Self.id("core/methods")))
        #expect(basics.endWeek <= methods.startWeek)
        // A gap wins over known.
        let both = try PlanningTestSupport.plan(
            catalog, try Self.profile(current: "engineer", known: ["core/basics"], gaps: ["core/basics"]))
        #expect(both.item(Self.id("core/basics")) != nil)
    }

    @Test func knownRemovesAModule() throws {
        let catalog = try Self.catalog([])
        let plan = try PlanningTestSupport.plan(catalog, try Self.profile(known: ["core/reading"]))
        #expect(plan.item(Self.id("core/reading")) == nil)
        #expect(plan.scope.exclusions[Self.id("core/reading")] == .known)
        #expect(plan.item(Self.id("core/methods")) != nil)
        // Known by an alias-free bare id, too: resolved in the roadmap.
        let bare = try PlanningTestSupport.plan(catalog, try Self.profile(known: ["reading"]))
        #expect(bare.item(Self.id("core/reading")) == nil)
    }

    @Test func knownModuleLeavesThePlanButWhatElseNeedsStays() throws {
        // methods is known: it leaves the plan; agenda, which requires it, stays, and so does basics, an
        // engineer module below the target on its own account.
        let plan = try PlanningTestSupport.plan(try Self.catalog([]), try Self.profile(known: ["core/methods"]))
        #expect(plan.item(Self.id("core/methods")) == nil)
        #expect(plan.item(Self.id("core/agenda")) != nil)
        #expect(plan.item(Self.id("core/basics")) != nil)
    }

    @Test func everyExclusionReason() throws {
        let catalog = try Self.catalog([])
        var diagnostics = Diagnostics()
        let profile = try Self.profile(current: "engineer", target: "scientist", known: ["core/reading"])
        let composition = try #require(PlanningTestSupport.compose(catalog, profile, diagnostics: &diagnostics))
        let progress = PlanningProgress(finished: [Self.id("core/methods"): "skipped"])
        let plan = try #require(
            Planner(composition: composition, profile: profile, progress: progress, today: PlanningTestSupport.today)
                .plan(diagnostics: &diagnostics))
        #expect(plan.items.isEmpty, "\(plan.items.map(\.id))")
        let expected: [String: ExclusionReason] = [
            "core/basics": .masteredStage("engineer"),
            "core/tooling": .optional,
            "core/methods": .journal(status: "skipped"),
            "core/reading": .known,
            "core/agenda": .aboveTarget("fellow"),
            "core/grants": .aboveTarget("senior-fellow"),
        ]
        for (id, reason) in expected {
            #expect(plan.scope.exclusions[Self.id(id)] == reason, "\(id)")
        }

        let explainer = Explainer(plan: plan)
        let sentences: [String: String] = [
            "core/basics": "Not in the plan: its stage 'engineer' is at or below your current stage",
            "core/tooling": "Not in the plan: it is optional.",
            "core/methods": "Not in the plan: the journal marks it skipped.",
            "core/reading": "Not in the plan: it is listed under 'known' in the profile.",
            "core/agenda": "Not in the plan: its stage 'fellow' is above the target 'scientist'",
        ]
        for (id, sentence) in sentences {
            let text = explainer.explanation(for: Self.id(id))
            #expect(text.contains(sentence), "\(text)")
            #expect(!text.contains("Why it is in the plan"), "\(text)")
        }
    }

    @Test func optionalModuleJoinsWhenAskedForOrRequired() throws {
        let catalog = try Self.catalog([])
        #expect(try PlanningTestSupport.plan(catalog, try Self.profile()).item(Self.id("core/tooling")) == nil)
        #expect(try PlanningTestSupport.plan(catalog, try Self.profile(includeOptional: true)).item(Self.id("core/tooling")) != nil)
    }

    @Test func moduleAboveTargetJoinsWhenRequired() throws {
        // A plugin module of the scientist stage that requires the fellow-stage agenda pulls it in below a
        // scientist target, with the chain to say why.
        let catalog = try Self.catalog([
            Self.plugin(
                "vision", version: "1.0.0",
                modules: "  - {id: survey, title: Survey, stage: scientist, hours: 4, requires: [core/agenda]}")
        ])
        let plan = try PlanningTestSupport.plan(catalog, try Self.profile(target: "scientist", plugins: ["vision"]))
        #expect(plan.item(Self.id("core/agenda")) != nil)
        #expect(plan.item(Self.id("core/grants")) == nil)
        let chains = Explainer(plan: plan).chains(for: Self.id("core/agenda"))
        #expect(chains.map(\.text) == ["plugin 'vision' -> vision/survey -> core/agenda"])
    }

    // MARK: Explanations

    @Test func chainsGoFromARootCauseDownToTheModule() throws {
        let catalog = try Self.catalog([
            Self.plugin(
                "vision", version: "1.0.0",
                modules: """
                      - {id: pixels, title: Pixels, stage: engineer, hours: 4, requires: [core/basics]}
                      - {id: detection, title: Detection, stage: fellow, hours: 9, requires: [pixels, core/methods]}
                    """)
        ])
        let plan = try PlanningTestSupport.plan(catalog, try Self.profile(plugins: ["vision"], gaps: ["core/basics"]))
        let explainer = Explainer(plan: plan)
        let basics = Self.id("core/basics")
        let chains = explainer.chains(for: basics)
        #expect(!chains.isEmpty)
        for chain in chains {
            #expect(chain.modules.last == basics, "\(chain.text)")
            // The root cause belongs to the top module, and each module requires the next one down.
            let top = try #require(chain.modules.first)
            #expect(plan.scope.causes[top]?.contains(chain.root) == true, "\(chain.text)")
            if case .requiredBy = chain.root { Issue.record("a chain starts at a module, not a root cause: \(chain.text)") }
            for (upper, lower) in zip(chain.modules, chain.modules.dropFirst()) {
                #expect(plan.composition.requirements[upper]?.contains(lower) == true, "\(upper) does not require \(lower)")
            }
        }
        // Shortest first.
        #expect(chains.map(\.modules.count) == chains.map(\.modules.count).sorted())
        let texts = chains.map(\.text)
        #expect(texts.first == "stage 'engineer' -> core/basics", "\(texts)")
        #expect(texts.contains("gaps in the profile -> core/basics"), "\(texts)")
        #expect(texts.contains("stage 'scientist' -> core/methods -> core/basics"), "\(texts)")
        #expect(texts.contains("plugin 'vision' -> vision/pixels -> core/basics"), "\(texts)")
        #expect(texts.contains("plugin 'vision' -> vision/detection -> vision/pixels -> core/basics"), "\(texts)")
        #expect(texts.contains("stage 'fellow' -> core/agenda -> core/methods -> core/basics"), "\(texts)")
        #expect(explainer.chains(for: basics, limit: 2).count == 2)

        let text = explainer.explanation(for: basics)
        #expect(text.hasPrefix("core/basics: Basics"))
        #expect(text.contains("Why it is in the plan:\n  stage 'engineer' -> core/basics\n"), "\(text)")
        #expect(text.contains("It unlocks: "), "\(text)")
        #expect(Set(explainer.unlocks(basics)) == [Self.id("core/methods"), Self.id("vision/pixels")])
    }

    @Test func everyModuleOfABundledPlanCanSayWhyItIsThere() throws {
        let catalog = try PlanningTestSupport.bundledCatalog()
        let path = PlanningTestSupport.packageRoot.appendingPathComponent("examples/engineer-biomedical-equity.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let plan = try PlanningTestSupport.plan(catalog, try PlanningTestSupport.profile(text, file: path))
        let explainer = Explainer(plan: plan)
        #expect(plan.items.count > 30)
        for item in plan.items {
            let chains = explainer.chains(for: item.id)
            #expect(!chains.isEmpty, "\(item.id) has no chain")
            for chain in chains {
                #expect(chain.modules.last == item.id)
                if case .requiredBy = chain.root { Issue.record("\(item.id): chain without a root cause: \(chain.text)") }
            }
        }
    }
}
