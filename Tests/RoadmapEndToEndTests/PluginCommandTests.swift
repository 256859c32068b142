import Foundation
import RoadmapKit
import Testing

/// `roadmap plugin ...` and `roadmap schema`, run as the built executable. Fixtures are in
/// `Fixtures/PluginCommandTests/`.
@Suite("roadmap plugin and schema", .serialized, .timeLimit(.minutes(5)))
struct PluginCommandTests {
    /// `Tests/RoadmapEndToEndTests/PluginCommandTests.swift` -> the package root.
    static let packageRoot = RoadmapBinary.packageRoot

    private func fixture(_ name: String) throws -> URL {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil), "the test bundle holds no Fixtures")
        return folder.appendingPathComponent("PluginCommandTests/\(name)")
    }

    private func roadmap(_ arguments: [String], in folder: URL? = nil) throws -> RoadmapBinary.Result {
        try RoadmapBinary.locate().run(arguments, currentDirectory: folder ?? Self.packageRoot, timeout: 120)
    }

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roadmap-plugin-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    private func lastLine(_ text: String) -> String {
        text.split(separator: "\n").last.map(String.init) ?? ""
    }

    /// Every folder under `Plugins/` that holds a `plugin.yaml`.
    static let bundledPluginIDs: [String] = {
        let folder = packageRoot.appendingPathComponent("Plugins").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: folder + "/\($0)/plugin.yaml") }.sorted()
    }()

    // MARK: The "done when": a new plugin that lint, test, doc and plan --with all accept

    @Test func scaffoldThenLintTestDocAndPlan() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plugins = folder.appendingPathComponent("Plugins").path
        let pluginFolder = plugins + "/field-robotics"

        let created = try roadmap(["plugin", "new", "field-robotics", "--dir", plugins])
        #expect(created.status == 0, "\(created)")
        #expect(created.stdout.hasPrefix("Created \(pluginFolder):\n"), "\(created)")
        for file in ["plugin.yaml", "README.md", "examples/engineer-to-scientist.yaml"] {
            #expect(FileManager.default.fileExists(atPath: pluginFolder + "/" + file), "\(file) was not written")
        }

        let lint = try roadmap(["plugin", "lint", "--strict", pluginFolder])
        #expect(lint.status == 0, "\(lint)")
        #expect(lint.stderr.isEmpty, "the scaffold has warnings:\n\(lint)")
        #expect(lint.stdout == "field-robotics 0.1.0, 4 modules: no problems\n", "\(lint)")

        let test = try roadmap(["plugin", "test", pluginFolder])
        #expect(test.status == 0, "\(test)")
        #expect(test.stdout.contains("PASS  engineer-to-scientist ("), "\(test)")
        #expect(lastLine(test.stdout) == "1 passed, 0 failed", "\(test)")

        let doc = folder.appendingPathComponent("field-robotics.md").path
        let documented = try roadmap(["plugin", "doc", "field-robotics", "--catalog", folder.path, "--output", doc])
        #expect(documented.status == 0, "\(documented)")
        let page = try String(contentsOfFile: doc, encoding: .utf8)
        #expect(page.contains("# Field Robotics\n"))
        #expect(page.contains("```mermaid"))
        #expect(page.contains("## Example plan"))

        let plan = try roadmap(["plan", "--catalog", folder.path, "--with", "field-robotics", "--today", "2027-01-01"])
        #expect(plan.status == 0, "\(plan)")
        #expect(plan.stdout.contains("field-robotics 0.1.0"), "\(plan)")

        let list = try roadmap(["plugin", "list", "--catalog", folder.path])
        #expect(list.status == 0, "\(list)")
        #expect(list.stdout.split(separator: "\n").contains { $0.hasPrefix("field-robotics ") && $0.contains("(--catalog)") }, "\(list)")

        let info = try roadmap(["plugin", "info", "field-robotics", "--catalog", folder.path])
        #expect(info.status == 0, "\(info)")
        #expect(info.stdout.hasPrefix("field-robotics 0.1.0: Field Robotics\n"), "\(info)")
        #expect(info.stdout.contains("ml-research-fellow ^1.0  -> 1.0.0"), "\(info)")

        // Run again: it refuses, and leaves the plugin as it was.
        let before = try String(contentsOfFile: pluginFolder + "/plugin.yaml", encoding: .utf8)
        let again = try roadmap(["plugin", "new", "field-robotics", "--dir", plugins])
        #expect(again.status == 64, "\(again)")
        #expect(again.stderr.contains("Error: '\(pluginFolder)' already exists; choose another id or another --dir."), "\(again)")
        #expect(try String(contentsOfFile: pluginFolder + "/plugin.yaml", encoding: .utf8) == before)
    }

    @Test func newRefusesAnInvalidID() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (id, suggestion) in [("Field_Robotics", " Did you mean 'field-robotics'?"), ("../outside", "")] {
            let result = try roadmap(["plugin", "new", id, "--dir", folder.path])
            #expect(result.status == 64, "\(result)")
            #expect(
                result.stderr.contains("Error: '\(id)' is not a valid plugin id: use lowercase letters, digits and hyphens, starting with a letter.\(suggestion)"),
                "\(result)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.deletingLastPathComponent().path + "/outside"))
    }

    // MARK: lint

    @Test func lintReportsCompilerStyleAndStrictFails() throws {
        // A plugin with a redundant requirement and a module nothing reaches: warnings, not errors.
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plugin = folder.appendingPathComponent("Plugins/warned")
        try FileManager.default.createDirectory(at: plugin, withIntermediateDirectories: true)
        try """
            plugin: warned
            title: Warned
            version: 1.0.0
            requires: {ml-research-fellow: ^1.0}
            modules:
              - id: basics
                title: Basics
                stage: scientist
                hours: 20
                requires: [ml-research-fellow/ml-fundamentals, ml-research-fellow/statistics]
                outcomes: [Explain the basics]
                resources: [{title: A book, url: "https://example.org/book", type: book}]
              - id: capstone
                title: Capstone
                stage: fellow
                hours: 40
                outcomes: [Finish a project]
                resources: [{title: A paper, url: "https://example.org/paper", type: paper}]
            """.write(to: plugin.appendingPathComponent("plugin.yaml"), atomically: true, encoding: .utf8)
        let warned = try roadmap(["plugin", "lint", "Plugins/warned"], in: folder)
        #expect(warned.status == 0, "\(warned)")
        #expect(warned.stderr.contains(": warning: "), "\(warned)")
        #expect(warned.stderr.split(separator: "\n").allSatisfy { line in
            line.hasPrefix("  help: ") || line.wholeMatch(of: /Plugins\/warned\/plugin\.yaml:\d+:\d+: warning: .+ \[[a-z-]+\]/) != nil
        }, "\(warned)")
        #expect(warned.stderr.contains("[redundant-requirement]"), "\(warned)")
        #expect(warned.stderr.contains("[unreachable-module]"), "\(warned)")
        #expect(warned.stdout == "warned 1.0.0, 2 modules: 0 errors, 2 warnings\n", "\(warned)")

        let strict = try roadmap(["plugin", "lint", "--strict", "Plugins/warned"], in: folder)
        #expect(strict.status == 65, "\(strict)")

        // The bundled plugins are clean, even under --strict.
        let clean = try roadmap(["plugin", "lint", "--strict", "Plugins/health-equity"])
        #expect(clean.status == 0, "\(clean)")
        #expect(clean.stderr.isEmpty, "\(clean)")
        #expect(clean.stdout == "health-equity 1.0.0, 15 modules: no problems\n", "\(clean)")

        let missing = try roadmap(["plugin", "lint", "Plugins/no-such-plugin"])
        #expect(missing.status == 66, "\(missing)")
        #expect(missing.stderr.contains("Plugins/no-such-plugin/plugin.yaml:1:1: error: no such file [file-unreadable]"), "\(missing)")
    }

    @Test func lintErrorsExit65() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plugin = folder.appendingPathComponent("Plugins/broken")
        try FileManager.default.createDirectory(at: plugin, withIntermediateDirectories: true)
        try """
            plugin: broken
            title: Broken
            version: 1.0.0
            requires: {ml-research-fellow: ^1.0}
            modules:
              - {id: a, title: A, stage: enginer, hours: 5, requires: [ml-research-fellow/linear-algebr]}
            """.write(to: plugin.appendingPathComponent("plugin.yaml"), atomically: true, encoding: .utf8)
        let result = try roadmap(["plugin", "lint", "Plugins/broken"], in: folder)
        #expect(result.status == 65, "\(result)")
        #expect(result.stderr.contains("Plugins/broken/plugin.yaml:6:30: error: module 'a' names unknown stage 'enginer' [unknown-stage]\n  help: did you mean 'engineer'?"), "\(result)")
        #expect(result.stderr.contains("Plugins/broken/plugin.yaml:6:60: error: unknown module 'ml-research-fellow/linear-algebr' in requires [unknown-module]\n  help: did you mean 'ml-research-fellow/linear-algebra'?"), "\(result)")
        #expect(lastLine(result.stdout) == "broken 1.0.0, 1 module: 2 errors, 2 warnings", "\(result)")
    }

    // MARK: test

    @Test(arguments: bundledPluginIDs)
    func bundledExamplesPass(id: String) throws {
        let result = try roadmap(["plugin", "test", "Plugins/\(id)"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("Testing plugin '\(id)' 1.0.0: "), "\(result)")
        let closing = lastLine(result.stdout)
        #expect(closing.wholeMatch(of: /([2-9]|\d\d+) passed, 0 failed/) != nil, "\(result)")
    }

    @Test func failingExampleExits1WithItsPlace() throws {
        let folder = try fixture("failing")
        let result = try roadmap(["plugin", "test", folder.path])
        #expect(result.status == 1, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("FAIL  too-fast (") && $0.hasSuffix("): 1 of 2 expectations failed") }, "\(result)")
        #expect(lines.contains { $0.hasSuffix("examples/too-fast.yaml:6:14: error: expected the plan to take at most 2 weeks, but it takes 52 (to 2027-12-31) [expectation-failed]") || $0.contains("examples/too-fast.yaml:6:14: error: expected the plan to take at most 2 weeks, but it takes ") }, "\(result)")
        #expect(lines.last == "0 passed, 1 failed", "\(result)")
    }

    @Test func testRefusesAPluginWithErrors() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "plugin: x\ntitle: X\nversion: 1\nrequires: {ml-research-fellow: ^1.0}\nmodules: []\n"
            .write(to: folder.appendingPathComponent("plugin.yaml"), atomically: true, encoding: .utf8)
        let result = try roadmap(["plugin", "test", folder.path])
        #expect(result.status == 65, "\(result)")
        #expect(result.stderr.contains("plugin.yaml:3:10: error: '1' is not a semantic version (MAJOR.MINOR.PATCH) [invalid-version]"), "\(result)")
    }

    // MARK: info, doc, list

    @Test func unknownPluginIDIsAUsageError() throws {
        let result = try roadmap(["plugin", "info", "wireles"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("Error: Unknown plugin 'wireles' on the catalog path. Did you mean 'wireless'?"), "\(result)")
    }

    @Test func docOfABundledPluginIsTheCommittedPage() throws {
        let result = try roadmap(["plugin", "doc", "wireless"])
        #expect(result.status == 0, "\(result)")
        let page = try String(contentsOf: Self.packageRoot.appendingPathComponent("docs/plugins/wireless.md"), encoding: .utf8)
        #expect(result.stdout == page, "docs/plugins/wireless.md is out of date: swift run roadmap plugin doc wireless --output docs/plugins/wireless.md")
    }

    @Test func listShowsTheBundledPlugins() throws {
        let result = try roadmap(["plugin", "list"])
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID") == true)
        #expect(Self.bundledPluginIDs.count >= 10)
        for id in Self.bundledPluginIDs {
            #expect(lines.contains { $0.hasPrefix(id + " ") && $0.contains("Plugins/\(id)/plugin.yaml (bundled)") }, "\(id):\n\(result)")
        }
    }

    // MARK: compare

    @Test func compareOfTheBundledPluginsIsTheCommittedPage() throws {
        let result = try roadmap(["plugin", "compare"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let page = try String(contentsOf: Self.packageRoot.appendingPathComponent("docs/specializations.md"), encoding: .utf8)
        #expect(result.stdout == page, "docs/specializations.md is out of date: swift run roadmap plugin compare --output docs/specializations.md")
    }

    @Test func compareSomePluginsToAFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("two.md").path
        let result = try roadmap(["plugin", "compare", "wireless", "nlp", "--output", file])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        let page = try String(contentsOfFile: file, encoding: .utf8)
        #expect(page.contains("The 2 domain plugins on the catalog path"))
        #expect(page.contains("(`wireless`)") && page.contains("(`nlp`)"))
        #expect(!page.contains("(`multimodal`)"))

        let unknown = try roadmap(["plugin", "compare", "wireles"])
        #expect(unknown.status == 64, "\(unknown)")
        #expect(unknown.stderr.contains("Unknown plugin 'wireles' on the catalog path. Did you mean 'wireless'?"), "\(unknown)")
    }

    // MARK: schema

    @Test(arguments: ["roadmap", "plugin", "profile", "journal", "example"])
    func schemaPrintsTheCommittedFile(format: String) throws {
        let result = try roadmap(["schema", format])
        #expect(result.status == 0, "\(result)")
        let file = try String(contentsOf: Self.packageRoot.appendingPathComponent("docs/schemas/\(format).schema.json"), encoding: .utf8)
        #expect(result.stdout == file)
    }

    @Test func schemaOfAnUnknownFormat() throws {
        let result = try roadmap(["schema", "plugins"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("'plugins'"), "\(result)")
    }
}
