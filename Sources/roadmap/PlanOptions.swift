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

/// The profile and the settings that override it; shared by `plan`, `explain` and `status`.
struct PlanOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A profile: your stage, goals, pace and specializations.", valueName: "file"))
    var profile: String?

    @Option(name: .customLong("with"), help: ArgumentHelp("Add a domain plugin to the plan (repeatable).", valueName: "plugin"))
    var plugins: [String] = []

    @Option(help: ArgumentHelp("The stage to reach (default: the profile's, or 'fellow').", valueName: "stage"))
    var target: String?

    @Option(name: .customLong("current"), help: ArgumentHelp("Your current stage; stages up to it count as mastered.", valueName: "stage"))
    var currentStage: String?

    @Option(name: .customLong("hours-per-week"), help: ArgumentHelp("Hours a week to study (default: the profile's, or 10).", valueName: "n"))
    var hoursPerWeek: Double?

    @Option(name: .customLong("max-parallel"), help: ArgumentHelp("Modules in progress at once (default: the profile's, or 2).", valueName: "n"))
    var maxParallel: Int?

    @Option(help: ArgumentHelp("The first day of week 1, YYYY-MM-DD (default: the profile's, or next Monday).", valueName: "date"))
    var start: String?

    @Option(help: ArgumentHelp("A date to finish by, YYYY-MM-DD.", valueName: "date"))
    var deadline: String?

    @Option(help: ArgumentHelp("The date to take as today, YYYY-MM-DD, for reproducible output.", valueName: "date"))
    var today: String?

    @Flag(name: .customLong("include-optional"), help: "Plan optional modules too.")
    var includeOptional = false

    @Option(help: ArgumentHelp("The progress journal (default: PROFILE.progress.yaml beside the profile).", valueName: "file"))
    var journal: String?

    @OptionGroup var catalog: CatalogOptions

    func validate() throws {
        if let hoursPerWeek, !(hoursPerWeek > 0 && hoursPerWeek <= ProfileDefaults.maxHoursPerWeek) {
            throw ValidationError("Hours per week must be more than 0 and at most 168; '\(format(hoursPerWeek))' is not.")
        }
        if let maxParallel, !(1...100).contains(maxParallel) {
            throw ValidationError("Max parallel must be from 1 to 100; '\(maxParallel)' is not.")
        }
        for (name, value) in [("start", start), ("deadline", deadline), ("today", today)] {
            if let value, CalendarDate(parsing: value) == nil {
                throw ValidationError("'\(value)' is not a date for --\(name); use YYYY-MM-DD, e.g. 2027-01-04.")
            }
        }
    }

    var todayDate: CalendarDate {
        today.flatMap(CalendarDate.init(parsing:)) ?? CalendarDate.today()
    }

    /// The profile file (or the default profile) with the command-line settings applied.
    func loadProfile(diagnostics: inout Diagnostics) -> Profile? {
        let today = todayDate
        var result: Profile
        if let path = profile {
            let loader = CatalogLoader()
            guard let document = loader.readDocument(path, diagnostics: &diagnostics),
                let decoded = ProfileDecoder().decode(document, today: today, diagnostics: &diagnostics)
            else { return nil }
            result = decoded
        } else {
            result = Profile.standard(today: today)
        }
        let here = SourceLocation(file: "<command line>", line: 1, column: 1)
        if let target { result.targetStage = Located(target, at: here) }
        if let currentStage { result.currentStage = Located(currentStage, at: here) }
        if let hoursPerWeek { result.hoursPerWeek = Located(hoursPerWeek, at: here) }
        if let maxParallel { result.maxParallel = Located(maxParallel, at: here) }
        if let start = start.flatMap(CalendarDate.init(parsing:)) { result.start = Located(start, at: here) }
        if let deadline = deadline.flatMap(CalendarDate.init(parsing:)) { result.deadline = Located(deadline, at: here) }
        if includeOptional { result.includeOptional = true }
        for plugin in plugins where !result.specializations.contains(where: { $0.value == plugin }) {
            result.specializations.append(Located(plugin, at: here))
        }
        if let deadline = result.deadline, deadline.value <= result.start.value {
            diagnostics.error(.invalidDate, "deadline \(deadline.value) is not after the start \(result.start.value)", at: deadline.location)
            return nil
        }
        return result
    }

    /// The journal's path: `--journal`, or the one beside the profile; nil without either.
    var journalPath: String? {
        journal ?? profile.map(JournalStore.defaultPath(forProfile:))
    }

    /// Loads the catalog and the profile and composes them; prints diagnostics and exits with the
    /// documented status when anything is wrong.
    func makeContext() throws -> (composition: Composition, profile: Profile) {
        var diagnostics = Diagnostics()
        guard let profile = loadProfile(diagnostics: &diagnostics) else {
            try Terminal.failIfErrors(diagnostics)
            throw ExitCode(ExitStatus.dataError)
        }
        let searchPath = catalog.searchPath
        let composition: Composition
        if let quick = CatalogLoader().compose(searchPath, roadmap: profile.roadmap, plugins: profile.specializations) {
            composition = quick.composition
            diagnostics.append(contentsOf: quick.diagnostics)
        } else {
            // Every file read, for every problem that stands in the way.
            var loadDiagnostics = Diagnostics()
            let loaded = CatalogLoader().load(searchPath, diagnostics: &loadDiagnostics)
            guard let composed = Composer(catalog: loaded).compose(
                roadmap: profile.roadmap, plugins: profile.specializations, diagnostics: &diagnostics)
            else {
                // The request may have failed because a catalog file is broken: show those problems too.
                diagnostics.append(contentsOf: loadDiagnostics)
                if let roadmap = loaded.best(profile.roadmap.value) {
                    _ = Planner.stages(of: profile, among: roadmap.stages, diagnostics: &diagnostics)
                }
                try Terminal.failIfErrors(diagnostics)
                throw ExitCode(ExitStatus.dataError)
            }
            composition = composed
            let files = Set(composition.packages.map(\.file))
            diagnostics.append(contentsOf: loadDiagnostics.all.filter { $0.location.map { files.contains($0.file) } ?? false })
        }
        if diagnostics.hasErrors {
            // Report the profile's other problems too: unknown stages and module ids.
            Planner(composition: composition, profile: profile, today: todayDate).checkProfile(diagnostics: &diagnostics)
        }
        try Terminal.failIfErrors(diagnostics)
        return (composition, profile)
    }

    /// Reads the journal, when there is one, into a ledger. A torn final entry is a warning here (its
    /// entries before it still count); anything else wrong with the journal stops the command.
    func loadLedger(composition: Composition, required: Bool = false) throws -> ProgressLedger? {
        guard let path = journalPath else { return nil }
        let store = JournalStore(path: path)
        if !store.exists {
            if required || journal != nil {
                Terminal.report(Diagnostics([.error(.fileUnreadable, "no such file", at: .start(of: DisplayPath.relative(path)))]))
                throw ExitCode(ExitStatus.noInput)
            }
            return nil
        }
        let file: JournalFile
        do {
            file = try store.read()
        } catch {
            Terminal.report(error.diagnostics)
            throw ExitCode(error.exitStatus)
        }
        var diagnostics = Diagnostics()
        if file.tornTail != nil {
            for diagnostic in file.diagnostics.all {
                var warning = diagnostic
                warning.severity = .warning
                diagnostics.append(warning)
            }
        } else {
            diagnostics.append(contentsOf: file.diagnostics)
        }
        let ledger = ProgressLedger(journal: file.journal, composition: composition, diagnostics: &diagnostics)
        try Terminal.failIfErrors(diagnostics)
        Terminal.report(diagnostics)
        return ledger
    }

    /// The plan: from the profile as written, or, with a journal, replanned from today's week.
    func makePlan() throws -> Plan {
        let (composition, profile) = try makeContext()
        var diagnostics = Diagnostics()
        let ledger = try loadLedger(composition: composition)
        let plan: Plan?
        if let ledger, !ledger.entries.isEmpty {
            let replanning = Replanning(composition: composition, profile: profile, today: todayDate)
            var quiet = Diagnostics()
            let baseline = replanning.baseline(diagnostics: &quiet)
            plan = replanning.replan(ledger: ledger, baseline: baseline, diagnostics: &diagnostics)
        } else {
            plan = Planner(composition: composition, profile: profile, today: todayDate).plan(diagnostics: &diagnostics)
        }
        guard let plan else {
            try Terminal.failIfErrors(diagnostics)
            throw ExitCode(ExitStatus.dataError)
        }
        Terminal.report(diagnostics)
        return plan
    }
}
