import Foundation
import Testing

@testable import RoadmapKit

/// `plugin lint`: loader errors and every authoring warning, each on a fixture in
/// `Fixtures/AuthoringLintTests/NAME/Plugins/ID/plugin.yaml`, read against the bundled catalog.
@Suite("Authoring: plugin lint")
struct AuthoringLintTests {
    private func lint(_ fixture: String, _ plugin: String) throws -> (workspace: PluginWorkspace, diagnostics: Diagnostics) {
        let folder = try AuthoringSupport.fixtures("AuthoringLintTests/\(fixture)/Plugins/\(plugin)")
        let workspace = PluginWorkspace.open(path: folder.path, searchPath: AuthoringSupport.bundled)
        return (workspace, PluginLinter(workspace: workspace).lint())
    }

    @Test func everyWarningAtItsPlace() throws {
        let (workspace, diagnostics) = try lint("warnings", "lint-warnings")
        #expect(workspace.plugin?.name == "lint-warnings")
        #expect(diagnostics.errors.isEmpty, "\(DiagnosticRenderer().render(diagnostics))")
        #expect(AuthoringSupport.summary(diagnostics, .warning) == [
            "unbounded-requirement 5:3",
            "missing-outcomes 7:5",
            "missing-resources 12:5",
            "resource-without-url 22:17",
            "hours-out-of-range 26:12",
            "hours-out-of-range 32:12",
            "unreachable-module 35:5",
            "requires-higher-stage 46:16",
            "redundant-requirement 53:65",
            "redundant-requirement 53:96",
        ])
        let text = diagnostics.sorted.map(\.message)
        #expect(text.contains("module 'orphan' is not reached: no module of the plugin requires it, and its stage 'scientist' is below the plugin's highest stage 'fellow'"))
        #expect(text.contains("'ml-research-fellow/statistics' is already required through 'ml-research-fellow/ml-fundamentals' (ml-research-fellow/ml-fundamentals -> ml-research-fellow/statistics)"))
        #expect(text.contains("module 'early' of stage 'engineer' requires 'capstone' of the higher stage 'fellow'"))
        #expect(text.contains { $0.hasPrefix("module 'too-long' takes 990 hours, far above the ") })
        #expect(text.contains { $0.hasPrefix("module 'too-short' takes 0.5 hours, far below the ") })
    }

    @Test func optionalModulesAndTheTopStageAreEntryPoints() throws {
        // 'early' is optional and 'capstone' is at the top stage: neither is reported, though nothing requires them.
        let (_, diagnostics) = try lint("warnings", "lint-warnings")
        let unreachable = diagnostics.warnings.filter { $0.code == .unreachableModule }.map(\.message)
        #expect(unreachable.count == 1)
        #expect(!unreachable.contains { $0.contains("'early'") || $0.contains("'capstone'") })
    }

    @Test func folderNamedOtherThanThePlugin() throws {
        let (_, diagnostics) = try lint("folder-mismatch", "some-folder")
        #expect(AuthoringSupport.summary(diagnostics) == ["folder-mismatch 1:9"])
    }

    @Test func requirementTheNewestRoadmapDoesNotMeet() throws {
        // The fixture's catalog has ml-research-fellow 2.0.0 beside the bundled 1.0.0; the plugin asks for ^1.0.
        let (_, diagnostics) = try lint("unsatisfied-requirement", "pinned")
        #expect(AuthoringSupport.summary(diagnostics) == ["unsatisfied-requirement 5:3"])
        let message = try #require(diagnostics.warnings.first?.message)
        #expect(message.contains("2.0.0"))
        #expect(message.hasSuffix("plans with this plugin will use 1.0.0"))
        #expect(diagnostics.warnings.first?.help == ["once the plugin works with 2.0.0, require '^2.0'"])
    }

    @Test func loaderErrorsComeFirstAndAllOfThem() throws {
        let (_, diagnostics) = try lint("loader-errors", "broken")
        #expect(AuthoringSupport.summary(diagnostics, .error) == ["version-conflict 5:3", "unknown-module 11:16", "unknown-key 12:5"])
        let unknown = try #require(diagnostics.errors.first { $0.code == .unknownModule })
        #expect(unknown.help == ["did you mean 'ml-research-fellow/linear-algebra'?"])
        #expect(ExitStatus.forErrors(diagnostics) == ExitStatus.dataError)
    }

    @Test func aMissingFileIsUnreadable() throws {
        let folder = try AuthoringSupport.temporaryFolder()
        defer { AuthoringSupport.remove(folder) }
        let workspace = PluginWorkspace.open(path: folder.appendingPathComponent("nothing-here").path, searchPath: AuthoringSupport.bundled)
        let diagnostics = PluginLinter(workspace: workspace).lint()
        #expect(diagnostics.errors.map(\.code) == [.fileUnreadable])
        #expect(ExitStatus.forErrors(diagnostics) == ExitStatus.noInput)
    }

    @Test func aRoadmapIsNotAPlugin() throws {
        let workspace = PluginWorkspace.open(
            path: AuthoringSupport.packageRoot.path + "/Roadmaps/ml-research-fellow.yaml", searchPath: AuthoringSupport.bundled)
        let diagnostics = PluginLinter(workspace: workspace).lint()
        #expect(workspace.plugin == nil)
        #expect(diagnostics.errors.map(\.message).contains("this is a roadmap, not a plugin"))
    }

    @Test func theBundledPluginsAreFound() {
        // The parameterized tests below run once per folder found; make sure the discovery finds them.
        let ids = AuthoringSupport.bundledPluginIDs
        #expect(ids.count >= 10, "found: \(ids)")
        for id in ["biomedical-ai", "health-equity", "multimodal", "wireless", "nlp", "computer-vision"] {
            #expect(ids.contains(id))
        }
    }

    /// `roadmap plugin lint --strict Plugins/ID` passes for every bundled plugin: no errors and no warnings.
    @Test(arguments: AuthoringSupport.bundledPluginIDs)
    func bundledPluginsAreLintCleanUnderStrictRules(id: String) throws {
        let workspace = PluginWorkspace.open(path: AuthoringSupport.bundledPluginFolder(id), searchPath: AuthoringSupport.bundled)
        #expect(workspace.plugin?.name == id)
        let diagnostics = PluginLinter(workspace: workspace).lint()
        #expect(diagnostics.errors.isEmpty, "\(DiagnosticRenderer().render(diagnostics))")
        #expect(
            diagnostics.warnings.isEmpty,
            "Plugins/\(id) has warnings, so 'roadmap plugin lint --strict Plugins/\(id)' fails:\n\(DiagnosticRenderer().render(diagnostics))")
    }
}
