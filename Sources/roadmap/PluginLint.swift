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

struct PluginLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check a plugin: every error of the loader, plus authoring warnings, compiler style.",
        discussion: """
            Warnings (each with its code): missing-outcomes, missing-resources, resource-without-url, \
            hours-out-of-range, unreachable-module, requires-higher-stage, redundant-requirement, \
            unsatisfied-requirement, unbounded-requirement, folder-mismatch. docs/authoring-plugins.md explains \
            each. Exits 0 without errors (and, with --strict, without warnings), 65 otherwise, 66 when the file \
            cannot be read.
            """)

    @Argument(help: ArgumentHelp("The plugin folder, or its plugin.yaml.", valueName: "path"))
    var path: String

    @Flag(help: "Fail (exit 65) on warnings too.")
    var strict = false

    @OptionGroup var catalog: CatalogOptions

    func run() throws {
        let workspace = PluginWorkspace.open(path: path, searchPath: catalog.searchPath)
        let diagnostics = PluginLinter(workspace: workspace).lint()
        Terminal.report(diagnostics)
        let errors = diagnostics.errorCount, warnings = diagnostics.warnings.count
        let what = workspace.plugin.map { "\($0.name) \($0.version), \($0.modules.count) \($0.modules.count == 1 ? "module" : "modules")" }
            ?? workspace.pluginFile
        if errors == 0 && warnings == 0 {
            print("\(what): no problems")
        } else {
            print("\(what): \(errors) \(errors == 1 ? "error" : "errors"), \(warnings) \(warnings == 1 ? "warning" : "warnings")")
        }
        if errors > 0 { throw ExitCode(ExitStatus.forErrors(diagnostics)) }
        if strict && warnings > 0 { throw ExitCode(ExitStatus.dataError) }
    }
}
