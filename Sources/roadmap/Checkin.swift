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

struct Checkin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkin",
        abstract: "Record progress on a module in the profile's journal.",
        discussion: """
            Appends one entry to the journal (PROFILE.progress.yaml unless --journal names another file). The
            append is atomic, serialized with other check-ins by a file lock, and flushed to disk before the
            command returns. A journal that does not parse is left untouched; --repair moves a final entry
            that a crash cut short into a backup file.
            """)

    @Option(help: ArgumentHelp("The profile whose journal to write.", valueName: "file"))
    var profile: String

    @Option(help: ArgumentHelp("The module, as PACKAGE/ID (a bare id or an old alias also works).", valueName: "id"))
    var module: String?

    @Option(help: ArgumentHelp("Hours spent since the last check-in.", valueName: "n"))
    var hours: Double?

    @Option(help: ArgumentHelp("started, done or skipped.", valueName: "status"))
    var status: CheckinStatus?

    @Option(help: ArgumentHelp("A few words on what you did.", valueName: "text"))
    var note: String?

    @Option(help: ArgumentHelp("A link to what shows it: a notebook, a repository, a paper.", valueName: "url"))
    var evidence: String?

    @Option(help: ArgumentHelp("The day of the work, YYYY-MM-DD (default: today).", valueName: "date"))
    var date: String?

    @Option(help: ArgumentHelp("The journal file (default: PROFILE.progress.yaml).", valueName: "file"))
    var journal: String?

    @Flag(help: "Move a torn final entry of the journal into a backup file, and append nothing.")
    var repair = false

    @OptionGroup var catalog: CatalogOptions

    func validate() throws {
        if repair {
            guard module == nil, hours == nil, status == nil else {
                throw ValidationError("--repair takes no --module, --hours or --status; run the check-in again after repairing.")
            }
            return
        }
        guard module != nil else { throw ValidationError("Missing --module: name the module you worked on.") }
        guard hours != nil || status != nil else { throw ValidationError("Give --hours, --status or both.") }
        if let hours, !(hours >= 0 && hours <= JournalDecoder.maxHoursPerEntry) {
            throw ValidationError("Hours must be from 0 to 168; '\(format(hours))' is not.")
        }
        if let date, CalendarDate(parsing: date) == nil {
            throw ValidationError("'\(date)' is not a date; use YYYY-MM-DD, e.g. 2027-01-10.")
        }
        for (name, text) in [("note", note), ("evidence", evidence)] {
            if let text, text.utf8.count > 4_000 { throw ValidationError("The \(name) is longer than 4000 bytes; keep it short.") }
        }
    }

    func run() throws {
        let path = journal ?? JournalStore.defaultPath(forProfile: profile)
        let timeout = ProcessInfo.processInfo.environment["ROADMAP_LOCK_TIMEOUT"].flatMap(Double.init) ?? 5
        let store = JournalStore(path: path, lockTimeout: timeout)
        if repair {
            do {
                if let backup = try store.repair() {
                    print("Moved the torn last entry of \(DisplayPath.relative(path)) into \(DisplayPath.relative(backup)).")
                } else {
                    print("\(DisplayPath.relative(path)) has no torn entry; nothing to repair.")
                }
            } catch {
                Terminal.report(error.diagnostics)
                throw ExitCode(error.exitStatus)
            }
            return
        }
        var options = try PlanOptions.parse(["--profile", profile] + catalog.catalogs.flatMap { ["--catalog", $0] })
        options.journal = journal
        let (composition, _) = try options.makeContext()
        guard let moduleText = module, let id = composition.resolve(moduleText) else {
            throw Terminal.usageError(
                "unknown module '\(module ?? "")' in this profile's roadmap and plugins", code: .unknownModule,
                help: Suggestions.didYouMean(composition.suggestions(for: module ?? "")))
        }
        let day = date.flatMap(CalendarDate.init(parsing:)) ?? CalendarDate.today()
        let entry = JournalEntry(
            at: day, module: Located(id.description, at: .start(of: path)), status: status, hours: hours ?? 0, note: note,
            evidence: evidence, location: .start(of: path))
        let header = "# Progress journal: one entry per check-in, appended by 'roadmap checkin'.\n"
        do {
            try store.append(entry, header: header)
        } catch {
            Terminal.report(error.diagnostics)
            throw ExitCode(error.exitStatus)
        }
        var summary = "Checked in \(id)"
        if let hours { summary += ": \(format(hours)) h" }
        if let status { summary += (hours == nil ? ": " : ", ") + status.rawValue }
        print(summary + " on \(day) in \(DisplayPath.relative(path)).")
    }
}

extension CheckinStatus: ExpressibleByArgument {}
