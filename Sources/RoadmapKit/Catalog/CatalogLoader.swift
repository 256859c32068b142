#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// A folder that holds `Roadmaps/` and `Plugins/`, and how it came to be on the search path.
public struct CatalogRoot: Hashable, Sendable {
    public enum Origin: String, Hashable, Sendable {
        /// Named with `--catalog`.
        case option
        /// Listed in `ROADMAP_PATH`.
        case environment
        /// The catalog that ships with roadmap.
        case bundled
    }

    public var path: String
    public var origin: Origin

    public init(path: String, origin: Origin) {
        self.path = path
        self.origin = origin
    }
}

/// Where catalogs are looked for, in order of precedence: `--catalog` folders, then `ROADMAP_PATH`, then the
/// bundled catalog. When two folders hold the same package at the same version, the earlier one wins.
public struct CatalogSearchPath: Hashable, Sendable {
    public var roots: [CatalogRoot]

    public init(roots: [CatalogRoot]) { self.roots = roots }

    /// The search path for `--catalog` options, the `ROADMAP_PATH` value and the bundled catalog.
    public init(options: [String], environment: String?, bundled: String?) {
        var roots = options.map { CatalogRoot(path: $0, origin: .option) }
        for entry in (environment ?? "").split(separator: ":") where !entry.isEmpty {
            roots.append(CatalogRoot(path: String(entry), origin: .environment))
        }
        if let bundled { roots.append(CatalogRoot(path: bundled, origin: .bundled)) }
        var seen = Set<String>()
        let cwd = PathText.currentDirectory
        self.roots = roots.filter { seen.insert(PathText.standardized($0.path, in: cwd)).inserted }
    }

    /// The bundled catalog: beside an installed binary (`../share/roadmap`), in a folder above the binary
    /// (a build inside the package), or in the source tree the binary was built from.
    public static func bundledRoot(executablePath: String?) -> String? {
        func isCatalog(_ path: String) -> Bool {
            PathKind.of(path + "/Roadmaps/ml-research-fellow.yaml") != nil
        }
        if let executablePath {
            let cwd = PathText.currentDirectory
            let executable = PathText.real(executablePath) ?? PathText.standardized(executablePath, in: cwd)
            var folder = PathText.parent(executable)
            let shared = PathText.parent(folder) + "/share/roadmap"
            if isCatalog(shared) { return shared }
            for _ in 0..<6 {
                if isCatalog(folder) { return folder }
                folder = PathText.parent(folder)
            }
        }
        // Sources/RoadmapKit/Catalog/CatalogLoader.swift -> the package root.
        let source = URL(fileURLWithPath: #filePath)
        let packageRoot = source.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return isCatalog(packageRoot.path) ? packageRoot.path : nil
    }
}

/// All the roadmaps and plugins found on a search path, every version of each.
public struct Catalog: Sendable {
    /// Every package read, in search-path order.
    public var packages: [Package]
    /// Every file read, in order.
    public var files: [String]
    /// The files whose packages hold only their heads, everything but their modules
    /// (``CatalogLoader/compose(_:roadmap:plugins:)``), with the path each was read from.
    var heads: [String: String] = [:]

    public init(packages: [Package], files: [String]) {
        self.packages = packages
        self.files = files
    }

    public var roadmaps: [Package] { packages.filter { $0.kind == .roadmap } }
    public var plugins: [Package] { packages.filter { $0.kind == .plugin } }

    /// Every package id, each once, in search-path order.
    public var packageIDs: [String] {
        var seen = Set<String>()
        return packages.map(\.name).filter { seen.insert($0).inserted }
    }

    /// The copies of a package, highest version first; among equal versions, the first on the path first.
    public func versions(of id: String) -> [Package] {
        packages.enumerated().filter { $0.element.name == id }
            .sorted { ($0.element.version, -$0.offset) > ($1.element.version, -$1.offset) }
            .map(\.element)
    }

    /// The highest version of a package that meets every requirement, nil when none does.
    public func best(_ id: String, satisfying requirements: [VersionRequirement] = []) -> Package? {
        versions(of: id).first { package in requirements.allSatisfy { $0.isSatisfied(by: package.version) } }
    }
}

/// Reads files from disk into packages.
public struct CatalogLoader: Sendable {
    public var yamlLimits: YAMLLimits
    public var decoder: PackageDecoder

