import Foundation
import Testing

@testable import RoadmapKit

/// Reading only the heads of catalog files (all but their modules) to choose the packages of a plan, then
/// reading the chosen ones in full: the same composition and the same diagnostics as reading every file.
struct CatalogHeadTests {
    // MARK: Heads

    static let plugin = """
        # A comment
        plugin: demo
        title: Demo
        version: 1.2.0
        summary: >-
          Folded text
        requires:
          ml-research-fellow: ^1.0.0
        modules:
          - id: a
            title: A
        # a comment between modules
        - id: b
          title: B

        """

    static func head(_ text: String) -> YAMLDocument? {
        YAMLReader.readHead(Array(text.utf8), file: "p.yaml", before: "modules")
    }

    @Test func headHoldsEverythingBeforeTheModules() throws {
        let document = try #require(Self.head(Self.plugin))
        let keys = try #require(document.root).keys.compactMap(\.scalar)
        #expect(keys == ["plugin", "title", "version", "summary", "requires"])
        var diagnostics = Diagnostics()
        let package = try #require(PackageDecoder().decodeHead(document, root: nil, diagnostics: &diagnostics))
        #expect(diagnostics.isEmpty)
        #expect(package.name == "demo" && package.version.description == "1.2.0" && package.modules.isEmpty)
        #expect(package.requirements.map(\.package.value) == ["ml-research-fellow"])
    }

    @Test func crlfLineEndingsToo() {
        #expect(Self.head(Self.plugin.replacingOccurrences(of: "\n", with: "\r\n")) != nil)
    }

    /// Whenever something else might follow the modules, or the head has a problem, the whole file must be read.
    @Test(arguments: [
        ("a key after the modules", "plugin: p\nversion: 1.0.0\nmodules:\n  - id: a\nrequires: []\n"),
        ("a key that starts with a dash", "plugin: p\nmodules:\n  - id: a\n-x: 1\n"),
        ("the modules key twice", "plugin: p\nmodules: []\nmodules: []\n"),
        ("a flow mapping", "{plugin: p,\nmodules: []}\n"),
        ("no modules key", "plugin: p\nversion: 1.0.0\n"),
        ("a quoted modules key", "plugin: p\n\"modules\":\n  - id: a\n"),
        ("a syntax error in the head", "plugin: [p\nmodules:\n  - id: a\n"),
        ("a second document", "plugin: p\nmodules: []\n---\nplugin: q\n"),
        ("'modules:' inside a quoted text", "plugin: p\nsummary: \"a\nmodules: b\"\nversion: 1.0.0\n"),
        ("a tab at the start of a line", "plugin: p\nmodules:\n\t- id: a\n"),
        ("text that is not UTF-8", "plugin: p\u{0}\nmodules: []\n"),
        ("a key after a line separator", "plugin: q\nversion: 1.0.0\nmodules: []\u{2028}plugin: p\n"),
        ("a key after a paragraph separator", "plugin: q\nmodules: []\u{2029}plugin: p\n"),
        ("a key after a next-line character", "plugin: q\nmodules: []\u{85}plugin: p\n"),
    ])
    func headIsRefused(_ reason: String, text: String) {
        var bytes = Array(text.utf8)
        if reason.contains("UTF-8") { bytes[8] = 0xFF }
        #expect(YAMLReader.readHead(bytes, file: "p.yaml", before: "modules") == nil, "\(reason)")
    }

    /// The lines that may follow the modules key, found by jumping between line feeds or, with carriage
    /// returns in the text, byte by byte: the same answers.
    @Test(arguments: [
        (["  - id: a", "", "# note", "- id: b", "-", "    title: x"], true),
        (["  - id: a", "title: x"], false),
        (["-x: 1"], false),
        (["\t- id: a"], false),
        (["--- "], false),
        ([String](), true),
    ])
    func linesAfterTheModules(lines: [String], allowed: Bool) {
        for ending in ["\n", "\r\n", "\r"] {
            let text = Array((ending + lines.joined(separator: ending)).utf8)
            let answer = text.withUnsafeBufferPointer { YAMLReader.onlyIndentedLines($0) }
            #expect(answer == allowed, "\(lines) with \(ending.debugDescription)")
        }
    }

    /// libyaml counts characters, not bytes, and not a byte-order mark: heads with other text are read too.
    @Test(arguments: ["title: café\n", "\u{FEFF}title: x\n", "\u{FEFF}title: 𝄞 ünïcödé\n", "summary: \"a\u{2028}b\"\n"])
    func headAfterTextThatIsNotASCII(_ start: String) throws {
        let document = try #require(Self.head(start + "plugin: p\nversion: 1.0.0\nmodules:\n  - id: a\n"))
        #expect(try #require(document.root).keys.compactMap(\.scalar).suffix(2) == ["plugin", "version"])
    }

    @Test func modulesInBlockSequenceAtTheFirstColumn() throws {
        let document = try #require(Self.head("plugin: p\nversion: 1.0.0\nmodules:\n- id: a\n  title: A\n-\n  id: b\n"))
        #expect(try #require(document.root).keys.compactMap(\.scalar) == ["plugin", "version"])
    }

    // MARK: Composing on heads

