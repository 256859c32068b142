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

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a new profile: ask the questions on a terminal, or take them as flags.",
        discussion: """
            On a terminal, asks for your current and target stage, specializations, hours a week, start and
            deadline, offering the catalog's choices. Without a terminal (or with --no-interactive), takes the
            answers from the flags and the defaults. Never overwrites a file unless --force is given.
            """)

    @Option(help: ArgumentHelp("Where to write the profile.", valueName: "file"))
    var output: String = "profile.yaml"

    @Option(help: ArgumentHelp("Your name, for the plan's title.", valueName: "name"))
    var name: String?

    @Option(name: .customLong("current"), help: ArgumentHelp("Your current stage (default: none, start from the beginning).", valueName: "stage"))
    var currentStage: String?

    @Option(help: ArgumentHelp("The stage to reach (default: \(ProfileDefaults.targetStage)).", valueName: "stage"))
    var target: String?

    @Option(name: .customLong("with"), help: ArgumentHelp("A specialization plugin (repeatable).", valueName: "plugin"))
    var plugins: [String] = []

    @Option(name: .customLong("hours-per-week"), help: ArgumentHelp("Hours a week (default: \(format(ProfileDefaults.hoursPerWeek))).", valueName: "n"))
    var hoursPerWeek: Double?

    @Option(help: ArgumentHelp("The first day of week 1, YYYY-MM-DD (default: next Monday).", valueName: "date"))
    var start: String?

    @Option(help: ArgumentHelp("A date to finish by, YYYY-MM-DD.", valueName: "date"))
    var deadline: String?

    @Option(help: ArgumentHelp("The date to take as today, YYYY-MM-DD.", valueName: "date"))
    var today: String?

    @Flag(name: .customLong("no-interactive"), help: "Do not ask questions, even on a terminal.")
    var noInteractive = false

    @Flag(help: "Overwrite the output file if it exists.")
    var force = false

    @OptionGroup var catalog: CatalogOptions

    func validate() throws {
        if let hoursPerWeek, !(hoursPerWeek > 0 && hoursPerWeek <= ProfileDefaults.maxHoursPerWeek) {
            throw ValidationError("Hours per week must be more than 0 and at most 168; '\(format(hoursPerWeek))' is not.")
        }
        for (flag, value) in [("start", start), ("deadline", deadline), ("today", today)] {
            if let value, CalendarDate(parsing: value) == nil {
                throw ValidationError("'\(value)' is not a date for --\(flag); use YYYY-MM-DD, e.g. 2027-01-04.")
            }
        }
        if !force, FileManager.default.fileExists(atPath: output) {
            throw ValidationError("'\(output)' already exists; choose another --output, or add --force to overwrite it.")
        }
    }

    func run() throws {
        var diagnostics = Diagnostics()
        let loaded = CatalogLoader().load(catalog.searchPath, diagnostics: &diagnostics)
        guard let roadmap = loaded.best(ProfileDefaults.roadmap), roadmap.kind == .roadmap else {
            throw Terminal.usageError("no roadmap '\(ProfileDefaults.roadmap)' on the catalog path", code: .unknownPackage)
        }
        var pluginIDs: [String] = []
        for plugin in loaded.plugins where !pluginIDs.contains(plugin.name) { pluginIDs.append(plugin.name) }
        let pluginPackages = pluginIDs.compactMap { loaded.best($0) }
        let todayDate = today.flatMap(CalendarDate.init(parsing:)) ?? CalendarDate.today()
        var profile = Profile.standard(today: todayDate)
        let here = SourceLocation(file: "<command line>", line: 1, column: 1)
        profile.name = name
        profile.currentStage = currentStage.map { Located($0, at: here) }
        if let target { profile.targetStage = Located(target, at: here) }
        profile.specializations = plugins.map { Located($0, at: here) }
        if let hoursPerWeek { profile.hoursPerWeek = Located(hoursPerWeek, at: here) }
        if let date = start.flatMap(CalendarDate.init(parsing:)) { profile.start = Located(date, at: here) }
        profile.deadline = deadline.flatMap(CalendarDate.init(parsing:)).map { Located($0, at: here) }

        if !noInteractive && isatty(0) == 1 {
            var questions = InitQuestions(stages: roadmap.stages, plugins: pluginPackages)
            guard questions.ask(into: &profile) else {
                Terminal.printError("roadmap: init cancelled; nothing written.")
                throw ExitCode(ExitStatus.failure)
            }
        }
        try check(profile, roadmap: roadmap, plugins: pluginIDs)
        let text = ProfileWriter().yaml(for: profile, stages: roadmap.stages, plugins: pluginPackages)
        try OutputWriter.emit(text, to: output)
        print("Wrote \(output). Next: roadmap plan --profile \(output)")
    }

    /// The answers, checked as strictly as a profile file would be.
    private func check(_ profile: Profile, roadmap: Package, plugins: [String]) throws {
        let stages = roadmap.stages.map(\.id)
        for (role, stage) in [("current", profile.currentStage?.value), ("target", profile.targetStage.value)] {
            if let stage, !stages.contains(stage) {
                throw Terminal.usageError(
                    "unknown \(role) stage '\(stage)'", code: .unknownStage,
                    help: Suggestions.didYouMean(Suggestions.closest(to: stage, among: stages)) ?? "stages are " + stages.joined(separator: ", "))
            }
        }
        for plugin in profile.specializations.map(\.value) where !plugins.contains(plugin) {
            throw Terminal.usageError(
                "unknown plugin '\(plugin)'", code: .unknownPlugin,
                help: Suggestions.didYouMean(Suggestions.closest(to: plugin, among: plugins)) ?? "plugins are " + plugins.joined(separator: ", "))
        }
        if let deadline = profile.deadline, deadline.value <= profile.start.value {
            throw Terminal.usageError("the deadline \(deadline.value) is not after the start \(profile.start.value)", code: .invalidDate)
        }
    }
}