    public init(yamlLimits: YAMLLimits = .default, catalogLimits: CatalogLimits = .default) {
        self.yamlLimits = yamlLimits
        self.decoder = PackageDecoder(limits: catalogLimits)
    }

    /// The package files in a catalog folder: `Roadmaps/*.yaml` then `Plugins/*/plugin.yaml`, sorted.
    public static func packageFiles(in root: String) -> [String] {
        let fileManager = FileManager.default
        var files: [String] = []
        let base = root.hasSuffix("/") ? String(root.dropLast()) : root
        if let names = try? fileManager.contentsOfDirectory(atPath: base + "/Roadmaps") {
            files += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "\(base)/Roadmaps/\($0)" }
        }
        if let names = try? fileManager.contentsOfDirectory(atPath: base + "/Plugins") {
            for name in names.sorted() {
                let path = "\(base)/Plugins/\(name)/plugin.yaml"
                if fileManager.fileExists(atPath: path) { files.append(path) }
            }
        }
        return files
    }

    /// Where `path` really is when a symbolic link on the way takes it outside `root`; nil when it stays inside.
    static func linkOutside(_ path: String, root: String) -> String? {
        linkOutside(path, realRoot: realPath(root))
    }

    /// ``linkOutside(_:root:)`` with the root already resolved by ``realPath(_:)``.
    static func linkOutside(_ path: String, realRoot: String) -> String? {
        let real = realPath(path)
        let prefix = realRoot.hasSuffix("/") ? realRoot : realRoot + "/"
        return real.hasPrefix(prefix) ? nil : real
    }

    /// The path with its links resolved; for a link whose target is missing, that target; otherwise as
    /// written (made absolute and standardized).
    static func realPath(_ path: String) -> String {
        if let real = PathText.real(path) { return real }
        let cwd = PathText.currentDirectory
        return PathText.danglingLinkTarget(path, in: cwd) ?? PathText.standardized(path, in: cwd)
    }

    /// Reads and parses one file; problems reading it become diagnostics.
    public func readDocument(_ path: String, diagnostics: inout Diagnostics) -> YAMLDocument? {
        let display = DisplayPath.relative(path)
        let bytes: [UInt8]
        do {
            bytes = try FileInput.read(path, limit: yamlLimits.maxFileBytes)
        } catch {
            diagnostics.append(error.diagnostic(file: display))
            return nil
        }
        do {
            return try YAMLReader.read(bytes, file: display, limits: yamlLimits)
        } catch {
            diagnostics.append(contentsOf: error.diagnostics)
            return nil
        }
    }

    /// Reads one roadmap or plugin file.
    public func loadPackage(_ path: String, root: CatalogRoot?, diagnostics: inout Diagnostics) -> Package? {
        guard let document = readDocument(path, diagnostics: &diagnostics) else { return nil }
        return decoder.decode(document, root: root, diagnostics: &diagnostics)
    }

    /// Reads a package's head, all but its modules, when that can be done faithfully and without a problem
    /// (``YAMLReader/readHead(_:file:before:limits:)``); nil otherwise.
    func loadPackageHead(_ path: String, root: CatalogRoot?) -> Package? {
        let display = DisplayPath.relative(path)
        guard let bytes = try? FileInput.read(path, limit: yamlLimits.maxFileBytes),
            let document = YAMLReader.readHead(bytes, file: display, before: "modules", limits: yamlLimits)
        else { return nil }
        var diagnostics = Diagnostics()
        guard let package = decoder.decodeHead(document, root: root, diagnostics: &diagnostics), diagnostics.isEmpty
        else { return nil }
        return package
    }

    /// Reads every package on the search path, then `extraFiles` (files named on the command line), which
    /// take the place of catalog packages with the same id.
    public func load(_ searchPath: CatalogSearchPath, extraFiles: [String] = [], diagnostics: inout Diagnostics) -> Catalog {
        load(searchPath, extraFiles: extraFiles, heads: false, diagnostics: &diagnostics)
    }

