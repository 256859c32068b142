import Foundation
import Testing

@testable import RoadmapKit

/// `plugin doc`: docs/plugins/ID.md is what the command generates, and the page holds every part it promises.
@Suite("Authoring: plugin doc")
struct AuthoringDocTests {
    static let docs = AuthoringSupport.packageRoot.appendingPathComponent("docs/plugins")

    /// The page `roadmap plugin doc ID` writes for a bundled plugin, made in-process.
    static func generate(_ id: String) throws -> String {
        let workspace = try #require(PluginWorkspace.open(id: id, searchPath: AuthoringSupport.bundled), "no bundled plugin '\(id)'")
        var diagnostics = Diagnostics()
        let plugin = try #require(workspace.plugin)
        let composed = workspace.composition(diagnostics: &diagnostics)
        let composition = try #require(composed, "\(DiagnosticRenderer().render(diagnostics))")
        let tester = PluginTester(workspace: workspace, today: CalendarDate(year: 2027, month: 1, day: 1)!)
        var example: PluginDocGenerator.Example?
        for file in tester.exampleFiles() {
            if let plan = tester.run(file).plan {
                example = .init(file: "examples/" + URL(fileURLWithPath: file).lastPathComponent, plan: plan)
                break
            }
        }
        return PluginDocGenerator(summary: PluginSummary(plugin: plugin, composition: composition), example: example).markdown()
    }

    /// Every page in docs/plugins/, and a page for each bundled plugin.
    static var pages: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? []
        let ids = names.filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) }
        return Array(Set(ids + AuthoringSupport.bundledPluginIDs)).sorted()
    }

    /// Every page in docs/plugins/ is the page of a bundled plugin: none is left behind by a removed one.
    @Test func everyPageHasItsPlugin() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Self.docs.path)) ?? []
        let ids = names.filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) }.sorted()
        #expect(ids == AuthoringSupport.bundledPluginIDs)
    }

    @Test(arguments: pages)
    func generatedPageIsUpToDate(id: String) throws {
        let file = Self.docs.appendingPathComponent("\(id).md")
        let regenerate = "regenerate it with: swift run roadmap plugin doc \(id) --output docs/plugins/\(id).md"
        let written = try? String(contentsOf: file, encoding: .utf8)
        try #require(written != nil, "docs/plugins/\(id).md is missing; \(regenerate)")
        let generated = try Self.generate(id)
        if written != generated {
            let old = written!.split(separator: "\n", omittingEmptySubsequences: false)
            let new = generated.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(old, new).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(old.count, new.count)
            Issue.record("docs/plugins/\(id).md is out of date (first difference at line \(line + 1)); \(regenerate)")
        }
    }

    @Test func pageHoldsEveryPart() throws {
        let page = try Self.generate("wireless")
        for heading in ["# Wireless Communications", "## Requirements", "## Builds on", "## Modules by stage", "## Module graph", "## Modules in detail", "## Example plan"] {
            #expect(page.contains("\n\(heading)\n") || page.contains("\n\(heading) "), "no '\(heading)'")
        }
        #expect(page.contains("| `ml-research-fellow` | roadmap | `^1.0` | 1.0.0 |"))
        #expect(page.contains("```mermaid\ngraph TD\n"))
        #expect(page.contains("### Research Fellow (`fellow`)"))
        #expect(page.contains("Outcomes:"))
        #expect(page.contains("Resources:"))
        #expect(page.contains("](https://"))
        #expect(page.contains("The first 8 weeks:"))
        #expect(page.contains("When this plugin's modules are scheduled:"))
        // Nothing that depends on where the files are.
        #expect(!page.contains(AuthoringSupport.packageRoot.path))
    }

    @Test func escaping() {
        #expect(PluginDocGenerator.text("a <b> & *c* [d]") == "a &lt;b&gt; &amp; \\*c\\* \\[d\\]")
        #expect(PluginDocGenerator.cell("a | b") == "a \\| b")
        #expect(PluginDocGenerator.mermaid("say \"hi\" <now>") == "say #quot;hi#quot; #lt;now#gt;")
        #expect(PluginDocGenerator.url("https://x.org/a (b)") == "https://x.org/a%20%28b%29")
    }
}
