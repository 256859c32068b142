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

struct PluginInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a plugin: summary, requirements resolved to versions, modules by stage, what it builds on.")

    @Argument(help: ArgumentHelp("A plugin id on the catalog path, or a plugin folder.", valueName: "id"))
    var plugin: String

    @OptionGroup var catalog: CatalogOptions

    func run() throws {
        let workspace = try PluginArgument.workspace(plugin, catalog: catalog)
        print(try PluginArgument.summary(workspace).text(), terminator: "")
    }
}
