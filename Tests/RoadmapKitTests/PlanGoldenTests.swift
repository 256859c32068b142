import Foundation
import Testing

@testable import RoadmapKit

/// The plans of the example profiles in `examples/`, in text, Markdown and JSON, against golden files in
/// `Tests/RoadmapKitTests/Fixtures/Golden/` (named `PROFILE.txt`, `PROFILE.md`, `PROFILE.json`), with today
/// fixed at 2026-12-01.
///
/// After an intended change of the output, re-record them and review the diff:
///
///     RECORD_GOLDEN=1 swift test --filter PlanGoldenTests
@Suite("Plan golden files", .serialized)
struct PlanGoldenTests {
    static let root = PlanningTestSupport.packageRoot
    /// The source tree's copy, which recording writes; not the copy in the test bundle.
    static let goldenFolder = root.appendingPathComponent("Tests/RoadmapKitTests/Fixtures/Golden")
    static let recording = ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"
    static let rerecord = "RECORD_GOLDEN=1 swift test --filter PlanGoldenTests"

    /// The example profiles, by file name without `.yaml`.
    static let examples: [String] = {
        let folder = root.appendingPathComponent("examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }()

    enum Format: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case text, markdown, json
        var fileExtension: String { self == .text ? "txt" : self == .markdown ? "md" : "json" }
        var testDescription: String { rawValue }
    }

    /// The example's plan, made the way `roadmap plan --profile examples/NAME.yaml --today 2026-12-01` makes it.
    static func plan(_ example: String) throws -> Plan {
        let path = root.appendingPathComponent("examples/\(example).yaml").path
        var diagnostics = Diagnostics()
        guard let document = CatalogLoader().readDocument(path, diagnostics: &diagnostics),
            let profile = ProfileDecoder().decode(document, today: PlanningTestSupport.today, diagnostics: &diagnostics)
        else { throw PlanningTestSupport.Failure(stage: "reading \(path)", diagnostics: diagnostics) }
        return try PlanningTestSupport.plan(try PlanningTestSupport.bundledCatalog(), profile)
    }

    static func render(_ plan: Plan, as format: Format) throws -> String {
        switch format {
        case .text: return PlanTextRenderer().render(plan)
        case .markdown: return PlanMarkdownRenderer().render(plan)
        case .json: return try PlanJSONRenderer().render(plan)
        }
    }

    /// Where two texts first differ, as a line number and the two lines.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let a = expected.components(separatedBy: "\n"), b = actual.components(separatedBy: "\n")
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : "<end of file>", y = index < b.count ? b[index] : "<end of file>"
            if x != y { return "first difference at line \(index + 1):\n  golden: \(x)\n  actual: \(y)" }
        }
        return "no difference"
    }

    @Test func thereAreExamples() {
        #expect(Self.examples.count >= 3, "examples found: \(Self.examples)")
    }

    @Test(arguments: examples, Format.allCases)
    func planMatchesTheGoldenFile(example: String, format: Format) throws {
        let output = try Self.render(try Self.plan(example), as: format)
        let file = Self.goldenFolder.appendingPathComponent("\(example).\(format.fileExtension)")
        if Self.recording {
            try FileManager.default.createDirectory(at: Self.goldenFolder, withIntermediateDirectories: true)
            try Data(output.utf8).write(to: file, options: .atomic)
            print("recorded \(file.path)")
            return
        }
        guard let golden = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("no golden file \(file.path); record it with `\(Self.rerecord)`")
            return
        }
        // Compared outside #expect, so that a failure prints the first difference, not both whole files.
        let matches = output == golden
        #expect(
            matches,
            """
            the \(format.rawValue) plan of examples/\(example).yaml differs from \(file.lastPathComponent); \
            \(Self.firstDifference(golden, output))
            If the change is intended, re-record with `\(Self.rerecord)` and review the diff.
            """)
    }

    /// Each example's finish is within 5% of its lower bound.
    @Test(arguments: examples)
    func finishIsCloseToTheLowerBound(example: String) throws {
        let plan = try Self.plan(example)
        let ratio = Double(plan.finishWeek) / Double(max(1, plan.lowerBoundWeeks))
        print(
            "\(example): finish week \(plan.finishWeek), lower bound \(plan.lowerBoundWeeks) weeks, "
                + String(format: "ratio %.3f", ratio) + ", \(plan.items.count) modules, "
                + "\(TextLayout.hours(plan.totalHours)) h at \(TextLayout.hours(plan.profile.hoursPerWeek.value)) h a week")
        #expect(plan.lowerBoundWeeks > 0)
        #expect(plan.finishWeek >= plan.lowerBoundWeeks)
        #expect(Double(plan.finishWeek) <= Double(plan.lowerBoundWeeks) * 1.05, "ratio \(ratio)")
    }

    /// The JSON streamed in pieces (as `plan --format json` writes it) is the same text as the whole string,
    /// even when the pieces are small enough to split keys and escapes.
    @Test(arguments: examples)
    func streamedJSONIsTheSameText(example: String) throws {
        let plan = try Self.plan(example)
        var bytes: [UInt8] = []
        var pieces = 0
        PlanJSONRenderer().write(plan, pieceSize: 100) { piece in
            bytes.append(contentsOf: piece)
            pieces += 1
        }
        #expect(pieces > 100)
        #expect(String(decoding: bytes, as: UTF8.self) == (try PlanJSONRenderer().render(plan)))
    }
}

