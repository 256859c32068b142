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

struct Stages: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stages",
        abstract: "Show the career ladder: each stage with its typical years and salary range.")

    @OptionGroup var catalog: CatalogOptions

    @Option(help: ArgumentHelp("The roadmap whose ladder to show.", valueName: "id"))
    var roadmap: String = "ml-research-fellow"

    func run() throws {
        // The roadmap alone is read in full when it can be (its plugins' heads are enough to find it).
        let here = SourceLocation(file: "<command line>", line: 1, column: 1)
        if let quick = CatalogLoader().compose(catalog.searchPath, roadmap: Located(roadmap, at: here), plugins: []) {
            print(StageLadder(roadmap: quick.composition.roadmap).text)
            return
        }
        var diagnostics = Diagnostics()
        let loaded = CatalogLoader().load(catalog.searchPath, diagnostics: &diagnostics)
        guard let package = loaded.best(roadmap), package.kind == .roadmap else {
            throw Terminal.usageError(
                "unknown roadmap '\(roadmap)'", code: .unknownPackage,
                help: Suggestions.didYouMean(Suggestions.closest(to: roadmap, among: loaded.roadmaps.map(\.name))))
        }
        print(StageLadder(roadmap: package).text)
    }
}
