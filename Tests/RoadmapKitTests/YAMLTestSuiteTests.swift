import Foundation
import Testing

@testable import RoadmapKit

/// Every input of the public YAML test suite, fed to the loader as a plugin, must end in a package or in
/// located error diagnostics: never a crash, a hang or an unlocated error.
///
/// The inputs live outside the package, in `../shared/testdata/yaml-test-suite/{valid,invalid}/`, beside the
/// package root. When that folder is absent (a checkout of the package alone), the tests are skipped: the
/// `.enabled(if:)` trait below turns them off, and Swift Testing reports them as skipped with its comment.
@Suite("YAML test suite", .timeLimit(.minutes(2)))
struct YAMLTestSuiteTests {
    /// `Tests/RoadmapKitTests/YAMLTestSuiteTests.swift` -> the package root -> `../shared/testdata/yaml-test-suite`.
    static let suiteFolder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/testdata/yaml-test-suite").standardizedFileURL

    static var suiteIsPresent: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: suiteFolder.appendingPathComponent("valid").path, isDirectory: &isDirectory)
            && isDirectory.boolValue
    }

    /// The `.yaml` files of one part of the suite, sorted.
    static func files(in part: String) -> [URL] {
        let folder = suiteFolder.appendingPathComponent(part)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// Loads one file as a plugin and checks the outcome; returns its diagnostics.
    @discardableResult
    private func check(_ file: URL) -> Diagnostics {
        var diagnostics = Diagnostics()
        let package = CatalogLoader().loadPackage(file.path, root: nil, diagnostics: &diagnostics)
        let name = file.deletingLastPathComponent().lastPathComponent + "/" + file.lastPathComponent
        #expect(package != nil || diagnostics.hasErrors, "\(name): neither a package nor an error")
        for diagnostic in diagnostics.errors {
            let location = diagnostic.location
            #expect(location != nil, "\(name): error without a location: \(diagnostic.message)")
            if let location {
                #expect(
                    location.line >= 1 && location.column >= 1,
                    "\(name): error at \(location.line):\(location.column): \(diagnostic.message)")
                #expect(location.file.hasSuffix(file.lastPathComponent), "\(name): error placed in \(location.file)")
            }
        }
        return diagnostics
    }

    @Test(
        "every valid and invalid input ends in a package or located errors",
        .enabled(if: suiteIsPresent, "../shared/testdata/yaml-test-suite is absent; skipping the YAML test suite"))
    func everyInputEndsCleanly() throws {
        let files = Self.files(in: "valid") + Self.files(in: "invalid")
        try #require(!files.isEmpty, "no .yaml files in \(Self.suiteFolder.path)")
        for file in files { check(file) }
    }

    @Test(
        "every invalid input yields an error",
        .enabled(if: suiteIsPresent, "../shared/testdata/yaml-test-suite is absent; skipping the YAML test suite"))
    func everyInvalidInputYieldsAnError() throws {
        let files = Self.files(in: "invalid")
        try #require(!files.isEmpty, "no .yaml files in \(Self.suiteFolder.appendingPathComponent("invalid").path)")
        for file in files {
            let diagnostics = check(file)
            #expect(diagnostics.hasErrors, "\(file.lastPathComponent): an invalid input was accepted")
        }
    }
}
