import Foundation
import Testing

@testable import RoadmapKit

/// One test per diagnostic of the catalog, each on its own fixture in `Fixtures/Diagnostics/`, named after
/// the test. A fixture is a single roadmap or plugin file, or a catalog folder with `Roadmaps/` and `Plugins/`
/// when a second package is needed.
@Suite("Catalog diagnostics")
struct CatalogDiagnosticsTests {
    // MARK: Helpers

    static let fixtures: URL? = Bundle.module.url(forResource: "Fixtures", withExtension: nil)?
        .appendingPathComponent("Diagnostics")

    /// Loads and validates a fixture: a file as a file named on the command line, a folder as a catalog root.
    private func diagnose(_ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Diagnostics {
        let folder = try #require(Self.fixtures, "the test bundle holds no Fixtures folder", sourceLocation: sourceLocation)
        let path = folder.appendingPathComponent(name).path
        var isDirectory: ObjCBool = false
        try #require(
            FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), "fixture \(name) is missing",
            sourceLocation: sourceLocation)
        var diagnostics = Diagnostics()
        let catalog: Catalog
        if isDirectory.boolValue {
            catalog = CatalogLoader().load(
                CatalogSearchPath(roots: [CatalogRoot(path: path, origin: .option)]), diagnostics: &diagnostics)
        } else {
            catalog = CatalogLoader().load(CatalogSearchPath(roots: []), extraFiles: [path], diagnostics: &diagnostics)
        }
        _ = CatalogValidator(catalog: catalog).validate(diagnostics: &diagnostics)
        return diagnostics
    }

    /// A file as named in expectations: its last path component, with its folder for a `plugin.yaml`.
    private static func short(_ file: String) -> String {
        let url = URL(fileURLWithPath: file)
        let last = url.lastPathComponent
        return last == "plugin.yaml" ? url.deletingLastPathComponent().lastPathComponent + "/" + last : last
    }

    /// `code file:line:column`, the way expectations are written.
    private static func summary(_ diagnostic: Diagnostic) -> String {
        guard let location = diagnostic.location else { return "\(diagnostic.code) <no location>" }
        return "\(diagnostic.code) \(short(location.file)):\(location.line):\(location.column)"
    }

    /// Checks that the errors are exactly `expected` (in any order), each written `code file:line:column`.
    private func expectErrors(
        _ diagnostics: Diagnostics, _ expected: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let actual = diagnostics.errors.map(Self.summary).sorted()
        #expect(actual == expected.sorted(), sourceLocation: sourceLocation)
    }

    /// The diagnostic with `code` at `line:column`.
    private func find(
        _ diagnostics: Diagnostics, _ code: DiagnosticCode, _ line: Int, _ column: Int,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> Diagnostic {
        try #require(
            diagnostics.all.first { $0.code == code && $0.location?.line == line && $0.location?.column == column },
            "no \(code) at \(line):\(column) among \(diagnostics.all.map(Self.summary))", sourceLocation: sourceLocation)
    }

    // MARK: A valid fixture, as a baseline

    @Test func validFixtureHasNoDiagnostics() throws {
        let diagnostics = try diagnose("valid.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics.all.map(Self.summary))")
    }

    // MARK: Shape of the data

    @Test func unknownKey() throws {
        let d = try diagnose("unknown-key.yaml")
        expectErrors(d, [
            "unknown-key unknown-key.yaml:4:1",
            "unknown-key unknown-key.yaml:7:5",
            "unknown-key unknown-key.yaml:14:5",
            "unknown-key unknown-key.yaml:16:25",
        ])
        let top = try find(d, .unknownKey, 4, 1)
        #expect(top.message == "unknown key 'sumary' in roadmap")
        #expect(top.help == ["did you mean 'summary'?"])
        #expect(try find(d, .unknownKey, 7, 5).help == ["did you mean 'title'?"])
        let module = try find(d, .unknownKey, 14, 5)
        #expect(module.message == "unknown key 'outcome' in module")
        #expect(module.help == ["did you mean 'outcomes'?"])
        // Nothing close: the help lists the valid keys instead.
        #expect(try find(d, .unknownKey, 16, 25).help == ["valid keys are 'title', 'url', 'type'"])
    }

    @Test func wrongType() throws {
        let d = try diagnose("wrong-type.yaml")
        expectErrors(d, [
            "wrong-type wrong-type.yaml:7:17",
            "wrong-type wrong-type.yaml:12:12",
            "wrong-type wrong-type.yaml:14:12",
            "wrong-type wrong-type.yaml:17:15",
            "wrong-type wrong-type.yaml:18:15",
        ])
        #expect(try find(d, .wrongType, 7, 17).message == "expected 'salary_usd' to be a list, found a number")
        #expect(try find(d, .wrongType, 12, 12).message == "expected 'hours' to be a number, found a string")
        #expect(try find(d, .wrongType, 14, 12).message == "expected 'title' to be text, found a list")
        let requires = try find(d, .wrongType, 17, 15)
        #expect(requires.message == "expected 'requires' to be a list, found a string")
        #expect(requires.help == ["write a one-item list as [basics]"])
        #expect(try find(d, .wrongType, 18, 15).message == "expected 'optional' to be true or false, found a string 'maybe'")
    }

    @Test func invalidID() throws {
        let d = try diagnose("invalid-id.yaml")
        expectErrors(d, [
            "invalid-id invalid-id.yaml:7:9",
            "invalid-id invalid-id.yaml:10:9",
            "invalid-id invalid-id.yaml:18:16",
            "invalid-id invalid-id.yaml:19:15",
        ])
        #expect(try find(d, .invalidID, 7, 9).help == ["try 'senior-fellow'"])
        let module = try find(d, .invalidID, 10, 9)
        #expect(module.message.contains("'Linear_Algebra' is not a valid id"))
        #expect(module.help == ["try 'linear-algebra'"])
        #expect(try find(d, .invalidID, 18, 16).message.contains("'a/b/c' is not a module id"))
        #expect(try find(d, .invalidID, 19, 15).help == ["try 'old-basics'"])
    }

    @Test func duplicateID() throws {
        let d = try diagnose("duplicate-id.yaml")
        expectErrors(d, ["duplicate-id duplicate-id.yaml:7:5", "duplicate-id duplicate-id.yaml:14:5"])
        let stage = try find(d, .duplicateID, 7, 5)
        #expect(stage.message == "stage 'engineer' is defined twice")
        #expect(stage.related.map { [$0.location.line, $0.location.column] } == [[5, 5]])
        let module = try find(d, .duplicateID, 14, 5)
        #expect(module.message == "module 'basics' is defined twice")
        #expect(module.related.map { [$0.location.line, $0.location.column] } == [[10, 5]])
        // A requirement listed twice is only a warning.
        #expect(d.warnings.map(Self.summary) == ["duplicate-id duplicate-id.yaml:22:24"])
    }

    @Test func missingKey() throws {
        let d = try diagnose("missing-key.yaml")
        expectErrors(d, [
            "missing-key missing-key.yaml:1:1",
            "missing-key missing-key.yaml:4:5",
            "missing-key missing-key.yaml:6:5",
            "missing-key missing-key.yaml:9:5",
        ])
        #expect(try find(d, .missingKey, 1, 1).message == "roadmap has no 'title'")
        #expect(try find(d, .missingKey, 4, 5).message == "stage has no 'title'")
        #expect(try find(d, .missingKey, 6, 5).message == "module has no 'title'")
        #expect(try find(d, .missingKey, 9, 5).message == "module has no 'hours'")
    }

    @Test func missingKeyKind() throws {
        let d = try diagnose("missing-key-kind.yaml")
        expectErrors(d, ["missing-key missing-key-kind.yaml:1:1"])
        #expect(try find(d, .missingKey, 1, 1).message.contains("neither a roadmap nor a plugin"))
    }

    @Test func missingKeyRequires() throws {
        let d = try diagnose("missing-key-requires.yaml")
        expectErrors(d, ["missing-key missing-key-requires.yaml:1:1"])
        #expect(try find(d, .missingKey, 1, 1).message.contains("plugin has no 'requires'"))
    }

    @Test func emptyFile() throws {
        let d = try diagnose("empty-file.yaml")
        expectErrors(d, ["empty-file empty-file.yaml:1:1"])
    }

    @Test func invalidValue() throws {
        let d = try diagnose("invalid-value.yaml")
        expectErrors(d, [
            "invalid-value invalid-value.yaml:7:17",
            "invalid-value invalid-value.yaml:13:11",
            "invalid-value invalid-value.yaml:15:30",
            "invalid-value invalid-value.yaml:15:57",
        ])
        #expect(try find(d, .invalidValue, 7, 17).message.contains("0 <= low <= high"))
        #expect(try find(d, .invalidValue, 13, 11).help == ["did you mean 'project'?"])
        #expect(try find(d, .invalidValue, 15, 30).message.contains("https://"))
        #expect(try find(d, .invalidValue, 15, 57).help == ["did you mean 'book'?"])
    }

    @Test func invalidHours() throws {
        let d = try diagnose("invalid-hours.yaml")
        expectErrors(d, [
            "invalid-hours invalid-hours.yaml:11:12",
            "invalid-hours invalid-hours.yaml:15:12",
            "invalid-hours invalid-hours.yaml:19:12",
        ])
        #expect(try find(d, .invalidHours, 11, 12).message == "'hours' must be a positive number, found 0")
        #expect(try find(d, .invalidHours, 15, 12).message == "'hours' must be a positive number, found -5")
        let huge = try find(d, .invalidHours, 19, 12)
        #expect(huge.message.contains("more than the limit of 1000"))
        #expect(huge.help == ["split the work into several modules"])
    }

    @Test func invalidMinWeeks() throws {
        let d = try diagnose("invalid-min-weeks.yaml")
        expectErrors(d, [
            "invalid-min-weeks invalid-min-weeks.yaml:12:16",
            "invalid-min-weeks invalid-min-weeks.yaml:17:16",
            "invalid-min-weeks invalid-min-weeks.yaml:22:16",
        ])
        #expect(try find(d, .invalidMinWeeks, 12, 16).message.contains("positive whole number, found 2.5"))
        #expect(try find(d, .invalidMinWeeks, 17, 16).message.contains("found 0"))
        #expect(try find(d, .invalidMinWeeks, 22, 16).message.contains("more than the limit of 520"))
    }

    @Test func invalidVersion() throws {
        let d = try diagnose("invalid-version.yaml")
        expectErrors(d, ["invalid-version invalid-version.yaml:3:10"])
        let diagnostic = try find(d, .invalidVersion, 3, 10)
        #expect(diagnostic.message == "'1.0' is not a semantic version (MAJOR.MINOR.PATCH)")
        #expect(diagnostic.help == ["write '1.0.0'"])
    }

    @Test func invalidVersionRequirement() throws {
        let d = try diagnose("invalid-version-requirement.yaml")
        expectErrors(d, [
            "invalid-version-requirement invalid-version-requirement.yaml:5:23",
            "invalid-version-requirement invalid-version-requirement.yaml:6:17",
        ])
        let range = try find(d, .invalidRequirement, 5, 23)
        #expect(range.message == "'>=1.0 <' is not a version requirement")
        #expect(range.help.first?.contains("^1.2") == true)
        #expect(try find(d, .invalidRequirement, 6, 17).message == "'^x' is not a version requirement")
    }

    @Test func selfRequirement() throws {
        let d = try diagnose("self-requirement.yaml")
        expectErrors(d, ["self-requirement self-requirement.yaml:5:3"])
        #expect(try find(d, .selfRequirement, 5, 3).message == "plugin 'self-requirement' requires itself")
    }

    // MARK: Relations between things

    @Test func unknownStage() throws {
        let d = try diagnose("unknown-stage.yaml")
        expectErrors(d, ["unknown-stage unknown-stage.yaml:12:12", "unknown-stage unknown-stage.yaml:16:12"])
        let typo = try find(d, .unknownStage, 12, 12)
        #expect(typo.message == "module 'basics' names unknown stage 'enginer'")
        #expect(typo.help == ["did you mean 'engineer'?"])
        #expect(try find(d, .unknownStage, 16, 12).help == ["stages are 'engineer', 'fellow'"])
    }

    @Test func unknownStageInPlugin() throws {
        let d = try diagnose("unknown-stage-in-plugin")
        expectErrors(d, ["unknown-stage stages/plugin.yaml:9:12"])
        #expect(try find(d, .unknownStage, 9, 12).help == ["did you mean 'fellow'?"])
    }

    @Test func unknownModule() throws {
        let d = try diagnose("unknown-module.yaml")
        expectErrors(d, [
            "unknown-module unknown-module.yaml:16:16",
            "unknown-module unknown-module.yaml:16:25",
            "unknown-module unknown-module.yaml:16:55",
        ])
        let abbreviation = try find(d, .unknownModule, 16, 16)
        #expect(abbreviation.message == "unknown module 'lin-alg' in requires")
        #expect(abbreviation.help == ["did you mean 'linear-algebra'?"])
        #expect(try find(d, .unknownModule, 16, 25).help == ["did you mean 'unknown-module/linear-algebra'?"])
        #expect(try find(d, .unknownModule, 16, 55).help.isEmpty)
    }

    @Test func unknownModuleAcrossPackages() throws {
        let d = try diagnose("unknown-module-across-packages")
        expectErrors(d, [
            "unknown-module wireless/plugin.yaml:12:9",
            "unknown-module wireless/plugin.yaml:13:9",
            "unknown-module wireless/plugin.yaml:14:9",
        ])
        let abbreviation = try find(d, .unknownModule, 12, 9)
        #expect(abbreviation.message == "unknown module 'ml-research-fellow/lin-alg' in requires")
        #expect(abbreviation.help == ["did you mean 'ml-research-fellow/linear-algebra'?"])
        let package = try find(d, .unknownModule, 13, 9)
        #expect(package.message.contains("there is no package 'ml-reserch-fellow'"))
        #expect(package.help == ["did you mean 'ml-research-fellow/probability'?"])
        // The id exists, but in the plugin itself rather than in the package named.
        #expect(try find(d, .unknownModule, 14, 9).help == ["did you mean 'signals'?"])
    }

    @Test func packageNotRequired() throws {
        let d = try diagnose("package-not-required")
        expectErrors(d, ["unknown-package medical/plugin.yaml:11:16"])
        let diagnostic = try find(d, .unknownPackage, 11, 16)
        #expect(diagnostic.message == "'vision/images' is in package 'vision', which plugin 'medical' does not require")
        #expect(diagnostic.help == ["add 'vision: ^1.2' to 'requires'"])
    }

    @Test func unknownPackage() throws {
        let d = try diagnose("unknown-package")
        expectErrors(d, ["unknown-package typo/plugin.yaml:5:3"])
        let diagnostic = try find(d, .unknownPackage, 5, 3)
        #expect(diagnostic.message == "plugin 'typo' requires unknown package 'ml-research-felow'")
        #expect(diagnostic.help == ["did you mean 'ml-research-fellow'?"])
    }

    @Test func cycle() throws {
        let d = try diagnose("cycle.yaml")
        expectErrors(d, ["cycle cycle.yaml:8:5", "cycle cycle.yaml:23:5"])
        let three = try find(d, .cycle, 8, 5)
        #expect(three.message == "requirement cycle: cycle/a -> cycle/b -> cycle/c -> cycle/a")
        #expect(!three.help.isEmpty)
        #expect(try find(d, .cycle, 23, 5).message == "requirement cycle: cycle/loner -> cycle/loner")
    }

    @Test func cycleAcrossPackages() throws {
        let d = try diagnose("cycle-across-packages")
        expectErrors(d, ["cycle p/plugin.yaml:8:5"])
        #expect(try find(d, .cycle, 8, 5).message == "requirement cycle: p/a -> q/b -> p/a")
    }

    @Test func aliasCollision() throws {
        let d = try diagnose("alias-collision.yaml")
        expectErrors(d, ["alias-collision alias-collision.yaml:12:22", "alias-collision alias-collision.yaml:17:15"])
        let withID = try find(d, .aliasCollision, 12, 22)
        #expect(withID.message == "alias 'advanced' of module 'basics' is the id of another module")
        #expect(withID.related.map { [$0.location.line, $0.location.column] } == [[13, 5]])
        let twice = try find(d, .aliasCollision, 17, 15)
        #expect(twice.message == "alias 'intro' is used by two modules")
        #expect(twice.related.map { [$0.location.line, $0.location.column] } == [[12, 15]])
    }

    @Test func versionConflict() throws {
        let d = try diagnose("version-conflict")
        expectErrors(d, ["version-conflict future/plugin.yaml:5:3"])
        #expect(
            try find(d, .versionConflict, 5, 3).message
                == "'future' 1.0.0 requires 'ml-research-fellow' ^2.0, but the catalog has only 1.0.0")
    }

    @Test func buildsOnNoRoadmap() throws {
        let d = try diagnose("builds-on-no-roadmap")
        expectErrors(d, ["unknown-package helper/plugin.yaml:1:9", "unknown-package lonely/plugin.yaml:1:9"])
        let lonely = try #require(d.errors.first { $0.location?.file.hasSuffix("lonely/plugin.yaml") == true })
        #expect(lonely.message.contains("plugin 'lonely' builds on no roadmap"))
        #expect(!lonely.help.isEmpty)
    }

    @Test func buildsOnNoRoadmapWithEmptyRequires() throws {
        let d = try diagnose("builds-on-no-roadmap-empty-requires.yaml")
        #expect(d.errors.map(\.code) == [.unknownPackage])
        #expect(d.errors.first?.message.contains("builds on no roadmap") == true)
    }
}
