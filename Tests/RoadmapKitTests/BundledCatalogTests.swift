import Foundation
import Testing

@testable import RoadmapKit

/// The catalog that ships with roadmap: the ML research fellow roadmap and its four domain plugins.
@Suite("Bundled catalog")
struct BundledCatalogTests {
    static let pluginIDs = ["biomedical-ai", "wireless", "multimodal", "health-equity"]

    /// The bundled catalog, loaded and validated once per test.
    private func load() throws -> (catalog: Catalog, diagnostics: Diagnostics) {
        let root = try #require(
            CatalogSearchPath.bundledRoot(executablePath: nil), "the bundled catalog (Roadmaps/, Plugins/) was not found")
        var diagnostics = Diagnostics()
        let catalog = CatalogLoader().load(
            CatalogSearchPath(roots: [CatalogRoot(path: root, origin: .bundled)]), diagnostics: &diagnostics)
        _ = CatalogValidator(catalog: catalog).validate(diagnostics: &diagnostics)
        return (catalog, diagnostics)
    }

    @Test func loadsAndValidatesWithoutDiagnostics() throws {
        let (catalog, diagnostics) = try load()
        #expect(
            diagnostics.isEmpty,
            "\(DiagnosticRenderer().render(diagnostics))")
        #expect(catalog.roadmaps.map(\.name).contains("ml-research-fellow"))
        #expect(catalog.files.count == catalog.packages.count)
    }

    /// Modules share their fields between copies, yet behave as values: changing a copy leaves the original
    /// as it was, and equal fields make equal modules.
    @Test func modulesAreValuesThoughTheirFieldsAreShared() throws {
        let (catalog, _) = try load()
        let original = try #require(catalog.best("ml-research-fellow")?.modules.first)
        var copy = original
        #expect(copy == original)
        copy.hours += 1
        copy.requires.append(Located("extra", at: original.location))
        #expect(copy != original)
        #expect(copy.hours == original.hours + 1)
        #expect(copy.requires.count == original.requires.count + 1)
        copy.hours -= 1
        copy.requires.removeLast()
        #expect(copy == original)
        #expect(Set([copy, original]).count == 1)
    }

    @Test func roadmapHasTheFourStagesInOrder() throws {
        let (catalog, _) = try load()
        let roadmap = try #require(catalog.best("ml-research-fellow"))
        #expect(roadmap.kind == .roadmap)
        #expect(roadmap.stages.map(\.id) == ["engineer", "scientist", "fellow", "senior-fellow"])
        #expect(roadmap.stages.map(\.rank) == [0, 1, 2, 3])
        #expect(roadmap.stages.map(\.years) == ["0-2", "3-5", "3-5", "6+"])
        #expect(
            roadmap.stages.map(\.salaryUSD) == [120_000...150_000, 150_000...200_000, 130_100...204_600, 200_000...250_000])
        #expect(roadmap.stages.allSatisfy { !$0.title.isEmpty && $0.summary?.isEmpty == false })
        // Every stage has something to study.
        for stage in roadmap.stages {
            #expect(roadmap.modules.contains { $0.stage.value == stage.id }, "no module at stage \(stage.id)")
        }
    }

    @Test(arguments: pluginIDs)
    func pluginIsBundledWithEnoughModules(id: String) throws {
        let (catalog, _) = try load()
        let plugin = try #require(catalog.best(id), "plugin \(id) is not in the bundled catalog")
        #expect(plugin.kind == .plugin)
        #expect(plugin.modules.count >= 12, "\(id) has \(plugin.modules.count) modules")
        #expect(plugin.requirements.contains { $0.package.value == "ml-research-fellow" })
        #expect(URL(fileURLWithPath: plugin.file).lastPathComponent == "plugin.yaml")
    }

    @Test func everyModuleHasOutcomesAnHTTPSResourceAndEvidence() throws {
        let (catalog, _) = try load()
        let packages = catalog.packages.filter { $0.name == "ml-research-fellow" || Self.pluginIDs.contains($0.name) }
        #expect(packages.count == 5)
        for package in packages {
            for module in package.modules {
                let name = module.id.description
                #expect(!module.outcomes.isEmpty, "\(name) has no outcomes")
                #expect(module.outcomes.allSatisfy { !$0.trimmingCharacters(in: .whitespaces).isEmpty }, "\(name)")
                #expect(
                    module.resources.contains { $0.url?.hasPrefix("https://") == true },
                    "\(name) has no resource with an https URL")
                #expect(module.evidence.map { !$0.trimmingCharacters(in: .whitespaces).isEmpty } == true, "\(name) has no evidence")
            }
        }
    }
}
