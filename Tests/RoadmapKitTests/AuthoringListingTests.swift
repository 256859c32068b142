import Foundation
import Testing

@testable import RoadmapKit

/// `plugin list` and `plugin info`: every copy on the path, the one that wins, and what a plugin builds on.
@Suite("Authoring: plugin list and info")
struct AuthoringListingTests {
    /// The bundled catalog behind a `--catalog` folder that holds a newer wireless and an equal multimodal.
    private func catalog() throws -> Catalog {
        let folder = try AuthoringSupport.fixtures("AuthoringListingTests")
        var diagnostics = Diagnostics()
        let searchPath = CatalogSearchPath(options: [folder.path], environment: nil, bundled: AuthoringSupport.packageRoot.path)
        let catalog = CatalogLoader().load(searchPath, diagnostics: &diagnostics)
        #expect(diagnostics.errors.isEmpty, "\(DiagnosticRenderer().render(diagnostics))")
        return catalog
    }

    @Test func theNewestCopyWinsThenTheFirstOnThePath() throws {
        let listing = PluginListing(catalog: try catalog())
        let wireless = try #require(listing.entries.first { $0.id == "wireless" })
        #expect(wireless.copies.map(\.package.version.description) == ["1.1.0", "1.0.0"])
        #expect(wireless.winner.root?.origin == .option)
        #expect(wireless.copies[1].passedOver == "1.1.0 is newer")
        let multimodal = try #require(listing.entries.first { $0.id == "multimodal" })
        #expect(multimodal.copies.count == 2)
        #expect(multimodal.winner.root?.origin == .option)
        #expect(multimodal.copies[1].passedOver == "the same version is found earlier on the path")
        #expect(listing.entries.map(\.id) == listing.entries.map(\.id).sorted())

        let text = listing.text()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("ID "))
        #expect(lines.contains { $0.hasPrefix("wireless ") && $0.contains("1.1.0") && $0.contains("(--catalog)") })
        #expect(lines.contains { $0.contains("1.0.0") && $0.contains("(bundled), not used: 1.1.0 is newer") })
        #expect(text.contains("the highest version wins"))
    }

    @Test func infoResolvesRequirementsAndNamesWhatItBuildsOn() throws {
        let workspace = try #require(PluginWorkspace.open(id: "biomedical-ai", searchPath: AuthoringSupport.bundled))
        var diagnostics = Diagnostics()
        let composed = workspace.composition(diagnostics: &diagnostics)
        let composition = try #require(composed)
        let summary = PluginSummary(plugin: try #require(workspace.plugin), composition: composition)
        #expect(summary.requirements.map { "\($0.package) \($0.requirement) -> \($0.resolved.version)" } == [
            "ml-research-fellow ^1.0 -> 1.0.0", "multimodal ^1.0 -> 1.0.0",
        ])
        #expect(summary.stages.map(\.stage.id) == ["engineer", "scientist", "fellow"])
        #expect(summary.stages.reduce(0) { $0 + $1.modules.count } == summary.plugin.modules.count)
        let core = summary.foundations.filter { $0.module.id.package == "ml-research-fellow" }.map(\.module.id.name)
        #expect(core.contains("causal-inference"))
        #expect(summary.foundations.contains { $0.module.id.description == "multimodal/missing-modalities" && $0.neededBy.map(\.name) == ["multimodal-clinical-project"] })
        let text = summary.text()
        #expect(text.hasPrefix("biomedical-ai 1.0.0: Biomedical AI\n"))
        #expect(text.contains("Builds on ml-research-fellow: "))
        #expect(text.contains("Research Fellow (fellow): "))
    }

    @Test func infoOfTheNewerCopy() throws {
        let folder = try AuthoringSupport.fixtures("AuthoringListingTests")
        let searchPath = CatalogSearchPath(options: [folder.path], environment: nil, bundled: AuthoringSupport.packageRoot.path)
        let workspace = try #require(PluginWorkspace.open(id: "wireless", searchPath: searchPath))
        #expect(workspace.plugin?.version.description == "1.1.0")
        #expect(PluginWorkspace.open(id: "no-such-plugin", searchPath: searchPath) == nil)
        #expect(PluginWorkspace.open(id: "ml-research-fellow", searchPath: searchPath) == nil)
    }
}
