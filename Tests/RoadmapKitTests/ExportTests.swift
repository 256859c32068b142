import Foundation
import Testing

@testable import RoadmapKit

/// The CSV, iCalendar, Mermaid, DOT and HTML exports: golden files for the example profiles, and the rules of
/// each format (quoting, escaping, folding, stable ids, self-containment, layout).
///
/// Golden files live in `Tests/RoadmapKitTests/Fixtures/ExportGolden/`, named `PROFILE.EXT`, made with today
/// fixed at 2026-12-01 (`--today 2026-12-01`). After an intended change of an output, re-record them and
/// review the diff:
///
///     RECORD_GOLDEN=1 swift test --filter ExportTests
@Suite("Exports")
struct ExportTests {
    /// The package root: `Tests/RoadmapKitTests/ExportTests.swift` -> three folders up.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The source tree's copy, which recording writes; not the copy in the test bundle.
    static let goldenFolder = root.appendingPathComponent("Tests/RoadmapKitTests/Fixtures/ExportGolden")
    static let recording = ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"
    static let rerecord = "RECORD_GOLDEN=1 swift test --filter ExportTests"
    static let today = CalendarDate(year: 2026, month: 12, day: 1)!
    static let examples = ["engineer-biomedical-equity", "graduate-multimodal", "scientist-wireless"]

    enum Format: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case csv, ics, mermaid, dot, html
        var fileExtension: String { self == .mermaid ? "mmd" : rawValue }
        var testDescription: String { rawValue }