    /// A catalog folder with the bundled roadmap and the given plugin files (`NAME/plugin.yaml` text).
    static func catalogFolder(_ plugins: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heads-\(UUID().uuidString)")
        let manager = FileManager.default
        try manager.createDirectory(at: folder.appendingPathComponent("Roadmaps"), withIntermediateDirectories: true)
        try manager.copyItem(
            at: PlanningTestSupport.packageRoot.appendingPathComponent("Roadmaps/ml-research-fellow.yaml"),
            to: folder.appendingPathComponent("Roadmaps/ml-research-fellow.yaml"))
        for (name, text) in plugins {
            let directory = folder.appendingPathComponent("Plugins/\(name)")
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
            try text.write(to: directory.appendingPathComponent("plugin.yaml"), atomically: true, encoding: .utf8)
        }
        return folder
    }

    static func plugin(_ id: String, version: String = "1.0.0", modules: String = "  - id: m\n    title: M\n    stage: engineer\n    hours: 4\n")
        -> String
    {
        "plugin: \(id)\ntitle: \(id)\nversion: \(version)\nrequires:\n  ml-research-fellow: ^1.0.0\nmodules:\n\(modules)"
    }

    /// Composes both ways; returns whether reading heads gave an answer (it then must be the same).
    @discardableResult
    static func compareBothWays(_ folder: URL, plugins: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
        let path = CatalogSearchPath(roots: [CatalogRoot(path: folder.path, origin: .option)])
        let roadmap = Located("ml-research-fellow", at: RoadmapKit.SourceLocation(file: "<test>", line: 1, column: 1))
        let wanted = plugins.map { Located($0, at: RoadmapKit.SourceLocation(file: "<test>", line: 1, column: 1)) }
        var loadDiagnostics = Diagnostics()
        let catalog = CatalogLoader().load(path, diagnostics: &loadDiagnostics)
        var diagnostics = Diagnostics()
        let slow = Composer(catalog: catalog).compose(roadmap: roadmap, plugins: wanted, diagnostics: &diagnostics)
        guard let quick = CatalogLoader().compose(path, roadmap: roadmap, plugins: wanted) else { return false }
        guard let slow else {
            Issue.record("reading heads composed what reading every file could not", sourceLocation: sourceLocation)
            return true
        }
        #expect(diagnostics.isEmpty, sourceLocation: sourceLocation)
        let files = Set(slow.packages.map(\.file))
        let filtered = loadDiagnostics.all.filter { $0.location.map { files.contains($0.file) } ?? false }
        #expect(quick.diagnostics.all == filtered, sourceLocation: sourceLocation)
        #expect(quick.composition.packages == slow.packages, sourceLocation: sourceLocation)
        #expect(quick.composition.reasons == slow.reasons, sourceLocation: sourceLocation)
        #expect(quick.composition.declarationOrder == slow.declarationOrder, sourceLocation: sourceLocation)
        #expect(quick.composition.requirements == slow.requirements, sourceLocation: sourceLocation)
        return true
    }

    @Test func bundledCatalogEveryPlugin() throws {
        let root = PlanningTestSupport.packageRoot
        let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Plugins").path).sorted()
        #expect(names.count >= 10)
        for selection in [[]] + names.map({ [$0] }) + [names] {
            #expect(Self.compareBothWays(root, plugins: selection), "\(selection)")
        }
    }

    @Test func brokenPluginsThatAreNotChosenChangeNothing() throws {
        let folder = try Self.catalogFolder([
            "good": Self.plugin("good"),
            "syntax": Self.plugin("syntax", modules: "  - id: [broken\n"),
            "order": "modules: []\nplugin: order\ntitle: o\nversion: 1.0.0\n",
            "module-error": Self.plugin("module-error", modules: "  - id: m\n    title: M\n    stage: nowhere\n    hours: x\n"),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(Self.compareBothWays(folder, plugins: ["good"]))
        #expect(Self.compareBothWays(folder, plugins: []))
    }

    @Test func aChosenPluginWithBrokenModulesReportsTheSame() throws {
        let folder = try Self.catalogFolder([
            "module-error": Self.plugin("module-error", modules: "  - id: m\n    title: M\n    stage: engineer\n    hours: 4\n    colour: red\n")
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(Self.compareBothWays(folder, plugins: ["module-error"]), "its modules' problems come with the composition")
    }

    /// An id that is a roadmap at 1.0.0 and a plugin at 2.0.0 whose modules are broken: reading every file sees
    /// only the roadmap, so asking for it as a plugin fails; reading heads must not make it a plugin.
    @Test func aBrokenVersionOfAnotherKindIsReadInFull() throws {
        let folder = try Self.catalogFolder([
            "p-next": Self.plugin("p", version: "2.0.0", modules: "  - id: [broken\n").replacingOccurrences(
                of: "ml-research-fellow: ^1.0.0", with: "nowhere: ^9.0.0")
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let roadmap = "roadmap: p\ntitle: P\nversion: 1.0.0\nstages:\n  - {id: s, title: S}\nmodules: []\n"
        try roadmap.write(to: folder.appendingPathComponent("Roadmaps/p.yaml"), atomically: true, encoding: .utf8)
        #expect(!Self.compareBothWays(folder, plugins: ["p"]))
    }

    @Test func aNewerCopyThatCannotBeReadGivesWayToTheFullReading() throws {
        let folder = try Self.catalogFolder([
            "demo": Self.plugin("demo", version: "1.0.0"),
            "demo-next": Self.plugin("demo", version: "2.0.0", modules: "  - id: [broken\n"),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        // The head of 2.0.0 is fine, so it is chosen; read in full it fails, and reading every file takes 1.0.0.
        #expect(!Self.compareBothWays(folder, plugins: ["demo"]))
    }
}
