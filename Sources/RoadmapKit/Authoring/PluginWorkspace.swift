#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A plugin and the catalog it is read against: the plugin named by its path (`plugin lint`, `plugin test`)
/// or by its id on the catalog path (`plugin info`, `plugin doc`).
///
/// A plugin named by path takes the place of any copy with the same id on the catalog path. When its file is
/// `CATALOG/Plugins/NAME/plugin.yaml`, CATALOG is searched too (first, unless it is already on the path), so
/// that a plugin can build on another one beside it.
public struct PluginWorkspace: Sendable {
    /// Every package read, the plugin among them.
    public var catalog: Catalog
    /// Problems found while reading the catalog and the plugin.
    public var loadDiagnostics: Diagnostics
    /// The plugin's file as shown in messages.
    public var pluginFile: String
    /// The folder holding `plugin.yaml`, `README.md` and `examples/`.
    public var folder: String
    /// The plugin's index in `catalog.packages`; nil when the file could not be read as a plugin.
    public var pluginIndex: Int?

    public var plugin: Package? { pluginIndex.map { catalog.packages[$0] } }

    /// The plugin file a path names: `PATH/plugin.yaml` for a folder (or a path that does not exist and does
    /// not end in `.yaml`), PATH itself for a file.
    public static func pluginFile(for path: String) -> String {
        let kind = PathKind.of(path)
        if kind.map({ $0 == .folder }) ?? !(path.hasSuffix(".yaml") || path.hasSuffix(".yml")) {
            return (path.hasSuffix("/") ? String(path.dropLast()) : path) + "/plugin.yaml"
        }
        return path
    }

    /// Reads the plugin at `path` (a plugin folder or its `plugin.yaml`) and the catalog on `searchPath`.
    public static func open(path: String, searchPath: CatalogSearchPath, loader: CatalogLoader = CatalogLoader()) -> PluginWorkspace {
        let file = pluginFile(for: path)
        let cwd = PathText.currentDirectory
        let absolute = PathText.standardized(file, in: cwd)
        var roots = searchPath.roots
        let pluginsFolder = PathText.parent(PathText.parent(absolute))
        if pluginsFolder.hasSuffix("/Plugins") {
            let catalogFolder = PathText.parent(pluginsFolder)
            let known = roots.map { PathText.standardized($0.path, in: cwd) }
            if !known.contains(catalogFolder) { roots.insert(CatalogRoot(path: catalogFolder, origin: .option), at: 0) }
        }
        var diagnostics = Diagnostics()
        let catalog = loader.load(CatalogSearchPath(roots: roots), extraFiles: [file], diagnostics: &diagnostics)
        let display = DisplayPath.relative(file)
        let index = catalog.packages.firstIndex { $0.file == display && $0.kind == .plugin }
        if index == nil, catalog.packages.contains(where: { $0.file == display && $0.kind == .roadmap }) {
            diagnostics.error(
                .invalidValue, "this is a roadmap, not a plugin", at: .start(of: display),
                help: ["check roadmaps with 'roadmap validate \(display)'"])
        }
        return PluginWorkspace(
            catalog: catalog, loadDiagnostics: diagnostics, pluginFile: display,
            folder: PathText.parent(absolute), pluginIndex: index)
    }

    /// Reads the catalog on `searchPath` and picks the copy of plugin `id` that wins there; nil when no plugin
    /// has that id.
    public static func open(id: String, searchPath: CatalogSearchPath, loader: CatalogLoader = CatalogLoader()) -> PluginWorkspace? {
        var diagnostics = Diagnostics()
        let catalog = loader.load(searchPath, diagnostics: &diagnostics)
        guard let best = catalog.best(id), best.kind == .plugin,
            let index = catalog.packages.firstIndex(where: { $0.file == best.file && $0.name == id })
        else { return nil }
        let file = best.file
        return PluginWorkspace(
            catalog: catalog, loadDiagnostics: diagnostics, pluginFile: file,
            folder: PathText.parent(PathText.standardized(file, in: PathText.currentDirectory)), pluginIndex: index)
    }

    /// The ids of the plugins on the catalog, each once, for "did you mean".
    public var pluginIDs: [String] {
        var seen = Set<String>()
        return catalog.plugins.map(\.name).filter { seen.insert($0).inserted }
    }

    /// Validates the whole catalog; the diagnostics are those of the plugin's own file (plus reading problems
    /// of files that are not packages at all, which may hide a requirement).
    public func validate() -> (resolution: CatalogValidator.Resolution, diagnostics: Diagnostics) {
        var all = loadDiagnostics
        let resolution = CatalogValidator(catalog: catalog).validate(diagnostics: &all)
        let mine = Diagnostics(all.all.filter { $0.location.map { $0.file == pluginFile } ?? true })
        return (resolution, mine)
    }

    /// The roadmap the plugin builds on: the first roadmap reached through its requirements, breadth first.
    public func roadmap(of plugin: Package) -> Package? { Self.roadmap(of: plugin, in: catalog) }

    /// The first roadmap of `catalog` reached through the requirements of `plugin`, breadth first.
    public static func roadmap(of plugin: Package, in catalog: Catalog) -> Package? {
        var queue = plugin.requirements.map(\.package.value)
        var seen = Set<String>([plugin.name])
        var head = 0
        while head < queue.count {
            let id = queue[head]
            head += 1
            guard seen.insert(id).inserted, let package = catalog.best(id) else { continue }
            if package.kind == .roadmap { return package }
            queue += package.requirements.map(\.package.value)
        }
        return nil
    }

    /// The plugin composed with its roadmap and everything it requires, each at the version a plan would use.
    public func composition(diagnostics: inout Diagnostics) -> Composition? {
        guard let plugin else { return nil }
        guard let roadmap = roadmap(of: plugin) else {
            diagnostics.error(
                .unknownPackage, "plugin '\(plugin.name)' builds on no roadmap on the catalog path", at: plugin.id.location)
            return nil
        }
        return Composer(catalog: catalog).compose(
            roadmap: Located(roadmap.name, at: plugin.id.location), plugins: [plugin.id], diagnostics: &diagnostics)
    }

    /// How a catalog folder came to be searched, for listings.
    public static func describe(_ origin: CatalogRoot.Origin?) -> String {
        switch origin {
        case .option: return "--catalog"
        case .environment: return "ROADMAP_PATH"
        case .bundled: return "bundled"
        case nil: return "named"
        }
    }
}
