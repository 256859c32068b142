import ArgumentParser
import Foundation
import RoadmapKit

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Say why a module is in the plan (or why not), what it unlocks and when it is scheduled.")

    @Argument(help: ArgumentHelp("The module, as PACKAGE/ID (or a bare id or an old alias).", valueName: "id"))
    var module: String

    @OptionGroup var options: PlanOptions

    func run() throws {
        let plan = try options.makePlan()
        guard let id = plan.composition.resolve(module) else {
            var message = "Unknown module '\(module)' in this plan's roadmap and plugins."
            if let suggestion = plan.composition.suggestions(for: module).first { message += " Did you mean '\(suggestion)'?" }
            else if module.contains("/") { message += " Add its plugin with --with." }
            throw ValidationError(message)
        }
        print(Explainer(plan: plan).explanation(for: id))
    }
}