    /// ``load(_:extraFiles:diagnostics:)``, reading only the heads of catalog files where that can be done
    /// faithfully when `heads` is set (``Catalog/heads``).
    func load(
        _ searchPath: CatalogSearchPath, extraFiles: [String] = [], heads: Bool, diagnostics: inout Diagnostics
    ) -> Catalog {
        var packages: [Package] = []
        var files: [String] = []
        for path in extraFiles {
            files.append(DisplayPath.relative(path))
            if let package = loadPackage(path, root: nil, diagnostics: &diagnostics) { packages.append(package) }
        }
        let shadowed = Set(packages.map(\.name))
        // Files are independent until they are merged: read, parse and decode them on all cores first, then
        // merge in search-path order exactly as if each had been read in turn.
        // A link outside its catalog folder is never read.
        let roots = searchPath.roots.map { root in
            let realRoot = Self.realPath(root.path)
            return (root: root, paths: Self.packageFiles(in: root.path).map { path in
                (path: path, outside: Self.linkOutside(path, realRoot: realRoot))
            })
        }
        let wanted = roots.flatMap { entry in
            entry.paths.filter { $0.outside == nil }.map { (path: $0.path, root: entry.root) }
        }
        let loaded = loadAll(wanted, heads: heads)
        var headPaths: [String: String] = [:]
        var next = 0
        for (_, paths) in roots {
            for (path, outside) in paths {
                let display = DisplayPath.relative(path)
                var result: (package: Package?, diagnostics: Diagnostics, head: Bool)?
                if outside == nil {
                    result = loaded[next]
                    next += 1
                }
                guard !files.contains(display) else { continue }
                if let target = outside {
                    diagnostics.error(
                        .unsafePath, "refusing to read '\(display)': it is a link to '\(target)', outside the catalog folder",
                        at: .start(of: display), help: ["copy the plugin into the catalog instead of linking to it"])
                    continue
                }
                let local = result!.diagnostics
                guard let package = result!.package else {
                    files.append(display)
                    diagnostics.append(contentsOf: local)
                    continue
                }
                if shadowed.contains(package.name) { continue }
                files.append(display)
                diagnostics.append(contentsOf: local)
                packages.append(package)
                if result!.head { headPaths[display] = path }
            }
        }
        var catalog = Catalog(packages: packages, files: files)
        catalog.heads = headPaths
        return catalog
    }

