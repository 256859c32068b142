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

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check roadmaps and plugins, reporting every problem with its place.",
        discussion: """
            Without a path, checks the whole catalog. A path may be a roadmap, plugin, profile or journal file,
            a plugin folder, or a catalog folder holding Roadmaps/ and Plugins/. Exits 0 when there are no errors, 65 when there
            are, 66 when a file cannot be read.
            """)

    @OptionGroup var catalog: CatalogOptions

    @Argument(help: ArgumentHelp("Files or folders to check; the whole catalog when none is given.", valueName: "path"))
    var paths: [String] = []

    func run() throws {
        var diagnostics = Diagnostics()
        let files = paths.flatMap(Self.expand)
        var searchPath = catalog.searchPath
        var focus: Set<String>?
        if !paths.isEmpty {
            let folders = paths.filter { Self.isCatalogFolder($0) }
            searchPath.roots.insert(contentsOf: folders.map { CatalogRoot(path: $0, origin: .option) }, at: 0)
            focus = Set(files.map(DisplayPath.relative))
        }
        let loader = CatalogLoader()
        // Files named on their own (or a plugin folder's file); a catalog folder's files are read from the search path.
        var singleFiles = paths.filter { !Self.isCatalogFolder($0) }.flatMap(Self.expand)
        // Profiles and journals are checked against the catalog once it is loaded.
        var others: [(path: String, document: YAMLDocument, kind: FileKind)] = []
        singleFiles = singleFiles.filter { path in
            var local = Diagnostics()
            guard let document = loader.readDocument(path, diagnostics: &local) else { return true }
            guard let kind = FileKind.detect(document), kind == .profile || kind == .journal else { return true }
            others.append((path, document, kind))
            return false
        }
        let loaded = loader.load(searchPath, extraFiles: singleFiles, diagnostics: &diagnostics)
        _ = CatalogValidator(catalog: loaded).validate(diagnostics: &diagnostics)
        for other in others {
            switch other.kind {
            case .profile: Self.checkProfile(other.document, catalog: loaded, diagnostics: &diagnostics)
            default: Self.checkJournal(other.document, catalog: loaded, diagnostics: &diagnostics)
            }
        }
        if let focus {
            diagnostics = Diagnostics(diagnostics.all.filter { $0.location.map { focus.contains($0.file) } ?? true })
        }
        let checked = focus.map { focus in loaded.packages.filter { focus.contains($0.file) } } ?? loaded.packages
        let fileCount = focus?.count ?? loaded.files.count
        let moduleCount = checked.reduce(0) { $0 + $1.modules.count }
        Terminal.report(diagnostics)
        let errors = diagnostics.errorCount, warnings = diagnostics.warnings.count
        let counts = "\(fileCount) \(fileCount == 1 ? "file" : "files"), \(moduleCount) \(moduleCount == 1 ? "module" : "modules")"
        if errors == 0 && warnings == 0 {
            print("\(counts): no problems")
        } else {
            print("\(counts): \(errors) \(errors == 1 ? "error" : "errors"), \(warnings) \(warnings == 1 ? "warning" : "warnings")")
        }
        Terminal.finish(ExitStatus.forErrors(diagnostics))
    }

    /// A profile is valid when it decodes and a plan can be made from it.
    static func checkProfile(_ document: YAMLDocument, catalog: Catalog, diagnostics: inout Diagnostics) {
        let today = CalendarDate.today()
        guard let profile = ProfileDecoder().decode(document, today: today, diagnostics: &diagnostics) else { return }
        guard let composition = Composer(catalog: catalog).compose(
            roadmap: profile.roadmap, plugins: profile.specializations, diagnostics: &diagnostics)
        else {
            if let roadmap = catalog.best(profile.roadmap.value) {
                _ = Planner.stages(of: profile, among: roadmap.stages, diagnostics: &diagnostics)
            }
            return
        }
        let planner = Planner(composition: composition, profile: profile, today: today)
        if diagnostics.hasErrors {
            planner.checkProfile(diagnostics: &diagnostics)
        } else {
            _ = planner.plan(diagnostics: &diagnostics)
        }
    }

    /// A journal is valid when every entry decodes and names a module somewhere on the catalog path.
    static func checkJournal(_ document: YAMLDocument, catalog: Catalog, diagnostics: inout Diagnostics) {
        let journal = JournalDecoder().decode(document, diagnostics: &diagnostics)
        var names = Set<String>()
        var all: [String] = []
        for package in catalog.packages {
            for module in package.modules {
                for name in [module.id.name] + module.aliases.map(\.value) {
                    names.insert(name)
                    names.insert("\(package.name)/\(name)")
                }
                all.append(module.id.description)
            }
        }
        for entry in journal.entries where !names.contains(entry.module.value) {
            diagnostics.error(
                .unknownModule, "unknown module '\(entry.module.value)' in the journal", at: entry.module.location,
                help: Suggestions.wanted(diagnostics, candidates: all.count)
                    ? Suggestions.didYouMean(Suggestions.closest(to: entry.module.value, among: all)).map { [$0] } ?? [] : [])
        }
    }

    static func isCatalogFolder(_ path: String) -> Bool {
        let fileManager = FileManager.default
        return fileManager.fileExists(atPath: path + "/Roadmaps") || fileManager.fileExists(atPath: path + "/Plugins")
    }

    /// A file as is; a plugin folder as its plugin.yaml; a catalog folder as its package files.
    static func expand(_ path: String) -> [String] {
        guard PathKind.of(path) == .folder else { return [path] }
        if FileManager.default.fileExists(atPath: path + "/plugin.yaml") { return [path + "/plugin.yaml"] }
        let files = CatalogLoader.packageFiles(in: path)
        return files.isEmpty ? [path] : files
    }
}
