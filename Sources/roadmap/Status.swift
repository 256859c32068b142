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

enum StatusFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown, html
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show progress against the plan: per stage and plugin, pace, forecast, and what is next.")

    @OptionGroup var options: PlanOptions

    @Option(help: ArgumentHelp("Output format: \(StatusFormat.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "format"))
    var format: StatusFormat = .text

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func validate() throws {
        guard options.profile != nil else { throw ValidationError("Missing --profile: status reads the profile's journal.") }
    }

    func run() throws {
        let (composition, profile) = try options.makeContext()
        var diagnostics = Diagnostics()
        let ledger = try options.loadLedger(composition: composition)
            ?? ProgressLedger(journal: Journal(file: "", entries: []), composition: composition, diagnostics: &diagnostics)
        let builder = StatusBuilder(composition: composition, profile: profile, ledger: ledger, today: options.todayDate)
        guard let report = builder.build(diagnostics: &diagnostics) else {
            try Terminal.failIfErrors(diagnostics)
            throw ExitCode(ExitStatus.dataError)
        }
        let text: String
        switch format {
        case .text:
            let terminal = output == nil && isatty(1) == 1
            text = StatusTextRenderer(unicode: terminal, color: terminal && Terminal.stdoutColor).render(report)
        case .json:
            text = try StatusJSONRenderer().render(report)
        case .markdown:
            text = StatusMarkdownRenderer().render(report)
        case .html:
            // The report's pictures are those of the plan from today, with progress drawn over them.
            let replanning = Replanning(composition: composition, profile: profile, today: options.todayDate)
            var quiet = Diagnostics()
            let baseline = replanning.baseline(diagnostics: &quiet)
            guard let plan = replanning.replan(ledger: ledger, baseline: baseline, diagnostics: &quiet) ?? baseline else {
                try Terminal.failIfErrors(quiet)
                throw ExitCode(ExitStatus.dataError)
            }
            text = PlanHTMLRenderer().render(plan, status: report)
        }
        try OutputWriter.emit(text, to: output)
    }
}
