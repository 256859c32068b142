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

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Say why a module is in the plan (or why not), what it unlocks and when it is scheduled.")

    @Argument(help: ArgumentHelp("The module, as PACKAGE/ID (or a bare id or an old alias).", valueName: "id"))
    var module: String

    @OptionGroup var options: PlanOptions

    func run() throws {
        let plan = try options.makePlan()
        guard let id = plan.composition.resolve(module) else {
            throw Terminal.usageError(
                "unknown module '\(module)' in this plan's roadmap and plugins", code: .unknownModule,
                help: Suggestions.didYouMean(plan.composition.suggestions(for: module))
                    ?? (module.contains("/") ? "add its plugin with --with" : nil))
        }
        print(Explainer(plan: plan).explanation(for: id))
    }
}
