import Foundation
import RoadmapKit
import Testing

/// `roadmap validate` and `roadmap stages`, run as the built executable.
@Suite("roadmap validate and stages", .serialized, .timeLimit(.minutes(2)))
struct ValidateCommandTests {
    /// `Tests/RoadmapEndToEndTests/ValidateCommandTests.swift` -> the package root.
    static let packageRoot = RoadmapBinary.packageRoot

    /// A fresh temporary folder, removed by `cleanup`.
    private func makeTemporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("roadmap-e2e-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// `path:line:col: error: message [code]`, as printed on standard error.
    struct ErrorLine {
        var path: String
        var line: Int
        var column: Int
        var message: String
        var code: String
        /// The `help:` lines that follow it.
        var help: [String]
    }

    /// The error lines of standard error, each with the `  help:` lines after it.
    private func errorLines(_ stderr: String) -> [ErrorLine] {
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

    // MARK: The bundled catalog

    @Test func validateTheBundledCatalog() throws {
        let binary = try RoadmapBinary.locate()
        let result = try binary.run(["validate"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")

        // The counts the command must print, from the same catalog read in-process.
        let root = try #require(CatalogSearchPath.bundledRoot(executablePath: binary.url.path))
        var diagnostics = Diagnostics()
        let catalog = CatalogLoader().load(
            CatalogSearchPath(options: [], environment: nil, bundled: root), diagnostics: &diagnostics)
        let modules = catalog.packages.reduce(0) { $0 + $1.modules.count }
        #expect(result.stdout == "\(catalog.files.count) files, \(modules) modules: no problems\n", "\(result)")
        #expect(result.stdout.wholeMatch(of: /\d+ files, \d+ modules: no problems\n/) != nil)
    }

    // MARK: The "done when" case

    /// A copy of the bundled wireless plugin with three mistakes, and where each must be reported.
    struct BrokenPlugin {
        var text: String
        /// The requirement that was misspelt, as it was written, and as it is now.
        var correct: String
        var misspelt: String
        var typo: (line: Int, column: Int)
        var unknownKey: (line: Int, column: Int)
        var cycle: (line: Int, column: Int, message: String)
    }

    /// Introduces into the plugin text: a typo in the first requirement of a roadmap module written in a
    /// one-line requires (its last letter dropped, e.g. `ml-research-fellow/calculus-optimization` ->
    /// `ml-research-fellow/calculus-optimizatio`), an unknown key `outcome: [x]` in a module, and a
    /// requirement cycle between its first two modules.
    private func breakPlugin(_ original: String) throws -> BrokenPlugin {
        var lines = original.components(separatedBy: "\n")
        let pluginID = try #require(
            lines.lazy.compactMap { $0.wholeMatch(of: /plugin:\s*([a-z0-9-]+)\s*/)?.1 }.first.map(String.init))

        struct ModuleLines { var id: String; var line: Int; var indent: Int }
        func modules() -> [ModuleLines] {
            lines.indices.compactMap { index in
                guard let match = lines[index].wholeMatch(of: /(\s*)- id:\s*([a-z0-9-]+)\s*/) else { return nil }
                return ModuleLines(id: String(match.2), line: index, indent: match.1.count + 2)
            }
        }
        /// The index of the `requires: [...]` line of the module at `position`, nil without one.
        func requiresLine(of position: Int) throws -> Int? {
            let all = modules()
            let end = position + 1 < all.count ? all[position + 1].line : lines.count
            for index in (all[position].line + 1)..<end where lines[index].contains(/^\s+requires:/) {
                try #require(
                    lines[index].contains(/^\s+requires:\s*\[.*\]\s*$/),
                    "the requires of module \(all[position].id) is not a one-line [...] list")
                return index
            }
            return nil
        }
        /// Adds `id` to the one-line requires of the module at `position`, adding the line when missing.
        func addRequirement(_ id: String, to position: Int) throws {
            let module = modules()[position]
            if let index = try requiresLine(of: position) {
                let text = lines[index]
                let open = text.firstIndex(of: "[")!, close = text.lastIndex(of: "]")!
                let entries = text[text.index(after: open)..<close].split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                guard !entries.contains(id) else { return }
                let isEmpty = text[text.index(after: open)...].drop { $0 == " " }.first == "]"
                lines[index] = String(text[...open]) + id + (isEmpty ? "" : ", ") + text[text.index(after: open)...]
            } else {
                lines.insert(String(repeating: " ", count: module.indent) + "requires: [\(id)]", at: module.line + 1)
            }
        }

        // 1. A cycle between the first two modules: the first requires the second, and the second the first.
        let initial = modules()
        try #require(initial.count >= 2, "the plugin has fewer than two modules")
        let (first, second) = (initial[0].id, initial[1].id)
        try addRequirement(second, to: 0)
        try addRequirement(first, to: 1)

        // 2. An unknown key in the second module, right after its id.
        let secondModule = modules()[1]
        let keyLine = String(repeating: " ", count: secondModule.indent) + "outcome: [x]"
        lines.insert(keyLine, at: secondModule.line + 1)

        // 3. A typo in the first cross-package requirement of a roadmap module.
        let typoIndex = try #require(
            lines.firstIndex { $0.contains("ml-research-fellow/") && $0.contains(/^\s+requires:\s*\[.*\]\s*$/) },
            "no one-line requires of a module of ml-research-fellow in the plugin")
        let correct = try #require(lines[typoIndex].firstMatch(of: /ml-research-fellow\/[a-z0-9-]+/).map { String($0.output) })
        let misspelt = String(correct.dropLast())
        let range = try #require(lines[typoIndex].range(of: correct))
        lines[typoIndex].replaceSubrange(range, with: misspelt)
        var typoColumn = lines[typoIndex].distance(from: lines[typoIndex].startIndex, to: range.lowerBound) + 1
        if typoColumn > 1, "\"'".contains(lines[typoIndex][lines[typoIndex].index(range.lowerBound, offsetBy: -1)]) {
            typoColumn -= 1  // a quoted scalar starts at its quote
        }

        let firstModule = modules()[0]
        return BrokenPlugin(
            text: lines.joined(separator: "\n"),
            correct: correct, misspelt: misspelt,
            typo: (typoIndex + 1, typoColumn),
            unknownKey: (lines.firstIndex(of: keyLine)! + 1, secondModule.indent + 1),
            cycle: (
                firstModule.line + 1, firstModule.indent + 1,
                "requirement cycle: \(pluginID)/\(first) -> \(pluginID)/\(second) -> \(pluginID)/\(first)"
            ))
    }

    @Test func brokenCopyOfAPluginReportsEveryProblemAndStaysUnchanged() throws {
        let binary = try RoadmapBinary.locate()
        let original = try String(
            contentsOf: Self.packageRoot.appendingPathComponent("Plugins/wireless/plugin.yaml"), encoding: .utf8)
        let broken = try breakPlugin(original)
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("plugin.yaml")
        try Data(broken.text.utf8).write(to: copy)
        let before = try Data(contentsOf: copy)

        let result = try binary.run(["validate", copy.path])
        #expect(result.status == 65, "\(result)")
        let errors = errorLines(result.stderr)
        #expect(result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }.count == 3, "\(result)")
        #expect(errors.count == 3, "\(result)")
        #expect(Set(errors.map(\.code)) == ["unknown-module", "unknown-key", "cycle"], "\(result)")
        for error in errors {
            #expect(error.path.hasSuffix("plugin.yaml"), "\(error.path)")
        }

        let typo = try #require(errors.first { $0.code == "unknown-module" }, "\(result)")
        #expect([typo.line, typo.column] as [Int] == [broken.typo.line, broken.typo.column], "\(result)")
        #expect(typo.message.contains("'\(broken.misspelt)'"))
        #expect(typo.help.contains { $0.hasPrefix("did you mean") && $0.contains("'\(broken.correct)'") }, "\(result)")

        let key = try #require(errors.first { $0.code == "unknown-key" }, "\(result)")
        #expect([key.line, key.column] as [Int] == [broken.unknownKey.line, broken.unknownKey.column], "\(result)")
        #expect(key.message.contains("'outcome'"))
        #expect(key.help == ["did you mean 'outcomes'?"], "\(result)")

        let cycle = try #require(errors.first { $0.code == "cycle" }, "\(result)")
        #expect([cycle.line, cycle.column] as [Int] == [broken.cycle.line, broken.cycle.column], "\(result)")
        #expect(cycle.message == broken.cycle.message, "\(result)")

        #expect(result.stdout.contains("1 file, ") && result.stdout.contains(": 3 errors, 0 warnings"), "\(result)")
        #expect(try Data(contentsOf: copy) == before, "validate changed the file it checked")
    }

    @Test func unchangedCopyOfAPluginHasNoProblems() throws {
        let binary = try RoadmapBinary.locate()
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("plugin.yaml")
        try FileManager.default.copyItem(at: Self.packageRoot.appendingPathComponent("Plugins/wireless/plugin.yaml"), to: copy)

        let result = try binary.run(["validate", copy.path])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        #expect(result.stdout.wholeMatch(of: /1 file, \d+ modules: no problems\n/) != nil, "\(result)")
    }

    @Test func missingFileExits66() throws {
        let binary = try RoadmapBinary.locate()
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("missing.yaml")

        let result = try binary.run(["validate", missing.path])
        #expect(result.status == 66, "\(result)")
        let errors = errorLines(result.stderr)
        #expect(errors.map(\.code) == ["file-unreadable"], "\(result)")
        #expect(errors.first.map { $0.path.hasSuffix("missing.yaml") && $0.line == 1 && $0.column == 1 } == true)
        #expect(!FileManager.default.fileExists(atPath: missing.path), "validate created the missing file")
    }

    // MARK: stages

    @Test func stagesPrintsTheLadderWithSalaryRanges() throws {
        let binary = try RoadmapBinary.locate()
        let result = try binary.run(["stages"])
        #expect(result.status == 0, "\(result)")
        let expected = [
            ("engineer", "Machine Learning Engineer", "$120,000 - $150,000"),
            ("scientist", "Research Scientist", "$150,000 - $200,000"),
            ("fellow", "Research Fellow", "$130,100 - $204,600"),
            ("senior-fellow", "Senior Research Fellow", "$200,000 - $250,000"),
        ]
        let lines = result.stdout.split(separator: "\n").map(String.init)
        var previous = -1
        for (number, (id, title, salary)) in expected.enumerated() {
            let index = try #require(
                lines.firstIndex { $0.hasPrefix("\(number + 1). \(title) ") },
                "no row for stage \(id)\n\(result)")
            let row = lines[index]
            #expect(row.contains(" \(id) "), "\(row)")
            #expect(row.contains(salary), "\(row)")
            #expect(index > previous, "stage \(id) is out of order")
            previous = index
        }
    }
}
