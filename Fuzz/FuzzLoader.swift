// A libFuzzer target over roadmap's loader: every input is read as YAML and handed to each decoder (roadmap
// or plugin, profile, journal, and the journal store's torn-tail parser). An input that decodes cleanly
// goes one stage further, as far as a real command would take it: a roadmap or plugin is validated,
// composed and planned; a profile is planned against the bundled catalog; a journal is turned into a
// ledger and a replanned plan (one input in four goes that far). One input in eight is also rendered in
// every format, and only those plans get the scheduler's search over start orders.
//
// Built and run by Fuzz/run; see Fuzz/README.md. Any crash, leak, timeout or out-of-memory is a bug.

import Foundation
import RoadmapKit

/// The bundled catalog and the default composition, read once per process.
private let bundled: (catalog: Catalog, composition: Composition?, profile: Profile) = {
    let root = ProcessInfo.processInfo.environment["ROADMAP_FUZZ_CATALOG"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path
    var diagnostics = Diagnostics()
    let catalog = CatalogLoader().load(
        CatalogSearchPath(roots: [CatalogRoot(path: root, origin: .bundled)]), diagnostics: &diagnostics)
    precondition(!catalog.packages.isEmpty, "no bundled catalog at \(root); set ROADMAP_FUZZ_CATALOG")
    var profile = Profile.standard(today: today)
    profile.specializations = [Located("biomedical-ai", at: .start(of: "<fuzz>"))]
    let composition = Composer(catalog: catalog).compose(
        roadmap: profile.roadmap, plugins: profile.specializations, diagnostics: &diagnostics)
    return (catalog, composition, profile)
}()

private let today = CalendarDate(year: 2027, month: 1, day: 4)!

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    _ = bundled
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let file = "fuzz.yaml"

    // The journal store reads the bytes itself: a torn final entry is cut off and the rest reparsed.
    let journalFile = JournalStore.parse(bytes, file: file)
    check(journalFile.diagnostics)

    // The head of the file, as `plan` reads catalog files it may not need: when it reads without a problem,
    // the whole file must say the same of its package.
    var head: Package?
    if let headDocument = YAMLReader.readHead(bytes, file: file, before: "modules") {
        var headDiagnostics = Diagnostics()
        head = PackageDecoder().decodeHead(headDocument, diagnostics: &headDiagnostics)
        check(headDiagnostics)
        if !headDiagnostics.isEmpty { head = nil }
    }

    let document: YAMLDocument
    do {
        document = try YAMLReader.read(bytes, file: file)
    } catch {
        check(error.diagnostics, mustHaveErrors: true)
        return 0
    }
    _ = FileKind.detect(document)

    var packageDiagnostics = Diagnostics()
    let package = PackageDecoder().decode(document, diagnostics: &packageDiagnostics)
    check(packageDiagnostics)
    if let head, let package {
        var stripped = package
        stripped.modules = []
        if stripped != head { fatalError("the head of the file says other than the whole file:\n\(head)\n\(stripped)") }
    }
    var profileDiagnostics = Diagnostics()
    let profile = ProfileDecoder().decode(document, today: today, diagnostics: &profileDiagnostics)
    check(profileDiagnostics)
    var journalDiagnostics = Diagnostics()
    let journal = JournalDecoder().decode(document, diagnostics: &journalDiagnostics)
    check(journalDiagnostics)

    // Going further costs ten times the decoding (validation with its suggestions, planning); a quarter of
    // the inputs that decode cleanly go on, picked by their bytes, so that mutations keep reaching every
    // stage while most executions go to the decoders.
    let sum = bytes.reduce(UInt8(0), &+)
    guard sum & 3 == 0 else { return 0 }
    let render = sum & 7 == 0
    if let package, !packageDiagnostics.hasErrors { deepen(package, render: render) }
    if let profile, !profileDiagnostics.hasErrors { deepen(profile, render: render) }
    if !journal.entries.isEmpty, !journalDiagnostics.hasErrors { deepen(journal, render: render) }
    return 0
}