        func render(_ plan: Plan) -> String {
            switch self {
            case .csv: return PlanCSVRenderer().render(plan)
            case .ics: return PlanICSRenderer().render(plan)
            case .mermaid: return PlanMermaidRenderer().render(plan)
            case .dot: return PlanDOTRenderer().render(plan)
            case .html: return PlanHTMLRenderer().render(plan)
            }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The bundled catalog, read from the package root.
    static func catalog() throws -> Catalog {
        var diagnostics = Diagnostics()
        let catalog = CatalogLoader().load(
            CatalogSearchPath(roots: [CatalogRoot(path: root.path, origin: .bundled)]), diagnostics: &diagnostics)
        guard !diagnostics.hasErrors else { throw Failure(description: DiagnosticRenderer().render(diagnostics)) }
        return catalog
    }

    /// The example's plan, as `roadmap plan --profile examples/NAME.yaml --today 2026-12-01` makes it, with
    /// `edit` applied to the profile and `progress` to the planning.
    static func plan(
        _ example: String, today: CalendarDate = today, progress: PlanningProgress = .none,
        edit: (inout Profile) -> Void = { _ in }
    ) throws -> Plan {
        let path = root.appendingPathComponent("examples/\(example).yaml").path
        var diagnostics = Diagnostics()
        guard let document = CatalogLoader().readDocument(path, diagnostics: &diagnostics),
            var profile = ProfileDecoder().decode(document, today: today, diagnostics: &diagnostics)
        else { throw Failure(description: DiagnosticRenderer().render(diagnostics)) }
        edit(&profile)
        guard let composition = Composer(catalog: try catalog()).compose(
            roadmap: profile.roadmap, plugins: profile.specializations, diagnostics: &diagnostics),
            let plan = Planner(composition: composition, profile: profile, progress: progress, today: today)
                .plan(diagnostics: &diagnostics),
            !diagnostics.hasErrors
        else { throw Failure(description: DiagnosticRenderer().render(diagnostics)) }
        return plan
    }

    /// The engineer's plan three months in: two modules started, hours logged, today inside the plan.
    static func planWithProgress() throws -> Plan {
        let plain = try plan("engineer-biomedical-equity")
        let first = plain.items[0].id, second = plain.items[1].id, third = plain.items[2].id
        let progress = PlanningProgress(
            loggedHours: [first: 12, second: 4, third: 3], inProgress: [first, second])
        return try plan("engineer-biomedical-equity", today: CalendarDate(year: 2027, month: 3, day: 10)!, progress: progress) {
            $0.start = Located(CalendarDate(year: 2027, month: 1, day: 4)!, at: $0.start.location)
        }
    }

    /// Where two texts first differ, as a line number and the two lines.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let a = expected.components(separatedBy: "\n"), b = actual.components(separatedBy: "\n")
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : "<end of file>", y = index < b.count ? b[index] : "<end of file>"
            if x != y { return "first difference at line \(index + 1):\n  golden: \(x.debugDescription)\n  actual: \(y.debugDescription)" }
        }
        return "no difference"
    }

    /// Compares `output` with the golden file `name`, or writes it when recording.
    static func expectGolden(_ output: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let file = goldenFolder.appendingPathComponent(name)
        if recording {
            try FileManager.default.createDirectory(at: goldenFolder, withIntermediateDirectories: true)
            try Data(output.utf8).write(to: file)
            return
        }
        let data = try #require(
            FileManager.default.contents(atPath: file.path),
            "golden file \(file.path) is missing; record it with `\(rerecord)`", sourceLocation: sourceLocation)
        let golden = String(decoding: data, as: UTF8.self)
        #expect(
            golden == output,
            "\(name) differs from its golden file \(file.path); \(firstDifference(golden, output)). If the change is intended, re-record with `\(rerecord)` and review the diff.",
            sourceLocation: sourceLocation)
    }

    // MARK: Golden files

    @Test(arguments: examples, Format.allCases)
    func exampleMatchesTheGoldenFile(example: String, format: Format) throws {
        try Self.expectGolden(format.render(try Self.plan(example)), "\(example).\(format.fileExtension)")
    }

    @Test func progressReportMatchesTheGoldenFile() throws {
        try Self.expectGolden(PlanHTMLRenderer().render(try Self.planWithProgress()), "engineer-biomedical-equity-progress.html")
    }

    @Test(arguments: Format.allCases)
    func outputIsTheSameEveryTime(format: Format) throws {
        let plan = try Self.plan("scientist-wireless")
        #expect(format.render(plan) == format.render(try Self.plan("scientist-wireless")))
    }

    // MARK: CSV

    @Test func csvFieldsAreQuotedAsRFC4180Says() {
        #expect(PlanCSVRenderer.field("plain text") == "plain text")
        #expect(PlanCSVRenderer.field("a, b") == "\"a, b\"")
        #expect(PlanCSVRenderer.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(PlanCSVRenderer.field("two\nlines") == "\"two\nlines\"")
        #expect(PlanCSVRenderer.field("two\r\nlines") == "\"two\r\nlines\"")
        #expect(PlanCSVRenderer.field("") == "")
    }

    @Test(arguments: ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "  =HYPERLINK(\"x\")", "=cmd|' /C calc'!A0"])
    func csvFormulasAreNeutralised(text: String) {
        let field = PlanCSVRenderer.field(text)
        let unquoted = field.hasPrefix("\"") ? String(field.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"") : field
        #expect(unquoted == "'" + text)
    }

    @Test func csvHasAHeaderAndOneCRLFRecordPerModule() throws {
        let plan = try Self.plan("scientist-wireless")
        let csv = PlanCSVRenderer().render(plan)
        let records = csv.components(separatedBy: "\r\n")
        #expect(records.last == "")
        #expect(records.count - 1 == plan.items.count + 1)
        #expect(records[0] == PlanCSVRenderer.columns.joined(separator: ","))
        #expect(!csv.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let first = plan.items[0]
        #expect(records[1].hasPrefix("\(first.id),"))
        #expect(records[1].hasSuffix("," + first.requires.map(\.description).joined(separator: " ")))
    }

    // MARK: iCalendar

    @Test func icsTextIsEscaped() {
        #expect(PlanICSRenderer.text("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng")
        #expect(PlanICSRenderer.text("bell\u{07}tab\t") == "belltab\t")
    }

    @Test(arguments: [
        "SUMMARY:" + String(repeating: "é", count: 120), "DESCRIPTION:" + String(repeating: "日本語😀", count: 40),
        "X:" + String(repeating: "a", count: 73), "X:" + String(repeating: "a", count: 300),
    ])
    func icsLinesAreFoldedAt75OctetsWithoutSplittingCharacters(line: String) {
        let folded = PlanICSRenderer.fold(line)
        #expect(folded.hasSuffix("\r\n"))
        // "\r\n" is one Character in Swift, so drop the line end by its UTF-8 octets.
        let physical = String(decoding: folded.utf8.dropLast(2), as: UTF8.self).components(separatedBy: "\r\n")
        for (index, part) in physical.enumerated() {
            #expect(part.utf8.count <= 75, "line \(index) has \(part.utf8.count) octets")
            if index > 0 { #expect(part.hasPrefix(" ")) }
            // Each physical line is valid UTF-8 on its own: no sequence was cut.
            #expect(String(validating: Array(part.utf8), as: UTF8.self) != nil)
        }
        #expect(physical.enumerated().map { $0 == 0 ? $1 : String($1.dropFirst()) }.joined() == line)
    }

    /// The UID of each event, in order.
    static func uids(_ ics: String) -> [String] {
        ics.components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") }.map { String($0.dropFirst(4)) }
    }

    @Test func icsHasAnEventPerModuleMilestoneAndDeadline() throws {
        let plan = try Self.plan("engineer-biomedical-equity")
        let ics = PlanICSRenderer().render(plan)
        let events = ics.components(separatedBy: "BEGIN:VEVENT").count - 1
        #expect(events == plan.items.count + plan.milestones.filter { $0.week > 0 }.count + 1)
        #expect(Set(Self.uids(ics)).count == events)
        #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"))
        #expect(ics.contains("\r\nCALSCALE:GREGORIAN\r\n"))
        #expect(ics.contains("\r\nX-WR-CALNAME:Study plan for Ada\r\n"))
        #expect(ics.hasSuffix("END:VCALENDAR\r\n"))
        // DTSTAMP comes from today, not the clock.
        let stamps = Set(ics.components(separatedBy: "\r\n").filter { $0.hasPrefix("DTSTAMP:") })
        #expect(stamps == ["DTSTAMP:20261201T000000Z"])
        // An all-day event ends the day after its last day.
        let first = plan.items[0]
        #expect(ics.contains("DTSTART;VALUE=DATE:\(PlanICSRenderer.date(first.startDate))\r\nDTEND;VALUE=DATE:\(PlanICSRenderer.date(first.endDate.adding(days: 1)))\r\n"))
        #expect(ics.contains("\r\nDTSTART;VALUE=DATE:20280901\r\nDTEND;VALUE=DATE:20280902\r\nSUMMARY:Deadline: Research Fellow\r\n"))
    }

    @Test func icsUIDsStayTheSameWhenThePlanChangesAndDifferForAnotherPerson() throws {
        let plan = try Self.plan("engineer-biomedical-equity")
        let again = try Self.plan("engineer-biomedical-equity", today: CalendarDate(year: 2027, month: 2, day: 1)!) {
            $0.hoursPerWeek = Located(14, at: $0.hoursPerWeek.location)
        }
        let uids = Self.uids(PlanICSRenderer().render(plan))
        let rescheduled = PlanICSRenderer().render(again)
        #expect(rescheduled != PlanICSRenderer().render(plan))
        #expect(Set(Self.uids(rescheduled)) == Set(uids))
        let someoneElse = try Self.plan("engineer-biomedical-equity") { $0.name = "Grace" }
        #expect(Set(Self.uids(PlanICSRenderer().render(someoneElse))).isDisjoint(with: uids))
        #expect(uids.contains("module.ml-research-fellow.causal-inference.\(PlanICSRenderer.identity(plan))@roadmap"))
    }

    // MARK: Mermaid and DOT

    @Test func mermaidLabelsCannotBreakOut() {
        #expect(PlanMermaidRenderer.label("say \"hi\" <b>&amp; #1 `x` 50%\nnext") == "say #quot;hi#quot; #lt;b#gt;#amp;amp; #35;1 #96;x#96; 50#37; next")
    }

    @Test func mermaidHasASubgraphPerStageAndMarksTheCriticalPath() throws {
        let plan = try Self.plan("graduate-multimodal")
        let mermaid = PlanMermaidRenderer().render(plan)
        #expect(mermaid.hasPrefix("flowchart LR\n"))
        let stages = Set(plan.items.map(\.stage.id))
        #expect(mermaid.components(separatedBy: "\n  subgraph s").count - 1 == stages.count)
        let nodes = mermaid.split(separator: "\n").filter { $0.hasPrefix("    n") }
        #expect(nodes.count == plan.items.count)
        for node in nodes { #expect(node.wholeMatch(of: #/    n\d+\["[^"<>`]*"\]/#) != nil, "\(node)") }
        let inPlan = Set(plan.items.map(\.id))
        let edges = plan.items.reduce(0) { $0 + $1.requires.filter(inPlan.contains).count }
        #expect(mermaid.components(separatedBy: " --> ").count - 1 == edges)
        let critical = plan.items.indices.filter { plan.items[$0].critical }.map { "n\($0)" }
        #expect(!critical.isEmpty)
        #expect(mermaid.contains("  class \(critical.joined(separator: ",")) critical\n"))
    }

    @Test func dotStringsAreQuotedAndEscaped() {
        #expect(PlanDOTRenderer.quoted("plain") == "\"plain\"")
        #expect(PlanDOTRenderer.quoted("x\"y\\z") == "\"x\\\"y\\\\z\"")
        #expect(PlanDOTRenderer.quoted("a\nb\r\nc\u{0}") == "\"a\\nb\\nc\"")
        #expect(PlanDOTRenderer.quoted("\\N \\G") == "\"\\\\N \\\\G\"")
    }

    @Test func dotHasAClusterPerStageAndTheCriticalPathBold() throws {
        let plan = try Self.plan("engineer-biomedical-equity")
        let dot = PlanDOTRenderer().render(plan)
        #expect(dot.hasPrefix("digraph \"roadmap\" {\n"))
        #expect(dot.contains("rankdir=LR"))
        for stage in Set(plan.items.map(\.stage.id)) { #expect(dot.contains("subgraph \"cluster_\(stage)\" {")) }
        for item in plan.items where item.critical {
            #expect(dot.contains("    \"\(item.id)\" [label="))
            #expect(dot.contains("\"\(item.id)\" [label=") && dot.contains("style=\"rounded,filled,bold\""))
        }
    }

    // MARK: HTML

    @Test func htmlEscapesEverything() {
        #expect(PlanHTMLRenderer.escape("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;")
        #expect(PlanHTMLRenderer.escape("a & \"b\" 'c'") == "a &amp; &quot;b&quot; &#39;c&#39;")
        #expect(PlanHTMLRenderer.escape("nul\u{0}bell\u{7}") == "nulbell")
    }

    @Test func htmlLinksOnlyHTTPResources() {
        let here = RoadmapKit.SourceLocation(file: "x", line: 1, column: 1)
        let safe = PlanHTMLRenderer.resource(Resource(title: "Book <1>", url: "https://example.com/?a=1&b=\"2\"", type: "book", location: here))
        #expect(safe == "<a href=\"https://example.com/?a=1&amp;b=&quot;2&quot;\" rel=\"noopener noreferrer\">Book &lt;1&gt;</a> <small>book</small>")
        let script = PlanHTMLRenderer.resource(Resource(title: "x", url: "javascript:alert(1)", type: nil, location: here))
        #expect(!script.contains("href"))
    }

    @Test(arguments: examples)
    func htmlIsSelfContained(example: String) throws {
        let html = PlanHTMLRenderer().render(try Self.plan(example))
        #expect(html.hasPrefix("<!DOCTYPE html>\n"))
        for forbidden in ["<script", "<link", "<img", "<iframe", "<object", "<embed", " src=", "@import", "@font-face"] {
            #expect(!html.lowercased().contains(forbidden), "the report holds \(forbidden)")
        }
        // The only url() references are to markers in the same SVG.
        #expect(html.components(separatedBy: "url(").dropFirst().allSatisfy { $0.hasPrefix("#") })
        #expect(html.contains("Content-Security-Policy"))
        #expect(html.contains("@media print"))
        #expect(html.contains("@media (max-width: 700px)"))
        #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    }

    @Test func htmlShowsProgressAndToday() throws {
        let plan = try Self.planWithProgress()
        let html = PlanHTMLRenderer().render(plan)
        #expect(html.contains(">Today Wed 10 Mar 2027</text>"))
        #expect(html.contains("<span class=\"chip prog\">in progress</span>"))
        #expect(html.contains("share of its hours logged"))
        #expect(html.contains("<small>12 logged</small>"))
        // Without progress, and with today before the start, none of it.
        let plain = PlanHTMLRenderer().render(try Self.plan("engineer-biomedical-equity"))
        #expect(!plain.contains(">Today "))
        #expect(!plain.contains("in progress"))
        #expect(!plain.contains("logged"))
    }

    @Test(arguments: examples)
    func timelineLabelsDoNotOverlap(example: String) throws {
        let chart = HTMLTimeline(plan: try Self.plan(example))
        let (markers, _) = chart.placed()
        #expect(!markers.isEmpty)
        for (marker, _) in markers {
            #expect(chart.labelStart(marker) >= 0, "\(marker.text) starts left of the chart")
            #expect(chart.labelStart(marker) + PlanHTMLRenderer.textWidth(marker.text) <= chart.width + 0.5, "\(marker.text) runs past the chart")
        }
        for (index, a) in markers.enumerated() {
            for b in markers[(index + 1)...] where a.lane == b.lane {
                #expect(!chart.labelSpan(a.marker).overlaps(chart.labelSpan(b.marker)), "\(a.marker.text) and \(b.marker.text) overlap")
            }
        }
    }

    @Test(arguments: examples)
    func graphLayoutPointsRequirementsRightAndKeepsNodesApart(example: String) throws {
        let plan = try Self.plan(example)
        let graph = HTMLDependencyGraph(plan: plan)
        let layout = graph.layout()
        let index = Dictionary(uniqueKeysWithValues: plan.items.enumerated().map { ($1.id, $0) })
        for (node, item) in plan.items.enumerated() {
            for requirement in item.requires {
                guard let from = index[requirement] else { continue }
                #expect(layout.column[from] < layout.column[node], "\(requirement) -> \(item.id) does not point right")
            }
            #expect(layout.y[node] >= 0 && layout.y[node] + graph.nodeHeight <= layout.height + 0.5)
        }
        for column in 0..<layout.columns {
            let ys = plan.items.indices.filter { layout.column[$0] == column }.map { layout.y[$0] }.sorted()
            for (a, b) in zip(ys, ys.dropFirst()) { #expect(b - a >= graph.nodeHeight, "nodes overlap in column \(column)") }
        }
        // Stages are bands of columns in ladder order.
        let ranks = layout.bands.map(\.stage.rank)
        #expect(ranks == ranks.sorted())
    }

    @Test func emptyPlanRendersInEveryFormat() throws {
        let plan = try Self.plan("scientist-wireless") {
            $0.targetStage = Located("scientist", at: $0.targetStage.location)
        }
        #expect(plan.items.isEmpty)
        #expect(PlanHTMLRenderer().render(plan).contains("Nothing to study"))
        #expect(PlanCSVRenderer().render(plan) == PlanCSVRenderer.columns.joined(separator: ",") + "\r\n")
        #expect(PlanMermaidRenderer().render(plan).hasPrefix("flowchart LR\n"))
        #expect(PlanDOTRenderer().render(plan).hasSuffix("}\n"))
        #expect(PlanICSRenderer().render(plan).hasSuffix("END:VCALENDAR\r\n"))
    }
}
