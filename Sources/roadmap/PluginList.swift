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

struct PluginList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the plugins on the catalog path: version, size, where each was found and which copy wins.")

    @OptionGroup var catalog: CatalogOptions

    func run() throws {
        var diagnostics = Diagnostics()
        let loaded = CatalogLoader().load(catalog.searchPath, diagnostics: &diagnostics)
        Terminal.report(diagnostics)
        print(PluginListing(catalog: loaded).text(), terminator: "")
    }
}