/// The questions `roadmap init` asks on a terminal, each re-asked until the answer is valid.
struct InitQuestions {
    let stages: [Stage]
    let plugins: [Package]

    private func prompt(_ question: String, default value: String?) -> String? {
        print(question + (value.map { " [\($0)]" } ?? "") + ": ", terminator: "")
        guard let line = readLine() else { return nil }
        let answer = line.trimmingSpaces
        return answer.isEmpty ? (value ?? "") : answer
    }

    private func choose(_ question: String, options: [String], default value: String?, allowNone: Bool) -> String?? {
        while true {
            guard let answer = prompt(question, default: value) else { return nil }
            if allowNone && (answer.isEmpty || answer == "none" || answer == "0") { return .some(nil) }
            if let number = Int(answer), (1...options.count).contains(number) { return .some(options[number - 1]) }
            if options.contains(answer) { return .some(answer) }
            let hint = Suggestions.didYouMean(Suggestions.closest(to: answer, among: options)) ?? "answer with a number or an id from the list"
            print("  '\(answer)' is not one of them; \(hint)")
        }
    }

    /// Fills `profile` from the answers; false when input ended before all questions were answered.
    mutating func ask(into profile: inout Profile) -> Bool {
        print("Let's write your profile. Press Enter to keep the value in brackets.\n")
        guard let name = prompt("Your name", default: profile.name) else { return false }
        profile.name = name.isEmpty ? nil : name
        print("\nThe career ladder:")
        for stage in stages {
            let details = [stage.years.map { "\($0) years" }, stage.salaryUSD.map { "US$\($0.lowerBound / 1000)k-\($0.upperBound / 1000)k" }]
                .compactMap { $0 }.joined(separator: ", ")
            print("  \(stage.rank + 1). \(stage.id): \(stage.title)" + (details.isEmpty ? "" : " (\(details))"))
        }
        let ids = stages.map(\.id)
        guard let current = choose(
            "Your current stage (number or id; Enter for none yet)", options: ids, default: profile.currentStage?.value,
            allowNone: true)
        else { return false }
        profile.currentStage = current.map { Located($0, at: profile.targetStage.location) }
        while true {
            guard let target = choose("The stage to reach", options: ids, default: profile.targetStage.value, allowNone: false) else { return false }
            let targetID = target ?? profile.targetStage.value
            let currentRank = current.flatMap { id in stages.first { $0.id == id }?.rank } ?? -1
            if let rank = stages.first(where: { $0.id == targetID })?.rank, rank <= currentRank {
                print("  Choose a stage above your current one.")
                continue
            }
            profile.targetStage.value = targetID
            break
        }
        print("\nSpecializations:")
        for (index, plugin) in plugins.enumerated() { print("  \(index + 1). \(plugin.name): \(plugin.title)") }
        answerPlugins: while true {
            guard let answer = prompt(
                "Your specializations (numbers or ids, separated by commas; Enter for none)",
                default: profile.specializations.map(\.value).joined(separator: ","))
            else { return false }
            var chosen: [String] = []
            for part in answer.split(separator: ",").map({ String($0).trimmingSpaces }) where !part.isEmpty {
                if let number = Int(part), (1...plugins.count).contains(number) {
                    if !chosen.contains(plugins[number - 1].name) { chosen.append(plugins[number - 1].name) }
                    continue
                }
                if plugins.contains(where: { $0.name == part }) {
                    if !chosen.contains(part) { chosen.append(part) }
                    continue
                }
                let hint = Suggestions.didYouMean(Suggestions.closest(to: part, among: plugins.map(\.name))) ?? "use the numbers above"
                print("  '\(part)' is not a plugin; \(hint)")
                continue answerPlugins
            }
            profile.specializations = chosen.map { Located($0, at: profile.targetStage.location) }
            break
        }
        while true {
            guard let answer = prompt("\nHours a week you can give", default: format(profile.hoursPerWeek.value)) else { return false }
            if let hours = Double(answer), hours > 0, hours <= ProfileDefaults.maxHoursPerWeek {
                profile.hoursPerWeek.value = hours
                break
            }
            print("  Give a number of hours more than 0 and at most 168.")
        }
        while true {
            guard let answer = prompt("Start date (YYYY-MM-DD)", default: profile.start.value.description) else { return false }
            if let date = CalendarDate(parsing: answer) {
                profile.start.value = date
                break
            }
            print("  '\(answer)' is not a date; use YYYY-MM-DD.")
        }
        while true {
            guard let answer = prompt("Deadline (YYYY-MM-DD; Enter for none)", default: profile.deadline?.value.description) else { return false }
            if answer.isEmpty || answer == "none" {
                profile.deadline = nil
                break
            }
            if let date = CalendarDate(parsing: answer), date > profile.start.value {
                profile.deadline = Located(date, at: profile.start.location)
                break
            }
            print("  Give a date after the start, as YYYY-MM-DD, or press Enter for none.")
        }
        return true
    }
}
