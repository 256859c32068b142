import ArgumentParser
import Foundation
import RoadmapKit

struct Stages: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the career ladder: each stage with its typical years and salary range.")

    @OptionGroup var catalog: CatalogOptions

    @Option(help: ArgumentHelp("The roadmap whose ladder to show.", valueName: "id"))
    var roadmap: String = "ml-research-fellow"

    func run() throws {
        var diagnostics = Diagnostics()
        let loaded = CatalogLoader().load(catalog.searchPath, diagnostics: &diagnostics)
        guard let package = loaded.best(roadmap), package.kind == .roadmap else {
            let ids = loaded.roadmaps.map(\.name)
            var message = "Unknown roadmap '\(roadmap)'."
            if let suggestion = Suggestions.closest(to: roadmap, among: ids).first { message += " Did you mean '\(suggestion)'?" }
            throw ValidationError(message)
        }
        print(StageLadder(roadmap: package).text)
    }
}
