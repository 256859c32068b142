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
        let text: String
        switch format {
        case .text: text = PlanTextRenderer().render(plan)
        case .markdown: text = PlanMarkdownRenderer().render(plan)
        case .json:
            // Streamed: the JSON of a large plan is never held whole.
            try OutputWriter.stream(to: output) { sink in PlanJSONRenderer().write(plan) { sink.write($0) } }
            Terminal.finish()
        case .csv: text = PlanCSVRenderer().render(plan)
        case .ics: text = PlanICSRenderer().render(plan)
        case .mermaid: text = PlanMermaidRenderer().render(plan)
        case .dot: text = PlanDOTRenderer().render(plan)
        case .html: text = PlanHTMLRenderer().render(plan)
        }
        try OutputWriter.emit(text, to: output)
        Terminal.finish()
    }
}
