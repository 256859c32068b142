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

struct PluginCompare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare the plugins on the catalog path: hours, modules per stage, what each builds on, plan length.",
        discussion: """
            Writes a Markdown page (docs/specializations.md for the bundled plugins). The plan length is that of \
            a typical profile with each plugin alone: an ML engineer (current stage 'engineer') aiming at \
            'fellow', 10 hours a week, at most 2 modules at once, from 2027-01-04. Each plugin is the copy that \
            wins on the catalog path, as in 'roadmap plugin list'.
            """)

    @Argument(help: ArgumentHelp("Plugin ids to compare (default: every plugin on the catalog path).", valueName: "id"))
    var plugins: [String] = []

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var catalog: CatalogOptions

    func run() throws {
        var diagnostics = Diagnostics()
        let loaded = CatalogLoader().load(catalog.searchPath, diagnostics: &diagnostics)
        var ids: [String] = []
        for plugin in loaded.plugins where !ids.contains(plugin.name) { ids.append(plugin.name) }
        for id in plugins where !ids.contains(id) {
            var message = "Unknown plugin '\(id)' on the catalog path."
            if let suggestion = Suggestions.closest(to: id, among: ids).first { message += " Did you mean '\(suggestion)'?" }
            throw ValidationError(message)
        }
        _ = CatalogValidator(catalog: loaded).validate(diagnostics: &diagnostics)
        try Terminal.failIfErrors(diagnostics)
        let comparison = SpecializationComparison(
            catalog: loaded, plugins: plugins.isEmpty ? nil : plugins, diagnostics: &diagnostics)
        try Terminal.failIfErrors(diagnostics)
        Terminal.report(diagnostics)
        try OutputWriter.emit(comparison.markdown(), to: output)
    }
}
