import Foundation
import Testing

@testable import RoadmapKit

/// The planner's pipeline run in-process, from YAML text to a plan, for the planning tests.
enum PlanningTestSupport {
    /// The "now" of every planning test, as `--today 2026-12-01`.
    static let today = CalendarDate(year: 2026, month: 12, day: 1)!

    /// Problems found on the way, rendered the way the command line prints them.
    struct Failure: Error, CustomStringConvertible {
        var stage: String
        var diagnostics: Diagnostics
        var description: String { "\(stage) failed:\n" + DiagnosticRenderer().render(diagnostics) }
    }

    /// Reads a roadmap or plugin file's text; `file` names it in diagnostics.
    static func package(_ text: String, file: String) throws -> Package {
        var diagnostics = Diagnostics()
        let document: YAMLDocument
        do {
            document = try YAMLReader.read(Array(text.utf8), file: file)
        } catch {
            throw Failure(stage: "reading \(file)", diagnostics: error.diagnostics)
        }
        guard let package = PackageDecoder().decode(document, diagnostics: &diagnostics), !diagnostics.hasErrors else {
            throw Failure(stage: "decoding \(file)", diagnostics: diagnostics)
        }
        return package
    }

    /// A catalog of packages given as `(file, text)`, in that order.
    static func catalog(_ files: [(file: String, text: String)]) throws -> Catalog {
        let packages = try files.map { try package($0.text, file: $0.file) }
        return Catalog(packages: packages, files: files.map(\.file))
    }

    /// Reads a profile's text.
    static func profile(_ text: String, file: String = "profile.yaml") throws -> Profile {
        var diagnostics = Diagnostics()
        let document: YAMLDocument
        do {
            document = try YAMLReader.read(Array(text.utf8), file: file)
        } catch {
            throw Failure(stage: "reading \(file)", diagnostics: error.diagnostics)
        }
        guard let profile = ProfileDecoder().decode(document, today: today, diagnostics: &diagnostics), !diagnostics.hasErrors
        else { throw Failure(stage: "decoding \(file)", diagnostics: diagnostics) }
        return profile
    }

    /// Composes the profile's roadmap and specializations from the catalog.
    static func compose(_ catalog: Catalog, _ profile: Profile, diagnostics: inout Diagnostics) -> Composition? {
        Composer(catalog: catalog).compose(roadmap: profile.roadmap, plugins: profile.specializations, diagnostics: &diagnostics)
    }

    /// Composes and plans, throwing the diagnostics of a failure.
    static func plan(_ catalog: Catalog, _ profile: Profile, today: CalendarDate = today) throws -> Plan {
        var diagnostics = Diagnostics()
        guard let composition = compose(catalog, profile, diagnostics: &diagnostics), !diagnostics.hasErrors else {
            throw Failure(stage: "composing", diagnostics: diagnostics)
        }
        guard let plan = Planner(composition: composition, profile: profile, today: today).plan(diagnostics: &diagnostics),
            !diagnostics.hasErrors
        else { throw Failure(stage: "planning", diagnostics: diagnostics) }
        return plan
    }

    /// The package root: `Tests/RoadmapKitTests/PlanningTestSupport.swift` -> three folders up.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The bundled catalog (`Roadmaps/`, `Plugins/`), loaded from the package root.
    static func bundledCatalog() throws -> Catalog {
        var diagnostics = Diagnostics()
        let catalog = CatalogLoader().load(
            CatalogSearchPath(roots: [CatalogRoot(path: packageRoot.path, origin: .bundled)]), diagnostics: &diagnostics)
        guard !diagnostics.hasErrors else { throw Failure(stage: "loading the bundled catalog", diagnostics: diagnostics) }
        return catalog
    }

    /// Minutes in a number of hours, as the planner counts them.
    static func minutes(_ hours: Double) -> Int { Int((hours * 60).rounded()) }
}
