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

struct PluginNew: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a new plugin folder DIR/ID that passes 'plugin lint' and 'plugin test' as it stands.",
        discussion: """
            Writes plugin.yaml (with a commented example of every key), README.md and examples/ with one example \
            profile and its expectations. Never writes outside DIR, and never over an existing file or folder. \
            With the default --dir, the working directory becomes a catalog: 'roadmap plan --catalog . --with ID'.
            """)

    @Argument(help: ArgumentHelp("The new plugin's id: lowercase letters, digits and hyphens.", valueName: "id"))
    var id: String

    @Option(help: ArgumentHelp("The folder to create the plugin folder in.", valueName: "dir"))
    var dir: String = "Plugins"

    @Option(help: ArgumentHelp("The roadmap the plugin builds on.", valueName: "id"))
    var roadmap: String = ProfileDefaults.roadmap

    @OptionGroup var catalog: CatalogOptions

    func validate() throws {
        guard Identifier.isValid(id) else {
            var message = "'\(id)' is not a valid plugin id: use lowercase letters, digits and hyphens, starting with a letter."
            if let suggestion = Identifier.suggestion(for: id) { message += " Did you mean '\(suggestion)'?" }
            throw ValidationError(message)
        }
        let target = (dir.hasSuffix("/") ? String(dir.dropLast()) : dir) + "/" + id
        var info = stat()
        if lstat(target, &info) == 0 {
            throw ValidationError("'\(target)' already exists; choose another id or another --dir.")
        }
        if PathKind.of(dir) == .notAFolder {
            throw ValidationError("'\(dir)' is a file, not a folder to create the plugin in.")
        }
        _ = try base(in: load())
    }

    private func load() -> Catalog {
        var diagnostics = Diagnostics()
        return CatalogLoader().load(catalog.searchPath, diagnostics: &diagnostics)
    }

    /// The roadmap to build on; refuses an unknown one, and an id that is a roadmap's.
    private func base(in loaded: Catalog) throws -> Package {
        guard let base = loaded.best(roadmap), base.kind == .roadmap, !base.stages.isEmpty else {
            var message = "Unknown roadmap '\(roadmap)' on the catalog path."
            if let suggestion = Suggestions.closest(to: roadmap, among: loaded.roadmaps.map(\.name)).first {
                message += " Did you mean '\(suggestion)'?"
            }
            throw ValidationError(message)
        }
        if loaded.roadmaps.contains(where: { $0.name == id }) {
            throw ValidationError("'\(id)' is the id of a roadmap; a plugin needs an id of its own.")
        }
        return base
    }

    func run() throws {
        let loaded = load()
        let base = try base(in: loaded)
        let scaffold = PluginScaffold.make(
            id: id, roadmap: base, catalog: loaded, today: CalendarDate.today(), schemaFolder: schemaFolder())
        let created: String
        do {
            created = try scaffold.write(into: dir)
        } catch {
            Terminal.printError("roadmap: error: \(error) [output-unwritable]")
            throw ExitCode(ExitStatus.cannotCreate)
        }
        if let other = loaded.best(id), other.kind == .plugin {
            Terminal.printError(
                "roadmap: warning: a plugin '\(id)' \(other.version) is already on the catalog path (\(other.file)); "
                    + "the higher version wins where both are found")
        }
        print("Created \(created):")
        for file in scaffold.files { print("  \(file.path)") }
        print("""

            Next:
              roadmap plugin lint \(created)
              roadmap plugin test \(created)
            Then edit plugin.yaml, keep examples/ passing, and see docs/authoring-plugins.md.
            """)
    }

    /// `docs/schemas` relative to the new plugin folder, when the folder is inside the bundled catalog's tree.
    private func schemaFolder() -> String? {
        guard let bundled = CatalogSearchPath.bundledRoot(executablePath: Terminal.executablePath) else { return nil }
        let root = URL(fileURLWithPath: bundled).resolvingSymlinksInPath().standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: root + "/docs/schemas/plugin.schema.json") else { return nil }
        let folder = URL(fileURLWithPath: dir).resolvingSymlinksInPath().standardizedFileURL.path + "/" + id
        guard folder.hasPrefix(root + "/") else { return nil }
        let depth = folder.dropFirst(root.count + 1).split(separator: "/").count
        return String(repeating: "../", count: depth) + "docs/schemas"
    }
}
