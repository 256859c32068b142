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

struct PluginTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run a plugin's examples: plan each example profile with the plugin and check its expectations.",
        discussion: """
            Each examples/*.yaml file is a profile with an 'expect:' mapping: includes, excludes, before, \
            max_weeks, feasible. Prints each example as passed or failed, with the place of each failed \
            expectation, and closes with 'N passed, M failed'. Exits 0 when all pass, 1 when any fails or there \
            are none, 65 when the plugin itself has errors.
            """)

    @Argument(help: ArgumentHelp("The plugin folder, or its plugin.yaml.", valueName: "path"))
    var path: String

    @OptionGroup var today: TodayOption

    @OptionGroup var catalog: CatalogOptions

    func run() throws {
        let workspace = PluginWorkspace.open(path: path, searchPath: catalog.searchPath)
        let (_, problems) = workspace.validate()
        try Terminal.failIfErrors(Diagnostics(problems.errors))
        let tester = PluginTester(workspace: workspace, today: today.date)
        let results = tester.runAll()
        print(PluginTester.report(results, plugin: workspace.plugin, file: workspace.pluginFile), terminator: "")
        if results.isEmpty || results.contains(where: { !$0.passed }) { throw ExitCode(ExitStatus.failure) }
    }
}
