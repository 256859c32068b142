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

struct PluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "List, inspect, scaffold, lint, test, document and compare domain plugins.",
        discussion: """
            A plugin is a folder holding plugin.yaml, a README.md and examples/. See docs/authoring-plugins.md \
            for a step-by-step guide.
            """,
        subcommands: [
            PluginList.self, PluginInfo.self, PluginNew.self, PluginLint.self, PluginTest.self, PluginDoc.self, PluginCompare.self,
        ])
}

/// A plugin named on the command line: an id on the catalog path, or a path to a plugin folder or file.
enum PluginArgument {
    static func workspace(_ argument: String, catalog: CatalogOptions) throws -> PluginWorkspace {
        let searchPath = catalog.searchPath
        if Identifier.isValid(argument) {
            if let found = PluginWorkspace.open(id: argument, searchPath: searchPath) { return found }
            if !FileManager.default.fileExists(atPath: argument) {
                var diagnostics = Diagnostics()
                let loaded = CatalogLoader().load(searchPath, diagnostics: &diagnostics)
                var ids: [String] = []
                for plugin in loaded.plugins where !ids.contains(plugin.name) { ids.append(plugin.name) }
                var message = "Unknown plugin '\(argument)' on the catalog path."
                if let suggestion = Suggestions.closest(to: argument, among: ids).first {
                    message += " Did you mean '\(suggestion)'?"
                } else if loaded.roadmaps.contains(where: { $0.name == argument }) {
                    message += " It is a roadmap; see 'roadmap stages --roadmap \(argument)'."
                } else {
                    message += " Plugins there: " + ids.map { "'\($0)'" }.joined(separator: ", ") + "."
                }
                throw ValidationError(message)
            }
        }
        let file = PluginWorkspace.pluginFile(for: argument)
        guard FileManager.default.fileExists(atPath: file) else {
            throw ValidationError("No plugin at '\(argument)': give a plugin id, a plugin folder or its plugin.yaml.")
        }
        return PluginWorkspace.open(path: argument, searchPath: searchPath)
    }

    /// The plugin composed with what it builds on, or the diagnostics and the documented exit.
    static func summary(_ workspace: PluginWorkspace) throws -> PluginSummary {
        let (_, problems) = workspace.validate()
        try Terminal.failIfErrors(Diagnostics(problems.errors))
        var diagnostics = Diagnostics()
        guard let plugin = workspace.plugin, let composition = workspace.composition(diagnostics: &diagnostics) else {
            try Terminal.failIfErrors(diagnostics)
            throw ExitCode(ExitStatus.dataError)
        }
        return PluginSummary(plugin: plugin, composition: composition)
    }
}

/// `--today DATE`, shared by the plugin commands that make plans.
struct TodayOption: ParsableArguments {
    @Option(help: ArgumentHelp("The date to take as today, YYYY-MM-DD, for examples without a start.", valueName: "date"))
    var today: String?

    func validate() throws {
        if let today, CalendarDate(parsing: today) == nil {
            throw ValidationError("'\(today)' is not a date for --today; use YYYY-MM-DD, e.g. 2027-01-04.")
        }
    }

    var date: CalendarDate { today.flatMap(CalendarDate.init(parsing:)) ?? CalendarDate.today() }
}
