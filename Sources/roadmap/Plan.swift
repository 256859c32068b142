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

/// The formats a plan can be written in.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown, json, csv, ics, mermaid, dot, html
}

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Make a week-by-week study plan from a profile, or from flags alone.",
        discussion: """
            Without --profile, plans for the default profile: target 'fellow', 10 hours a week, starting next
            Monday. Flags override what the profile says.
            """)

    @OptionGroup var options: PlanOptions

    @Option(help: ArgumentHelp("Output format: \(PlanFormat.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "format"))
    var format: PlanFormat = .text

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func run() throws {
        let plan = try options.makePlan()
        // Kept alive until the process ends (`Terminal.finish`), so that it is never freed value by value.
        try withExtendedLifetime(plan) {
            switch format {
            case .json:
                // Streamed: the JSON of a large plan is never held whole.
                try OutputWriter.stream(to: output) { sink in PlanJSONRenderer().write(plan) { sink.write($0) } }
            case .text: try OutputWriter.emit(PlanTextRenderer().render(plan), to: output)
            case .markdown: try OutputWriter.emit(PlanMarkdownRenderer().render(plan), to: output)
            case .csv: try OutputWriter.emit(PlanCSVRenderer().render(plan), to: output)
            case .ics: try OutputWriter.emit(PlanICSRenderer().render(plan), to: output)
            case .mermaid: try OutputWriter.emit(PlanMermaidRenderer().render(plan), to: output)
            case .dot: try OutputWriter.emit(PlanDOTRenderer().render(plan), to: output)
            case .html: try OutputWriter.emit(PlanHTMLRenderer().render(plan), to: output)
            }
            Terminal.finish()
        }
    }
}
