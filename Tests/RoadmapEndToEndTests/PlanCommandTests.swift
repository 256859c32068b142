import Foundation
import Testing

/// `roadmap plan` and `roadmap explain`, run as the built executable. Fixtures are in
/// `Fixtures/PlanCommandTests/TEST-NAME/`.
@Suite("roadmap plan and explain", .serialized, .timeLimit(.minutes(2)))
struct PlanCommandTests {
    /// `Tests/RoadmapEndToEndTests/PlanCommandTests.swift` -> the package root.
    static let packageRoot = RoadmapBinary.packageRoot
    static let example = "examples/engineer-biomedical-equity.yaml"
    static let today = ["--today", "2026-12-01"]

    /// The fixture folder of a test.
    static func fixture(_ test: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        let fixtures = try #require(
            Bundle.module.url(forResource: "Fixtures", withExtension: nil), "the test bundle holds no Fixtures folder",
            sourceLocation: sourceLocation)
        let folder = fixtures.appendingPathComponent("PlanCommandTests/\(test)")
        try #require(
            FileManager.default.fileExists(atPath: folder.path), "fixture \(folder.path) is missing", sourceLocation: sourceLocation)
        return folder
    }

    /// Runs `roadmap ARGUMENTS` from the package root.
    static func run(_ arguments: [String]) throws -> RoadmapBinary.Result {
        try RoadmapBinary.locate().run(arguments, currentDirectory: packageRoot)
    }

    /// `path:line:col: error: message [code]`, as printed on standard error, with its `help:` lines.
    struct ErrorLine: CustomStringConvertible {
        var path: String
        var line: Int
        var column: Int
        var message: String
        var code: String
        var help: [String]
        var description: String { "\(path):\(line):\(column): error: \(message) [\(code)]" }
    }

    static func errorLines(_ stderr: String) -> [ErrorLine] {
        var result: [ErrorLine] = []
        let pattern = /^(.+):(\d+):(\d+): error: (.+) \[([a-z0-9-]+)\]$/
        for line in stderr.split(separator: "\n", omittingEmptySubsequences: false) {
            if let match = line.wholeMatch(of: pattern) {
                result.append(ErrorLine(
                    path: String(match.1), line: Int(match.2)!, column: Int(match.3)!, message: String(match.4),
                    code: String(match.5), help: []))
            } else if line.hasPrefix("  help: "), !result.isEmpty {
                result[result.count - 1].help.append(String(line.dropFirst("  help: ".count)))
            }
        }
        return result
    }

    /// Parses standard output as a JSON object.
    static func json(_ result: RoadmapBinary.Result, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(object as? [String: Any], "the output is not a JSON object", sourceLocation: sourceLocation)
    }

    /// Checks that `object` has every key, each holding a value of the given kind.
    static func expectFields(
        _ object: [String: Any]?, _ fields: [String: Kind], _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let object else {
            Issue.record("\(what) is missing or not an object", sourceLocation: sourceLocation)
            return
        }
        for (key, kind) in fields.sorted(by: { $0.key < $1.key }) {
            guard let value = object[key] else {
                Issue.record("\(what) has no '\(key)'; it has \(object.keys.sorted())", sourceLocation: sourceLocation)
                continue
            }
            #expect(kind.matches(value), "\(what).\(key) is \(type(of: value)) \(value), expected \(kind)", sourceLocation: sourceLocation)
        }
    }

    enum Kind {
        case string, number, bool, array, object, date
        func matches(_ value: Any) -> Bool {
            switch self {
            case .string: return value is String
            case .number: return value is NSNumber && !Self.isBoolean(value)
            case .bool: return Self.isBoolean(value)
            case .array: return value is [Any]
            case .object: return value is [String: Any]
            case .date: return (value as? String)?.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil
            }
        }
        /// JSONSerialization gives `true` and `false` as the boolean subclass of NSNumber, on Linux and macOS.
        static func isBoolean(_ value: Any) -> Bool { String(describing: type(of: value)) == "__NSCFBoolean" }
    }

    // MARK: plan

    @Test func planOfTheExampleFitsEightyColumns() throws {
        let result = try Self.run(["plan", "--profile", Self.example] + Self.today)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count > 50)
        for (number, line) in lines.enumerated() {
            #expect(line.count <= 80, "line \(number + 1) has \(line.count) columns: \(line)")
        }
        #expect(result.stdout.hasPrefix("Study plan for Ada\n"))
        #expect(result.stdout.contains("Week by week"))
        #expect(result.stdout.contains("Milestones"))
    }

    @Test func planAsJSONHasTheDocumentedFields() throws {
        let result = try Self.run(["plan", "--profile", Self.example, "--format", "json"] + Self.today)
        #expect(result.status == 0, "\(result)")
        let document = try Self.json(result)

        Self.expectFields(document["roadmap"] as? [String: Any], ["id": .string, "version": .string], "roadmap")
        #expect((document["roadmap"] as? [String: Any])?["id"] as? String == "ml-research-fellow")
        let plugins = try #require(document["plugins"] as? [[String: Any]], "plugins")
        #expect(Set(plugins.compactMap { $0["id"] as? String }) == ["biomedical-ai", "health-equity", "multimodal"])
        for plugin in plugins { Self.expectFields(plugin, ["id": .string, "version": .string], "a plugin") }

        let profile = document["profile"] as? [String: Any]
        Self.expectFields(
            profile,
            ["name": .string, "roadmap": .string, "target_stage": .string, "hours_per_week": .number, "start": .date,
             "max_parallel": .number, "include_optional": .bool],
            "profile")
        #expect(profile?["hours_per_week"] as? Double == 10)

        let items = try #require(document["items"] as? [[String: Any]], "items")
        #expect(items.count > 30)
        let itemFields: [String: Kind] = [
            "id": .string, "title": .string, "package": .string, "stage": .string, "kind": .string, "hours": .number,
            "requires": .array, "start_week": .number, "end_week": .number, "start_date": .date, "end_date": .date,
            "hours_by_week": .array, "slack_weeks": .number, "critical": .bool,
        ]
        for item in items {
            let id = item["id"] as? String ?? "?"
            Self.expectFields(item, itemFields, "item \(id)")
            for week in item["hours_by_week"] as? [[String: Any]] ?? [] {
                Self.expectFields(week, ["week": .number, "hours": .number], "hours_by_week of \(id)")
            }
            #expect(id.hasPrefix((item["package"] as? String ?? "?") + "/"), "\(id)")
        }
        #expect(items.contains { $0["critical"] as? Bool == true })

        let weeks = try #require(document["weeks"] as? [[String: Any]], "weeks")
        for week in weeks {
            Self.expectFields(week, ["week": .number, "start_date": .date, "hours": .number, "allocations": .array], "a week")
            for allocation in week["allocations"] as? [[String: Any]] ?? [] {
                Self.expectFields(allocation, ["id": .string, "hours": .number], "an allocation")
            }
            #expect((week["hours"] as? Double ?? 99) <= 10)
        }

        let milestones = try #require(document["milestones"] as? [[String: Any]], "milestones")
        #expect(milestones.compactMap { $0["stage"] as? String } == ["scientist", "fellow"])
        for milestone in milestones { Self.expectFields(milestone, ["stage": .string, "week": .number, "date": .date], "a milestone") }

        let summary = document["summary"] as? [String: Any]
        Self.expectFields(
            summary,
            ["total_hours": .number, "weeks": .number, "lower_bound_weeks": .number, "finish_date": .date,
             "deadline": .date, "feasible": .bool, "required_hours_per_week": .number],
            "summary")
        // The parts agree with each other.
        let total = items.reduce(0.0) { $0 + ($1["hours"] as? Double ?? 0) }
        #expect(abs(total - (summary?["total_hours"] as? Double ?? -1)) < 0.01)
        #expect(weeks.count == summary?["weeks"] as? Int)
        #expect(summary?["deadline"] as? String == "2028-09-01")
        #expect(summary?["feasible"] as? Bool == false)
        #expect((summary?["lower_bound_weeks"] as? Int ?? .max) <= weeks.count)
    }

    @Test func planWithFlagsAlone() throws {
        let result = try Self.run(
            ["plan", "--target", "scientist", "--hours-per-week", "8", "--start", "2027-03-01", "--with", "wireless",
             "--format", "json"] + Self.today)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let document = try Self.json(result)
        let profile = try #require(document["profile"] as? [String: Any])
        #expect(profile["target_stage"] as? String == "scientist")
        #expect(profile["hours_per_week"] as? Double == 8)
        #expect(profile["start"] as? String == "2027-03-01")
        #expect((document["plugins"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["wireless"])
        let items = try #require(document["items"] as? [[String: Any]])
        #expect(items.contains { $0["package"] as? String == "wireless" })
        #expect((document["milestones"] as? [[String: Any]])?.compactMap { $0["stage"] as? String } == ["engineer", "scientist"])
        #expect((document["weeks"] as? [[String: Any]])?.first?["start_date"] as? String == "2027-03-01")

        // And the default profile alone: target fellow, 10 hours a week, from the Monday after today.
        let plain = try Self.run(["plan"] + Self.today)
        #expect(plain.status == 0, "\(plain)")
        #expect(plain.stdout.contains("-> Research Fellow, 10 h a week from Mon 7 Dec 2026"), "\(plain)")
    }

    // MARK: explain

    @Test func explainAnswersForModulesOfThePlan() throws {
        let result = try Self.run(["plan", "--profile", Self.example, "--format", "json"] + Self.today)
        let items = try #require(try Self.json(result)["items"] as? [[String: Any]])
        let ids = items.compactMap { $0["id"] as? String }
        #expect(ids.count == items.count)
        // Ten modules spread over the plan, first and last included.
        let sample = (0..<10).map { ids[$0 * (ids.count - 1) / 9] }
        for id in Set(sample).sorted() {
            let answer = try Self.run(["explain", id, "--profile", Self.example] + Self.today)
            #expect(answer.status == 0, "\(answer)")
            #expect(answer.stdout.hasPrefix("\(id): "), "\(answer)")
            #expect(answer.stdout.contains("Why it is in the plan:"), "\(answer)")
            #expect(answer.stdout.contains("Scheduled week"), "\(answer)")
            // Each chain ends at the module.
            let chains = answer.stdout.split(separator: "\n").drop { !$0.hasPrefix("Why it is in the plan:") }.dropFirst()
                .prefix { $0.hasPrefix("  ") }
            #expect(!chains.isEmpty, "\(answer)")
            for chain in chains { #expect(chain.hasSuffix(" -> \(id)"), "\(chain)") }
        }
    }

    @Test(arguments: [
        ("ml-research-fellow/linear-algebra", "its stage 'engineer' is at or below your current stage"),
        ("ml-research-fellow/reproducibility", "it is listed under 'known' in the profile"),
        ("ml-research-fellow/grant-writing", "its stage 'senior-fellow' is above the target 'fellow'"),
    ])
    func explainSaysWhyAModuleIsNotInThePlan(id: String, reason: String) throws {
        let answer = try Self.run(["explain", id, "--profile", Self.example] + Self.today)
        #expect(answer.status == 0, "\(answer)")
        #expect(answer.stdout.contains("Not in the plan: \(reason)"), "\(answer)")
        #expect(!answer.stdout.contains("Why it is in the plan"), "\(answer)")
    }

    // MARK: Errors

    @Test(arguments: [
        ("unknown-key.yaml", "unknown-key", 4, 1, "unknown key 'hours_per_wek' in profile"),
        ("bad-date.yaml", "invalid-date", 5, 8, "'start' is '2027-02-30'"),
        ("zero-hours.yaml", "invalid-value", 4, 17, "'hours_per_week' must be more than 0"),
    ])
    func badProfileIsLocated(file: String, code: String, line: Int, column: Int, message: String) throws {
        let path = try Self.fixture("badProfileIsLocated").appendingPathComponent(file).path
        let result = try Self.run(["plan", "--profile", path] + Self.today)
        #expect(result.status == 65, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        let errors = Self.errorLines(result.stderr)
        #expect(errors.count == 1, "\(result)")
        let error = try #require(errors.first, "\(result)")
        #expect(error.code == code)
        #expect(error.path.hasSuffix("badProfileIsLocated/\(file)"), "\(error)")
        #expect([error.line, error.column] as [Int] == [line, column], "\(error)")
        #expect(error.message.hasPrefix(message), "\(error)")
        if code == "unknown-key" { #expect(error.help == ["did you mean 'hours_per_week'?"], "\(result)") }
    }

    @Test func missingProfileExits66() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("roadmap-missing-\(UUID().uuidString).yaml")
        let result = try Self.run(["plan", "--profile", missing.path] + Self.today)
        #expect(result.status == 66, "\(result)")
        let errors = Self.errorLines(result.stderr)
        #expect(errors.map(\.code) == ["file-unreadable"], "\(result)")
        #expect(errors.first.map { $0.path.hasSuffix(missing.lastPathComponent) && $0.line == 1 && $0.column == 1 } == true, "\(result)")
        #expect(!FileManager.default.fileExists(atPath: missing.path))
    }

    @Test func unknownPluginWithDidYouMean() throws {
        let result = try Self.run(["plan", "--with", "biomedical-a"] + Self.today)
        #expect(result.status == 65, "\(result)")
        let error = try #require(Self.errorLines(result.stderr).first, "\(result)")
        #expect(error.code == "unknown-plugin")
        #expect(error.message == "unknown plugin 'biomedical-a'")
        #expect(error.help == ["did you mean 'biomedical-ai'?"], "\(result)")
    }

    @Test func versionConflictIsExplainedInPlainWords() throws {
        let folder = try Self.fixture("versionConflictIsExplainedInPlainWords")
        for arguments in [
            ["--profile", folder.appendingPathComponent("profile.yaml").path],
            ["--with", "needs-v2"],
        ] {
            let result = try Self.run(["plan", "--catalog", folder.path] + arguments + Self.today)
            #expect(result.status == 65, "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            let errors = Self.errorLines(result.stderr)
            let error = try #require(errors.first, "\(result)")
            #expect(errors.count == 1, "\(result)")
            #expect(error.code == "version-conflict")
            #expect(
                error.message == "dependencies could not be resolved because 'needs-v2' 1.0.0 requires "
                    + "'ml-research-fellow' ^2.0; the catalog has only 1.0.0 of 'ml-research-fellow', and no version of "
                    + "'ml-research-fellow' meets it",
                "\(result)")
            #expect(!error.help.isEmpty, "\(result)")
            if arguments[0] == "--profile" {
                #expect(error.path.hasSuffix("profile.yaml") && error.line == 2, "located at the profile's roadmap: \(error)")
            }
        }
    }

    @Test func cycleReachedOnlyThroughAPlugin() throws {
        let folder = try Self.fixture("cycleReachedOnlyThroughAPlugin")
        let result = try Self.run(["plan", "--catalog", folder.path, "--with", "loopy"] + Self.today)
        #expect(result.status == 65, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        let errors = Self.errorLines(result.stderr)
        #expect(errors.count == 1, "\(result)")
        let error = try #require(errors.first, "\(result)")
        #expect(error.code == "cycle")
        #expect(error.message == "requirement cycle: loopy/first-step -> loopy/second-step -> loopy/first-step", "\(error)")
        #expect(error.path.hasSuffix("Plugins/loopy/plugin.yaml"), "\(error)")
        #expect([error.line, error.column] as [Int] == [8, 5], "\(error)")

        // Without the plugin, the same catalog path plans.
        let without = try Self.run(["plan", "--catalog", folder.path] + Self.today)
        #expect(without.status == 0, "\(without)")
    }

    @Test func invalidStartOnTheCommandLineExits64() throws {
        let result = try Self.run(["plan", "--start", "2027-13-01"] + Self.today)
        #expect(result.status == 64, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.contains("'2027-13-01'") && result.stderr.contains("--start"), "\(result)")
        #expect(!result.stderr.contains("Fatal error"), "\(result)")
    }
}
