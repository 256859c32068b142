import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
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
            options: catalogs, environment: getenv("ROADMAP_PATH").map { String(cString: $0) },
            bundled: CatalogSearchPath.bundledRoot(executablePath: Terminal.executablePath))
    }

    func validate() throws {
        for folder in catalogs {
            guard PathKind.of(folder) == .folder else {
                throw ValidationError("Catalog folder '\(folder)' does not exist.")
            }
        }
    }
}