    /// Reads every file into a package and its diagnostics, on as many threads as there are cores (at most
    /// one per file), largest files first; the results are in the order of `files`.
    ///
    /// A file that the merge will skip (named twice, or a link outside its folder) is read all the same: it
    /// costs time but changes no result, and such catalogs are rare.
    func loadAll(
        _ files: [(path: String, root: CatalogRoot)], heads: Bool = false
    ) -> [(package: Package?, diagnostics: Diagnostics, head: Bool)] {
        let count = files.count
        let loader = self
        @Sendable func load(_ file: (path: String, root: CatalogRoot)) -> (package: Package?, diagnostics: Diagnostics, head: Bool) {
            if heads, let head = loader.loadPackageHead(file.path, root: file.root) { return (head, Diagnostics(), true) }
            var diagnostics = Diagnostics()
            let package = loader.loadPackage(file.path, root: file.root, diagnostics: &diagnostics)
            return (package, diagnostics, false)
        }
        guard count > 1 else { return files.map(load) }
        // Largest first, so that no thread is left with a big file at the end.
        let sizes = files.map { file -> Int in
            var info = stat()
            return stat(file.path, &info) == 0 ? Int(info.st_size) : 0
        }
        let order = files.indices.sorted { (sizes[$0], -$0) > (sizes[$1], -$1) }
        let results = LoadResults(count: count)
        let workers = min(count, max(1, ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let position = results.claim() {
                results.store(order[position], load(files[order[position]]))
            }
        }
        return results.all()
    }
}

/// A composition made by reading in full only the files of the packages it takes.
public struct QuickComposition: Sendable {
    public var composition: Composition
    /// What is wrong in the files of the packages it takes (warnings, or problems in their modules), in file
    /// order: the same as reading every file reports of those files.
    public var diagnostics: Diagnostics
}

extension CatalogLoader {
    /// Composes `roadmap` with `plugins` from the catalog on `searchPath`, reading of most files only their
    /// heads (what a package says of itself, before its modules) and in full only the files of every version of
    /// the packages the choice looked at by name: a plan with one plugin reads about a third of the bundled
    /// catalog's text.
    ///
    /// Gives what reading every file and then composing gives, or nil when it cannot be sure to: when choosing
    /// the packages or building their graph finds any problem at all, when one of those versions cannot be
    /// read in full (reading every file would have left it out, and might have chosen otherwise), or when a
    /// file read in full says something of itself that its head did not. Read every file then, for the complete
    /// diagnostics. Versions of other packages cannot change the choice: a file whose head cannot be read
    /// faithfully is read in full as before, and a package whose modules turn out broken is a candidate either
    /// way (broken packages stay in the catalog when their id and version are known).
    public func compose(
        _ searchPath: CatalogSearchPath, roadmap: Located<String>, plugins: [Located<String>]
    ) -> QuickComposition? {
        var loadDiagnostics = Diagnostics()
        let catalog = load(searchPath, heads: true, diagnostics: &loadDiagnostics)
        var diagnostics = Diagnostics()
        let composer = Composer(catalog: catalog)
        guard let (selected, reasons) = composer.select(roadmap: roadmap, plugins: plugins, diagnostics: &diagnostics),
            diagnostics.isEmpty
        else { return nil }
        // Every version read as a head of every package the choice looked at by name (the chosen ones and
        // their other versions, whose kind or requirements took part) is now read in full, on all cores: if one
        // of them cannot be, reading every file might have chosen otherwise.
        let names = Set(selected.map(\.name) + plugins.map(\.value) + [roadmap.value])
        let heads = catalog.packages.compactMap { package -> (head: Package, path: String, root: CatalogRoot)? in
            guard names.contains(package.name), let path = catalog.heads[package.file], let root = package.root else {
                return nil
            }
            return (package, path, root)
        }
        let full = loadAll(heads.map { (path: $0.path, root: $0.root) })
        var readInFull: [String: (package: Package, diagnostics: Diagnostics)] = [:]
        for ((head, _, _), read) in zip(heads, full) {
            guard let package = read.package else { return nil }
            var stripped = package
            stripped.modules = []
            guard stripped == head else { return nil }
            readInFull[head.file] = (package, read.diagnostics)
        }
        let packages = selected.map { readInFull[$0.file]?.package ?? $0 }
        guard let composition = composer.buildGraph(packages: packages, reasons: reasons, diagnostics: &diagnostics),
            diagnostics.isEmpty
        else { return nil }
        let files = Set(packages.map(\.file))
        var result = Diagnostics()
        for file in catalog.files where files.contains(file) {
            if let own = readInFull[file]?.diagnostics {
                result.append(contentsOf: own.all.filter { $0.location?.file == file })
            } else {
                result.append(contentsOf: loadDiagnostics.all.filter { $0.location?.file == file })
            }
        }
        return QuickComposition(composition: composition, diagnostics: result)
    }
}

/// The results of ``CatalogLoader/loadAll(_:)``, filled by several threads: each claims the next file under a
/// lock and stores its own result.
private final class LoadResults: @unchecked Sendable {
    typealias Result = (package: Package?, diagnostics: Diagnostics, head: Bool)
    private let lock = DispatchSemaphore(value: 1)
    private var next = 0
    private var results: [Result?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.wait()
        defer { lock.signal() }
        guard next < results.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ index: Int, _ result: Result) {
        lock.wait()
        results[index] = result
        lock.signal()
    }

    func all() -> [Result] {
        lock.wait()
        defer { lock.signal() }
        return results.map { $0! }
    }
}

/// How paths are shown in messages: relative to the working directory when inside it.
public enum DisplayPath {
    public static func relative(_ path: String) -> String {
        let cwd = PathText.currentDirectory
        let standardized = PathText.standardized(path, in: cwd)
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        if standardized.hasPrefix(prefix) { return String(standardized.dropFirst(prefix.count)) }
        return standardized
    }
}
