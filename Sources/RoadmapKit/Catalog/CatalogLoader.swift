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
        let fileManager = FileManager.default
        func isCatalog(_ path: String) -> Bool {
            fileManager.fileExists(atPath: path + "/Roadmaps/ml-research-fellow.yaml")
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

    /// The path with its links resolved; as written (made absolute and standardized) when it cannot be.
    static func realPath(_ path: String) -> String {
        PathText.real(path) ?? PathText.standardized(path, in: PathText.currentDirectory)
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

    /// Reads every package on the search path, then `extraFiles` (files named on the command line), which
    /// take the place of catalog packages with the same id.
    public func load(_ searchPath: CatalogSearchPath, extraFiles: [String] = [], diagnostics: inout Diagnostics) -> Catalog {
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
        let loaded = loadAll(wanted)
        var next = 0
        for (_, paths) in roots {
            for (path, outside) in paths {
                let display = DisplayPath.relative(path)
                var result: (package: Package?, diagnostics: Diagnostics)?
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
            }
        }
        return Catalog(packages: packages, files: files)
    }

    /// Reads every file into a package and its diagnostics, on as many threads as there are cores (at most
    /// one per file), largest files first; the results are in the order of `files`.
    ///
    /// A file that the merge will skip (named twice, or a link outside its folder) is read all the same: it
    /// costs time but changes no result, and such catalogs are rare.
    func loadAll(_ files: [(path: String, root: CatalogRoot)]) -> [(package: Package?, diagnostics: Diagnostics)] {
        let count = files.count
        guard count > 1 else {
            return files.map { file in
                var diagnostics = Diagnostics()
                let package = loadPackage(file.path, root: file.root, diagnostics: &diagnostics)
                return (package, diagnostics)
            }
        }
        // Largest first, so that no thread is left with a big file at the end.
        let sizes = files.map { file -> Int in
            var info = stat()
            return stat(file.path, &info) == 0 ? Int(info.st_size) : 0
        }
        let order = files.indices.sorted { (sizes[$0], -$0) > (sizes[$1], -$1) }
        let results = LoadResults(count: count)
        let workers = min(count, max(1, ProcessInfo.processInfo.activeProcessorCount))
        let loader = self
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let position = results.claim() {
                let file = files[order[position]]
                var diagnostics = Diagnostics()
                let package = loader.loadPackage(file.path, root: file.root, diagnostics: &diagnostics)
                results.store(order[position], (package, diagnostics))
            }
        }
        return results.all()
    }
}

/// The results of ``CatalogLoader/loadAll(_:)``, filled by several threads: each claims the next file under a
/// lock and stores its own result.
private final class LoadResults: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private var next = 0
    private var results: [(package: Package?, diagnostics: Diagnostics)?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.wait()
        defer { lock.signal() }
        guard next < results.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ index: Int, _ result: (package: Package?, diagnostics: Diagnostics)) {
        lock.wait()
        results[index] = result
        lock.signal()
    }

    func all() -> [(package: Package?, diagnostics: Diagnostics)] {
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
