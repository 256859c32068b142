#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `roadmap plugin test`: runs a plugin's examples (`examples/*.yaml` in its folder) and checks each
/// expectation against the plan made from the example's profile with the plugin added to its specializations.
public struct PluginTester: Sendable {
    /// The outcome of one example.
    public struct Result: Sendable {
        /// The example file as shown in messages.
        public var file: String
        public var name: String
        /// How many expectations were checked.
        public var checked: Int
        /// Expectations the plan does not meet, or the problems that kept the example from running.
        public var failures: [Diagnostic]
        /// Whether the example could be read and planned at all.
        public var ran: Bool
        public var plan: Plan?

        public var passed: Bool { ran && failures.isEmpty }
    }

    public let workspace: PluginWorkspace
    /// The day taken as today: it gives the start of profiles without one.
    public let today: CalendarDate
    public var loader = CatalogLoader()

    public init(workspace: PluginWorkspace, today: CalendarDate) {
        self.workspace = workspace
        self.today = today
    }

    /// The plugin's example files, `FOLDER/examples/*.yaml` (and `.yml`), sorted by name.
    public func exampleFiles() -> [String] {
        let folder = workspace.folder + "/examples"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "\(folder)/\($0)" }
    }

    public func runAll() -> [Result] { exampleFiles().map(run) }

    /// Reads, plans and checks one example file.
    public func run(_ path: String) -> Result {
        let display = DisplayPath.relative(path)
        var name = URL(fileURLWithPath: path).lastPathComponent
        for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        var diagnostics = Diagnostics()
        guard let example = load(path, diagnostics: &diagnostics), let plan = plan(for: example, diagnostics: &diagnostics) else {
            return Result(file: display, name: name, checked: 0, failures: diagnostics.errors, ran: false, plan: nil)
        }
        let failures = example.expectations.compactMap { check($0, in: plan) }
        return Result(file: display, name: name, checked: example.expectations.count, failures: failures, ran: true, plan: plan)
    }

    /// Reads an example file.
    public func load(_ path: String, diagnostics: inout Diagnostics) -> PluginExample? {
        guard let document = loader.readDocument(path, diagnostics: &diagnostics) else { return nil }
        return PluginExampleDecoder().decode(document, today: today, diagnostics: &diagnostics)
    }

    /// The plan of an example: its profile with the plugin added to the specializations.
    public func plan(for example: PluginExample, diagnostics: inout Diagnostics) -> Plan? {
        guard let plugin = workspace.plugin else { return nil }
        var profile = example.profile
        if !profile.specializations.contains(where: { $0.value == plugin.name }) {
            profile.specializations.append(Located(plugin.name, at: .start(of: example.file)))
        }
        guard let composition = Composer(catalog: workspace.catalog).compose(
            roadmap: profile.roadmap, plugins: profile.specializations, diagnostics: &diagnostics)
        else { return nil }
        return Planner(composition: composition, profile: profile, today: today).plan(diagnostics: &diagnostics)
    }

    // MARK: Checking

    /// A module named in an expectation: a bare id of the plugin's own, or `PACKAGE/ID`; aliases work too.
    private func resolve(_ text: String, in plan: Plan) -> ModuleID? {
        guard let plugin = workspace.plugin else { return nil }
        if !text.contains("/") { return plan.composition.resolve("\(plugin.name)/\(text)") }
        return plan.composition.resolve(text)
    }

    private func unknown(_ text: String, in plan: Plan, at location: SourceLocation) -> Diagnostic {
        var candidates: [String]
        if !text.contains("/"), let plugin = workspace.plugin {
            candidates = Suggestions.closest(to: text, among: plugin.modules.map(\.id.name), limit: 2)
            if candidates.isEmpty, plan.composition.resolve(text) != nil, let found = plan.composition.resolve(text) {
                candidates = [found.description]
            }
        } else {
            candidates = plan.composition.suggestions(for: text)
        }
        return .error(
            .unknownModule, "unknown module '\(text)' in this example's plan", at: location,
            help: Suggestions.didYouMean(candidates).map { [$0] } ?? ["bare ids name the plugin's own modules; write others as PACKAGE/ID"])
    }

    /// Why a module of the composition is not in the plan, in words.
    static func reason(_ id: ModuleID, in plan: Plan) -> String {
        guard let reason = plan.scope.exclusions[id] else { return "it is not part of the plan" }
        if case .masteredStage(let stage) = reason {
            return "its stage '\(stage)' is at or below the current stage '\(plan.currentStage?.id ?? stage)', so it counts as mastered"
        } else if case .known = reason {
            return "it is listed in 'known'"
        } else if case .journal(let status) = reason {
            return "it is \(status) in the journal"
        } else if case .optional = reason {
            return "it is optional, and 'include_optional' is not true"
        } else if case .aboveTarget(let stage) = reason {
            return "its stage '\(stage)' is above the target stage '\(plan.targetStage.id)', and nothing in the plan requires it"
        }
        return "it is left out"
    }

    private func check(_ expectation: PluginExample.Expectation, in plan: Plan) -> Diagnostic? {
        let at = expectation.location
        func fail(_ message: String, help: [String] = []) -> Diagnostic {
            .error(.expectationFailed, message, at: at, help: help)
        }
        switch expectation.kind {
        case .includes(let text):
            guard let id = resolve(text, in: plan) else { return unknown(text, in: plan, at: at) }
            if plan.scope.contains(id) { return nil }
            return fail("expected '\(id)' in the plan, but \(Self.reason(id, in: plan))")
        case .excludes(let text):
            guard let id = resolve(text, in: plan) else { return unknown(text, in: plan, at: at) }
            if !plan.scope.contains(id) { return nil }
            let chain = Explainer(plan: plan).chains(for: id, limit: 1).first.map { ": \($0.text)" } ?? ""
            return fail("expected '\(id)' not to be in the plan, but it is\(chain)")
        case .before(let first, let second):
            guard let a = resolve(first, in: plan) else { return unknown(first, in: plan, at: at) }
            guard let b = resolve(second, in: plan) else { return unknown(second, in: plan, at: at) }
            for id in [a, b] where !plan.scope.contains(id) {
                return fail("expected '\(a)' before '\(b)', but '\(id)' is not in the plan: \(Self.reason(id, in: plan))")
            }
            guard let itemA = plan.item(a), let itemB = plan.item(b) else { return fail("'\(a)' or '\(b)' is not scheduled") }
            if itemA.endWeek <= itemB.startWeek { return nil }
            return fail(
                "expected '\(a)' to be finished by the week '\(b)' starts, but '\(a)' ends in week \(itemA.endWeek) and '\(b)' starts in week \(itemB.startWeek)")
        case .maxWeeks(let weeks):
            if plan.finishWeek <= weeks { return nil }
            return fail(
                "expected the plan to take at most \(AuthoringText.plural(weeks, "week")), but it takes \(plan.finishWeek) (to \(plan.finishDate))")
        case .feasible(let expected):
            guard let feasibility = plan.feasibility else { return fail("the plan has no deadline to check") }
            if feasibility.holds == expected { return nil }
            if expected {
                var help: [String] = []
                if let hours = feasibility.requiredHoursPerWeek { help.append("\(AuthoringText.hours(hours)) hours a week would meet it") }
                return fail(
                    "expected the deadline \(feasibility.deadline) to be met, but the plan finishes \(plan.finishDate), \(AuthoringText.plural(-feasibility.marginWeeks, "week")) late",
                    help: help)
            }
            return fail(
                "expected the deadline \(feasibility.deadline) to be missed, but the plan finishes \(plan.finishDate), \(AuthoringText.plural(feasibility.marginWeeks, "week")) early")
        }
    }

    // MARK: Report

    /// The results as a test runner prints them, ending with the line `N passed, M failed`.
    public static func report(_ results: [Result], plugin: Package?, file: String, renderer: DiagnosticRenderer = DiagnosticRenderer()) -> String {
        var lines: [String] = []
        let name = plugin.map { "'\($0.name)' \($0.version)" } ?? "at \(file)"
        lines.append("Testing plugin \(name): \(AuthoringText.plural(results.count, "example"))")
        if results.isEmpty {
            lines.append("no examples: add profiles with an 'expect:' mapping to the plugin's examples/ folder")
        }
        for result in results {
            if result.passed {
                lines.append("PASS  \(result.name) (\(result.file)): \(AuthoringText.plural(result.checked, "expectation")) met")
            } else if !result.ran {
                lines.append("FAIL  \(result.name) (\(result.file)): the example could not be planned")
                lines.append(renderer.render(Diagnostics(result.failures)))
            } else {
                lines.append("FAIL  \(result.name) (\(result.file)): \(result.failures.count) of \(AuthoringText.plural(result.checked, "expectation")) failed")
                lines.append(renderer.render(Diagnostics(result.failures)))
            }
        }
        let passed = results.filter(\.passed).count
        lines.append("")
        lines.append("\(passed) passed, \(results.count - passed) failed")
        return lines.joined(separator: "\n") + "\n"
    }
}