/// Every error must be located at a line and column from 1, in the file read.
private func check(_ diagnostics: Diagnostics, mustHaveErrors: Bool = false) {
    if mustHaveErrors, !diagnostics.hasErrors { fatalError("a failed read without an error") }
    for diagnostic in diagnostics.all {
        guard let location = diagnostic.location else { fatalError("unlocated diagnostic: \(diagnostic.message)") }
        if location.line < 1 || location.column < 1 { fatalError("bad location \(location) for \(diagnostic.message)") }
    }
}

/// A roadmap is planned alone, to its last stage; a plugin is planned on the bundled roadmap.
private func deepen(_ package: Package, render: Bool) {
    var packages = [package]
    if package.kind == .plugin { packages += bundled.catalog.packages.filter { $0.name != package.name } }
    let catalog = Catalog(packages: packages, files: packages.map(\.file))
    var diagnostics = Diagnostics()
    _ = CatalogValidator(catalog: catalog).validate(diagnostics: &diagnostics)
    var profile = Profile.standard(today: today)
    let here = SourceLocation.start(of: "<fuzz>")
    if package.kind == .roadmap {
        profile.roadmap = Located(package.name, at: here)
        guard let last = package.stages.last else { return }
        profile.targetStage = Located(last.id, at: here)
    } else {
        profile.specializations = [Located(package.name, at: here)]
    }
    // As the commands do: a package with errors is reported, never planned.
    guard let composition = Composer(catalog: catalog).compose(
        roadmap: profile.roadmap, plugins: profile.specializations, diagnostics: &diagnostics),
        !diagnostics.hasErrors
    else { return }
    plan(composition, profile, render: render)
}

private func deepen(_ profile: Profile, render: Bool) {
    var diagnostics = Diagnostics()
    guard let composition = Composer(catalog: bundled.catalog).compose(
        roadmap: profile.roadmap, plugins: profile.specializations, diagnostics: &diagnostics),
        !diagnostics.hasErrors
    else { return }
    plan(composition, profile, render: render)
}

private func deepen(_ journal: Journal, render: Bool) {
    guard let composition = bundled.composition else { return }
    var diagnostics = Diagnostics()
    let ledger = ProgressLedger(journal: journal, composition: composition, diagnostics: &diagnostics)
    guard !diagnostics.hasErrors else { return }
    let replanning = Replanning(composition: composition, profile: bundled.profile, today: today.adding(days: 70))
    var quiet = Diagnostics()
    let baseline = replanning.baseline(diagnostics: &quiet)
    guard let plan = replanning.replan(ledger: ledger, baseline: baseline, diagnostics: &diagnostics) else { return }
    let builder = StatusBuilder(composition: composition, profile: bundled.profile, ledger: ledger, today: today.adding(days: 70))
    guard render, let report = builder.build(diagnostics: &diagnostics) else { return }
    _ = StatusTextRenderer(unicode: true, color: false).render(report)
    _ = try? StatusJSONRenderer().render(report)
    _ = StatusMarkdownRenderer().render(report)
    _ = PlanHTMLRenderer().render(plan, status: report)
}

private func plan(_ composition: Composition, _ profile: Profile, render: Bool) {
    var diagnostics = Diagnostics()
    var planner = Planner(composition: composition, profile: profile, today: today)
    // The scheduler's search over start orders runs hundreds of schedules; it is fuzzed on the inputs that
    // are rendered (one in eight), so that the rest keep the loaders' pace.
    planner.improvesSchedule = render
    guard let plan = planner.plan(diagnostics: &diagnostics) else { return }
    _ = Explainer(plan: plan).explanation(for: plan.items.last?.id ?? ModuleID(package: "x", name: "y"))
    guard render else { return }
    _ = PlanTextRenderer().render(plan)
    _ = PlanMarkdownRenderer().render(plan)
    _ = try? PlanJSONRenderer().render(plan)
    _ = PlanCSVRenderer().render(plan)
    _ = PlanICSRenderer().render(plan)
    _ = PlanMermaidRenderer().render(plan)
    _ = PlanDOTRenderer().render(plan)
    _ = PlanHTMLRenderer().render(plan)
}
