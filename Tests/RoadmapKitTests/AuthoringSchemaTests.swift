import Foundation
import Testing

@testable import RoadmapKit

/// `roadmap schema`: the JSON Schemas in docs/schemas/ are what the command prints, the bundled files validate
/// against them, and good and bad fixtures (`Fixtures/AuthoringSchemaTests/FORMAT/{good,bad}-*.yaml`) get the
/// same verdict from the schema and from the loader.
@Suite("Authoring: JSON Schemas")
struct AuthoringSchemaTests {
    static let schemas = AuthoringSupport.packageRoot.appendingPathComponent("docs/schemas")
    static let formats: [JSONSchemas.Format] = [.roadmap, .plugin, .profile, .journal]
    static let pythonMissing = "python3 with the jsonschema and PyYAML packages is not installed (pip install jsonschema pyyaml)"

    @Test(arguments: JSONSchemas.Format.allCases)
    func schemaFileIsUpToDate(format: JSONSchemas.Format) throws {
        let file = Self.schemas.appendingPathComponent(format.fileName)
        let written = try String(contentsOf: file, encoding: .utf8)
        #expect(
            written == JSONSchemas.text(format),
            "docs/schemas/\(format.fileName) is out of date; regenerate it with: swift run roadmap schema \(format.rawValue) --output docs/schemas/\(format.fileName)")
        // It is JSON, and says which draft it follows.
        let parsed = try JSONSerialization.jsonObject(with: Data(written.utf8)) as? [String: Any]
        #expect(parsed?["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
    }

    // MARK: Bundled files

    /// Every bundled YAML file with the schema it must follow: roadmaps, plugins, their examples, profiles and
    /// journals in examples/.
    static func bundledFiles() -> [(file: String, format: JSONSchemas.Format)] {
        let root = AuthoringSupport.packageRoot.path
        let fileManager = FileManager.default
        func yaml(_ folder: String) -> [String] {
            ((try? fileManager.contentsOfDirectory(atPath: root + "/" + folder)) ?? [])
                .filter { $0.hasSuffix(".yaml") }.sorted().map { "\(folder)/\($0)" }
        }
        var files: [(String, JSONSchemas.Format)] = yaml("Roadmaps").map { ($0, .roadmap) }
        for id in AuthoringSupport.bundledPluginIDs {
            files.append(("Plugins/\(id)/plugin.yaml", .plugin))
            files += yaml("Plugins/\(id)/examples").map { ($0, .example) }
        }
        for file in yaml("examples") {
            files.append((file, file.hasSuffix(".progress.yaml") ? .journal : .profile))
        }
        return files
    }

    @Test func bundledFilesNameTheirSchema() throws {
        let files = Self.bundledFiles()
        #expect(files.count >= 13)
        for (file, format) in files {
            let url = AuthoringSupport.packageRoot.appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            let first = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
            let prefix = "# yaml-language-server: $schema="
            #expect(first.hasPrefix(prefix), "\(file) does not start with '\(prefix)...'")
            guard first.hasPrefix(prefix) else { continue }
            let target = url.deletingLastPathComponent().appendingPathComponent(String(first.dropFirst(prefix.count))).standardizedFileURL
            #expect(target.path == Self.schemas.appendingPathComponent(format.fileName).standardizedFileURL.path, "\(file) names \(target.path)")
        }
    }

    @Test(.enabled(if: PythonSchemaCheck.isAvailable, Comment(rawValue: pythonMissing)))
    func bundledFilesValidateAgainstTheirSchema() throws {
        let root = AuthoringSupport.packageRoot.path
        for format in JSONSchemas.Format.allCases {
            let files = Self.bundledFiles().filter { $0.format == format }.map { root + "/" + $0.file }
            let verdicts = try PythonSchemaCheck.check(schema: Self.schemas.appendingPathComponent(format.fileName), files: files)
            for (file, complaint) in verdicts.sorted(by: { $0.key < $1.key }) {
                #expect(complaint == nil, "\(file) does not validate against \(format.fileName): \(complaint ?? "")")
            }
        }
    }

    // MARK: Fixtures: schema and loader agree

    static func fixtureFiles(_ format: JSONSchemas.Format) throws -> [URL] {
        let folder = try AuthoringSupport.fixtures("AuthoringSchemaTests/\(format.rawValue)")
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }.sorted { $0.path < $1.path }
    }

    /// Whether the loader accepts the file as `format`: read and decoded, and for packages validated against
    /// the bundled catalog (roadmaps alone).
    static func loaderAccepts(_ file: URL, as format: JSONSchemas.Format) -> (accepted: Bool, diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        let loader = CatalogLoader()
        switch format {
        case .roadmap, .plugin:
            let searchPath = format == .plugin ? AuthoringSupport.bundled : CatalogSearchPath(roots: [])
            let catalog = loader.load(searchPath, extraFiles: [file.path], diagnostics: &diagnostics)
            _ = CatalogValidator(catalog: catalog).validate(diagnostics: &diagnostics)
            let display = DisplayPath.relative(file.path)
            diagnostics = Diagnostics(diagnostics.all.filter { $0.location?.file == display })
            if !diagnostics.hasErrors, catalog.packages.first(where: { $0.file == display })?.kind != (format == .plugin ? .plugin : .roadmap) {
                diagnostics.error(.invalidValue, "read as the other kind of package", at: .start(of: display))
            }
        case .profile:
            if let document = loader.readDocument(file.path, diagnostics: &diagnostics) {
                _ = ProfileDecoder().decode(document, today: CalendarDate(year: 2027, month: 1, day: 1)!, diagnostics: &diagnostics)
            }
        case .journal:
            if let document = loader.readDocument(file.path, diagnostics: &diagnostics) {
                _ = JournalDecoder().decode(document, diagnostics: &diagnostics)
            }
        case .example:
            break
        }
        return (!diagnostics.hasErrors, diagnostics)
    }

    @Test(arguments: formats)
    func fixturesGetTheirVerdictFromTheLoader(format: JSONSchemas.Format) throws {
        let files = try Self.fixtureFiles(format)
        #expect(files.contains { $0.lastPathComponent.hasPrefix("good-") })
        #expect(files.contains { $0.lastPathComponent.hasPrefix("bad-") })
        for file in files {
            let good = file.lastPathComponent.hasPrefix("good-")
            let (accepted, diagnostics) = Self.loaderAccepts(file, as: format)
            #expect(accepted == good, "the loader \(accepted ? "accepts" : "refuses") \(file.lastPathComponent):\n\(DiagnosticRenderer().render(diagnostics))")
        }
    }

    @Test(.enabled(if: PythonSchemaCheck.isAvailable, Comment(rawValue: pythonMissing)), arguments: formats)
    func fixturesGetTheSameVerdictFromTheSchema(format: JSONSchemas.Format) throws {
        let files = try Self.fixtureFiles(format)
        let verdicts = try PythonSchemaCheck.check(schema: Self.schemas.appendingPathComponent(format.fileName), files: files.map(\.path))
        for file in files {
            let (accepted, diagnostics) = Self.loaderAccepts(file, as: format)
            guard let complaint = verdicts[file.path] else { continue }
            #expect(
                (complaint == nil) == accepted,
                "\(file.lastPathComponent): the loader \(accepted ? "accepts" : "refuses") it, the schema \(complaint == nil ? "accepts it" : "says: \(complaint!)")\n\(DiagnosticRenderer().render(diagnostics))")
        }
    }

    // MARK: Patterns against the parsers, without Python

    private func matches(_ pattern: String, _ text: String) throws -> Bool {
        let regex = try NSRegularExpression(pattern: pattern)
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    @Test func idPatternAgreesWithTheIdRules() throws {
        let samples = ["a", "ab", "a-b", "a1", "wireless-6g", "A", "1a", "-a", "a-", "a_b", "a b", "", "ml/x", "é", String(repeating: "a", count: 64)]
        for sample in samples {
            #expect(try matches(JSONSchemas.id, sample) == Identifier.isValid(sample), "'\(sample)'")
        }
        for sample in ["a", "pkg/a", "pkg/a-b", "a/b/c", "Pkg/a", "pkg/", "/a", "pkg/-a"] {
            let expected = sample.split(separator: "/", omittingEmptySubsequences: false).count <= 2
                && sample.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { Identifier.isValid(String($0)) }
            #expect(try matches(JSONSchemas.moduleReference, sample) == expected, "'\(sample)'")
        }
    }

    @Test func versionPatternsAgreeWithTheVersionParser() throws {
        let versions = ["1.0.0", "0.1.2", "10.20.30", "1.0.0-beta", "1.0.0-beta.1", "1.0.0-", "1.0", "01.0.0", "1.0.0.0", "v1.0.0", "1.0.0-be_ta", "1234567890.0.0"]
        for sample in versions {
            #expect(try matches(JSONSchemas.version, sample) == (Version(sample) != nil), "'\(sample)'")
        }
        let requirements = [
            "^1.0", "~1.2", ">=1.0 <2.0", ">=1.0, <2.0", "=1.2.3", "1.2", "*", "^1", "^0.2.3", " ^1.0 ", "^1.0-beta", "^1.0.0-beta",
            "=>1.0", "^one", "", ",", "* ^1.0", ">= 1.0", "^1.0,,<2", "~", "1.2.3.4", "<2.0.0-rc.1", ">1 <=3.1",
        ]
        for sample in requirements {
            #expect(try matches(JSONSchemas.versionRequirement, sample) == (VersionRequirement(sample) != nil), "'\(sample)'")
        }
    }

    @Test func datePatternAgreesWithTheDateParser() throws {
        let samples = [
            "2027-01-04", "2027-1-4", "2027-13-01", "2027-00-10", "0000-01-01", "2027-01-04T18:30:00Z", "2027-01-04 18:30",
            "2027-01-04t09:00+02:00", "2027-01-04T25:00", "2027-01-04X", " 2027-01-04 ", "04/01/2027", "2027-01-04T18:30:00.123-05",
        ]
        for sample in samples {
            #expect(try matches(JSONSchemas.date, sample) == (CalendarDate(parsing: sample) != nil), "'\(sample)'")
        }
    }
}
