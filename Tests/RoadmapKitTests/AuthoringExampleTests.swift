import Foundation
import Testing

@testable import RoadmapKit

/// `plugin test`: example files (a profile plus `expect:`), their decoding, and checking each expectation.
@Suite("Authoring: plugin examples")
struct AuthoringExampleTests {
    private func tester(_ fixture: String) throws -> PluginTester {
        let folder = try AuthoringSupport.fixtures("AuthoringExampleTests/\(fixture)")
        let workspace = PluginWorkspace.open(path: folder.path, searchPath: AuthoringSupport.bundled)
        return PluginTester(workspace: workspace, today: CalendarDate(year: 2027, month: 1, day: 1)!)
    }

    /// The bundled plugins' own examples, which `roadmap plugin test` runs: all of them pass.
    @Test(arguments: AuthoringSupport.bundledPluginIDs)
    func bundledExamplesPass(id: String) throws {
        let workspace = PluginWorkspace.open(path: AuthoringSupport.bundledPluginFolder(id), searchPath: AuthoringSupport.bundled)
        let tester = PluginTester(workspace: workspace, today: CalendarDate(year: 2027, month: 1, day: 1)!)
        let results = tester.runAll()
        #expect(results.count >= 2, "\(id) should carry at least two examples")
        for result in results {
            #expect(result.passed, "\(result.file):\n\(DiagnosticRenderer().render(Diagnostics(result.failures)))")
            #expect(result.checked > 0)
        }
    }

    @Test func everyKindOfFailureWithItsPlace() throws {
        let tester = try tester("failing")
        let results = tester.runAll()
        #expect(results.map(\.name) == ["every-failure", "passes"])
        let failing = results[0]
        #expect(failing.ran)
        #expect(!failing.passed)
        #expect(failing.checked == 9)
        #expect(failing.failures.allSatisfy { $0.code == .expectationFailed || $0.code == .unknownModule })
        #expect(failing.failures.map { "\($0.code) \($0.location!.line):\($0.location!.column)" } == [
            "expectation-failed 10:7",
            "unknown-module 11:7",
            "expectation-failed 12:53",
            "expectation-failed 13:30",
            "expectation-failed 14:14",
            "expectation-failed 15:13",
        ])
        let messages = failing.failures.map(\.message)
        #expect(messages[0] == "expected 'failing-fixture/start' in the plan, but its stage 'engineer' is at or below the current stage 'engineer', so it counts as mastered")
        #expect(messages[1] == "unknown module 'middel' in this example's plan")
        #expect(failing.failures[1].help == ["did you mean 'middle'?"])
        #expect(messages[2].hasPrefix("expected 'failing-fixture/finish' not to be in the plan, but it is: plugin 'failing-fixture' -> failing-fixture/finish"))
        #expect(messages[3].hasPrefix("expected 'failing-fixture/finish' to be finished by the week 'failing-fixture/middle' starts, but"))
        #expect(messages[4].hasPrefix("expected the plan to take at most 1 week, but it takes "))
        #expect(messages[5].hasPrefix("expected the deadline 2027-01-11 to be met, but the plan finishes "))
        #expect(results[1].passed)

        let report = PluginTester.report(results, plugin: tester.workspace.plugin, file: tester.workspace.pluginFile)
        let lines = report.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "Testing plugin 'failing-fixture' 1.0.0: 2 examples")
        #expect(lines.contains { $0.hasPrefix("FAIL  every-failure (") && $0.hasSuffix("): 6 of 9 expectations failed") })
        #expect(lines.contains { $0.hasPrefix("PASS  passes (") && $0.hasSuffix("): 6 expectations met") })
        #expect(lines.contains { $0.hasSuffix("every-failure.yaml:13:30: error: " + messages[3] + " [expectation-failed]") })
        #expect(lines.dropLast().last == "1 passed, 1 failed")
    }

    @Test func examplesThatCannotBeRun() throws {
        let tester = try tester("invalid")
        let results = tester.runAll()
        #expect(results.map(\.name) == ["bad-expect", "bad-profile", "no-expect", "unknown-stage"])
        #expect(results.allSatisfy { !$0.ran && !$0.passed })
        func summary(_ result: PluginTester.Result) -> [String] {
            result.failures.map { "\($0.code) \($0.location!.line):\($0.location!.column)" }
        }
        // An unknown key in 'expect' with its suggestion, a 'before' that is not a pair, 'feasible' without a deadline.
        #expect(summary(results[0]) == ["unknown-key 5:3", "wrong-type 6:12", "missing-key 7:13"])
        #expect(results[0].failures[0].help == ["did you mean 'includes'?"])
        // Profile keys are the profile decoder's: an unknown key and a bad value, at their places.
        #expect(summary(results[1]) == ["unknown-key 2:1", "invalid-value 3:17"])
        #expect(results[1].failures[0].help == ["did you mean 'target_stage'?"])
        #expect(summary(results[2]) == ["missing-key 1:1"])
        // A profile that decodes but cannot be planned.
        #expect(summary(results[3]) == ["unknown-stage 1:15"])
        let report = PluginTester.report(results, plugin: tester.workspace.plugin, file: tester.workspace.pluginFile)
        #expect(report.hasSuffix("\n0 passed, 4 failed\n"))
        #expect(report.contains("FAIL  bad-profile ("))
    }

    @Test func aPluginWithoutExamplesHasNothingToRun() throws {
        let workspace = PluginWorkspace.open(
            path: try AuthoringSupport.fixtures("AuthoringLintTests/folder-mismatch/Plugins/some-folder").path,
            searchPath: AuthoringSupport.bundled)
        let tester = PluginTester(workspace: workspace, today: CalendarDate(year: 2027, month: 1, day: 1)!)
        #expect(tester.exampleFiles().isEmpty)
        let report = PluginTester.report([], plugin: workspace.plugin, file: workspace.pluginFile)
        #expect(report.hasSuffix("\n0 passed, 0 failed\n"))
    }

    @Test func removingTheExpectKeyKeepsEveryPlace() throws {
        let text = "name: Ada\nexpect:\n  max_weeks: 3\nhours_per_week: 7\n"
        let document = try YAMLReader.read(Array(text.utf8), file: "x.yaml")
        let (profileDocument, expect) = document.removingRootKey("expect")
        #expect(expect?.location.line == 3)
        let root = try #require(profileDocument.root)
        #expect(root.keys.compactMap(\.scalar) == ["name", "hours_per_week"])
        #expect(root.values.map(\.location.line) == [1, 4])
        #expect(document.root?.keys.count == 3)
        #expect(document.removingRootKey("absent").value == nil)
    }
}
