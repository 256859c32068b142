import Foundation
import Testing

@testable import RoadmapKit

/// Shared by the Authoring*Tests: where the package and the fixtures are, temporary folders, and the
/// optional Python check of YAML files against the JSON Schemas.
enum AuthoringSupport {
    /// `Tests/RoadmapKitTests/AuthoringTestSupport.swift` -> the package root.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder of a test's fixtures, `Fixtures/NAME`, as copied into the test bundle.
    static func fixtures(_ name: String) throws -> URL {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil), "the test bundle holds no Fixtures")
        return folder.appendingPathComponent(name)
    }

    /// The bundled catalog alone.
    static var bundled: CatalogSearchPath {
        CatalogSearchPath(roots: [CatalogRoot(path: packageRoot.path, origin: .bundled)])
    }

    /// The ids of the bundled plugins: every folder under `Plugins/` that holds a `plugin.yaml`. Each carries
    /// examples and a generated page in `docs/plugins/`, and is lint-clean under `--strict`.
    static let bundledPluginIDs: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: packageRoot.path + "/Plugins")) ?? []
        return names.filter { FileManager.default.fileExists(atPath: packageRoot.path + "/Plugins/\($0)/plugin.yaml") }.sorted()
    }()

    /// The bundled plugin folder of `id`.
    static func bundledPluginFolder(_ id: String) -> String { packageRoot.path + "/Plugins/\(id)" }

    /// A fresh temporary folder; remove it with `remove`.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roadmap-authoring-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func remove(_ folder: URL) { try? FileManager.default.removeItem(at: folder) }

    /// `code line:column` of each diagnostic, the way expectations are written.
    static func summary(_ diagnostics: Diagnostics, _ severity: Diagnostic.Severity? = nil) -> [String] {
        diagnostics.sorted.filter { severity == nil || $0.severity == severity }.map { diagnostic in
            let place = diagnostic.location.map { "\($0.line):\($0.column)" } ?? "-"
            return "\(diagnostic.code) \(place)"
        }
    }
}

/// Runs `docs/schemas/validate_yaml.py`, which checks YAML files against a JSON Schema with the Python
/// `jsonschema` and `PyYAML` packages; the tests that need it are skipped, with a message, without them.
enum PythonSchemaCheck {
    static let script = AuthoringSupport.packageRoot.appendingPathComponent("docs/schemas/validate_yaml.py")

    /// Whether `python3` with `jsonschema` and `yaml` can be run.
    static let isAvailable: Bool = {
        (try? run(["-c", "import jsonschema, yaml"]).status) == 0
    }()

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// For each file, nil when the schema accepts it, or the schema's complaint.
    static func check(schema: URL, files: [String]) throws -> [String: String?] {
        guard !files.isEmpty else { return [:] }
        let result = try run([script.path, schema.path] + files)
        var verdicts: [String: String?] = [:]
        for line in result.output.split(separator: "\n").map(String.init) {
            for file in files where line.hasPrefix(file + ": ") {
                let rest = String(line.dropFirst(file.count + 2))
                verdicts[file] = rest == "ok" ? .some(nil) : .some(rest)
            }
        }
        #expect(verdicts.count == files.count, "validate_yaml.py did not report on every file:\n\(result.output)")
        return verdicts
    }
}
