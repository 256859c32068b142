import Foundation
import Testing

@testable import RoadmapKit

/// `plugin new`: the scaffold lints without a warning, its example passes, and it never writes over anything
/// or outside the folder it is given.
@Suite("Authoring: plugin new")
struct AuthoringScaffoldTests {
    static let today = CalendarDate(year: 2027, month: 3, day: 10)!

    private func bundledCatalog() throws -> (catalog: Catalog, roadmap: Package) {
        var diagnostics = Diagnostics()
        let catalog = CatalogLoader().load(AuthoringSupport.bundled, diagnostics: &diagnostics)
        let roadmap = try #require(catalog.best("ml-research-fellow"))
        return (catalog, roadmap)
    }

    @Test(arguments: ["quantum-sensing", "x", "ai-for-climate-2"])
    func scaffoldLintsCleanAndItsExamplePasses(id: String) throws {
        let (catalog, roadmap) = try bundledCatalog()
        let folder = try AuthoringSupport.temporaryFolder()
        defer { AuthoringSupport.remove(folder) }
        let scaffold = PluginScaffold.make(id: id, roadmap: roadmap, catalog: catalog, today: Self.today)
        #expect(scaffold.maxWeeks != nil, "the example could not be planned")
        let created = try scaffold.write(into: folder.path + "/Plugins")
        #expect(created == folder.path + "/Plugins/\(id)")
        for file in ["plugin.yaml", "README.md", "examples/engineer-to-scientist.yaml"] {
            #expect(FileManager.default.fileExists(atPath: "\(created)/\(file)"), "\(file) is missing")
        }
        let workspace = PluginWorkspace.open(path: created, searchPath: AuthoringSupport.bundled)
        let diagnostics = PluginLinter(workspace: workspace).lint()
        #expect(diagnostics.isEmpty, "\(DiagnosticRenderer().render(diagnostics))")
        let results = PluginTester(workspace: workspace, today: Self.today).runAll()
        #expect(results.count == 1)
        let failures = results.flatMap(\.failures).map(\.message)
        #expect(results.allSatisfy { $0.passed }, "\(failures)")
        #expect(results.first?.checked == 8)
    }

    @Test func pluginFileShowsEveryKey() throws {
        let (catalog, roadmap) = try bundledCatalog()
        let text = PluginScaffold.make(id: "quantum-sensing", roadmap: roadmap, catalog: catalog, today: Self.today).pluginYAML
        for key in PackageDecoder.pluginKeys + PackageDecoder.moduleKeys + PackageDecoder.resourceKeys {
            #expect(text.contains("\(key):"), "plugin.yaml shows no example of '\(key)'")
        }
        // Every key has a comment that explains it.
        #expect(text.contains("# aliases: [old-id]"))
        #expect(text.contains("requires: [ml-research-fellow/ml-fundamentals]"))
        #expect(text.contains("ml-research-fellow: ^1.0"))
    }

    @Test func exampleUsesEveryExpectation() throws {
        let (catalog, roadmap) = try bundledCatalog()
        let text = PluginScaffold.make(id: "quantum-sensing", roadmap: roadmap, catalog: catalog, today: Self.today).exampleYAML
        for key in PluginExampleDecoder.expectKeys {
            #expect(text.contains("\n  \(key): "), "the example does not use '\(key)'")
        }
        #expect(text.contains("start: 2027-03-15"))
    }

    @Test func refusesAnInvalidID() throws {
        let (_, roadmap) = try bundledCatalog()
        let folder = try AuthoringSupport.temporaryFolder()
        defer { AuthoringSupport.remove(folder) }
        for id in ["Quantum", "../escape", "a/b", "-a", "", "a_b"] {
            #expect(throws: ScaffoldError.self, "'\(id)' was accepted") {
                try PluginScaffold(id: id, roadmap: roadmap, start: Self.today).write(into: folder.path)
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.deletingLastPathComponent().appendingPathComponent("escape").path))
    }

    @Test func neverWritesOverAnExistingPlugin() throws {
        let (_, roadmap) = try bundledCatalog()
        let folder = try AuthoringSupport.temporaryFolder()
        defer { AuthoringSupport.remove(folder) }
        let existing = folder.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: existing, withIntermediateDirectories: true)
        try "plugin: mine\n".write(to: existing.appendingPathComponent("plugin.yaml"), atomically: true, encoding: .utf8)
        #expect {
            try PluginScaffold(id: "mine", roadmap: roadmap, start: Self.today).write(into: folder.path)
        } throws: { error in
            guard case ScaffoldError.exists = error else { return false }
            return true
        }
        #expect(try String(contentsOf: existing.appendingPathComponent("plugin.yaml"), encoding: .utf8) == "plugin: mine\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: existing.path) == ["plugin.yaml"])
    }

    @Test func refusesALinkInThePlaceOfThePlugin() throws {
        let (_, roadmap) = try bundledCatalog()
        let folder = try AuthoringSupport.temporaryFolder()
        let outside = try AuthoringSupport.temporaryFolder()
        defer {
            AuthoringSupport.remove(folder)
            AuthoringSupport.remove(outside)
        }
        // A link (even a dangling one) where the plugin would go must not lead the files elsewhere.
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/linked", withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/dangling", withDestinationPath: outside.path + "/nothing")
        for id in ["linked", "dangling"] {
            #expect(throws: ScaffoldError.self) {
                try PluginScaffold(id: id, roadmap: roadmap, start: Self.today).write(into: folder.path)
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
    }

    @Test func createsTheFolderToWriteIn() throws {
        let (_, roadmap) = try bundledCatalog()
        let folder = try AuthoringSupport.temporaryFolder()
        defer { AuthoringSupport.remove(folder) }
        let created = try PluginScaffold(id: "deep", roadmap: roadmap, start: Self.today).write(into: folder.path + "/a/b/Plugins/")
        #expect(created == folder.path + "/a/b/Plugins/deep")
        #expect(FileManager.default.fileExists(atPath: created + "/plugin.yaml"))
    }

    @Test func titleFromTheID() throws {
        let (_, roadmap) = try bundledCatalog()
        #expect(PluginScaffold(id: "ai-for-climate", roadmap: roadmap, start: Self.today).title == "Ai For Climate")
    }
}
