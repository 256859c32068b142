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

struct PluginDoc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doc",
        abstract: "Write a plugin's Markdown documentation, generated from its files.",
        discussion: """
            Summary, requirements, what it builds on, modules by stage with hours, a Mermaid graph, every \
            module's outcomes and resources, and the first weeks of the plan of its first example.
            """)

    @Argument(help: ArgumentHelp("A plugin id on the catalog path, or a plugin folder.", valueName: "id"))
    var plugin: String

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var today: TodayOption

    @OptionGroup var catalog: CatalogOptions

    func run() throws {
        let workspace = try PluginArgument.workspace(plugin, catalog: catalog)
        let summary = try PluginArgument.summary(workspace)
        let tester = PluginTester(workspace: workspace, today: today.date)
        var example: PluginDocGenerator.Example?
        for file in tester.exampleFiles() {
            let result = tester.run(file)
            if let plan = result.plan {
                example = .init(file: "examples/" + URL(fileURLWithPath: file).lastPathComponent, plan: plan)
                break
            }
        }
        let text = PluginDocGenerator(summary: summary, example: example).markdown()
        try OutputWriter.emit(text, to: output)
    }
}
