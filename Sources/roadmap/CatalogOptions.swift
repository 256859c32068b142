import ArgumentParser
import Foundation
import RoadmapKit

/// Where to look for roadmaps and plugins; shared by every command that reads the catalog.
struct CatalogOptions: ParsableArguments {
    @Option(
        name: .customLong("catalog"),
        help: ArgumentHelp(
            "A folder holding Roadmaps/ and Plugins/ to search before the bundled catalog (repeatable).",
            valueName: "dir"))
    var catalogs: [String] = []

    /// The search path: `--catalog` folders, then `ROADMAP_PATH`, then the bundled catalog.
    var searchPath: CatalogSearchPath {
        CatalogSearchPath(
            options: catalogs, environment: ProcessInfo.processInfo.environment["ROADMAP_PATH"],
            bundled: CatalogSearchPath.bundledRoot(executablePath: Terminal.executablePath))
    }

    func validate() throws {
        for folder in catalogs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("Catalog folder '\(folder)' does not exist.")
            }
        }
    }
}
