import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The hostile corpus (`Fixtures/HostileCorpus/`, indexed by `expectations.tsv`): every file is fed to the
/// built `roadmap` the way its row says, and must give the documented exit status and a located
/// `path:line:col: error: ... [code]` diagnostic (a warning for an accepted journal with a torn tail, none for
/// a file that is accepted) within two seconds, without crashing and without changing any file.
///
/// Command kinds, all run in a fresh folder holding the file and `ada.yaml` (the example profile):
/// - `validate`: `roadmap validate FILE`
/// - `plan-profile[:FORMAT]`: `roadmap plan --profile FILE`
/// - `status-journal[:FORMAT]`, `plan-journal`: `roadmap status|plan --profile ada.yaml --journal FILE`
/// - `checkin-journal`: `roadmap checkin --profile ada.yaml --journal FILE --module ... --hours 1`
/// - `plan-plugin[:FORMAT]`: the file as `Plugins/STEM/plugin.yaml` of a catalog, `roadmap plan --catalog . --with STEM`
@Suite("Hostile corpus", .serialized, .timeLimit(.minutes(10)))
struct HostileCorpusTests {
    static let packageRoot = RoadmapBinary.packageRoot
    static let corpus = packageRoot.appendingPathComponent("Tests/RoadmapEndToEndTests/Fixtures/HostileCorpus")
    /// The promise of the issue: an answer within two seconds.
    static let deadline = 2.0

    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var command: String
        var format: String?
        var status: Int32
        var code: String?
        var location: String?
        var line: Int
        var testDescription: String { "\(file) \(command)\(format.map { ":" + $0 } ?? "")" }
    }

    static let cases: [Case] = {
        guard let text = try? String(contentsOf: corpus.appendingPathComponent("expectations.tsv"), encoding: .utf8) else { return [] }
        var cases: [Case] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5, let status = Int32(fields[2]) else {
                cases.append(Case(file: "<line \(number + 1)>", command: "malformed", status: -1, line: number + 1))
                continue
            }
            let command = fields[1].split(separator: ":", maxSplits: 1).map(String.init)
            cases.append(Case(
                file: fields[0], command: command[0], format: command.count > 1 ? command[1] : nil, status: status,
                code: fields[3] == "-" ? nil : fields[3], location: fields[4] == "-" ? nil : fields[4], line: number + 1))
        }
        return cases
    }()

    // MARK: The index

    @Test func theCorpusIsLargeIndexedAndCoversEveryErrorClass() throws {
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path))
            .subtracting(["expectations.tsv", "README.md"])
        #expect(names.count >= 100, "only \(names.count) hostile files")
        #expect(!Self.cases.contains { $0.command == "malformed" }, "malformed rows: \(Self.cases.filter { $0.command == "malformed" }.map(\.line))")
        let indexed = Set(Self.cases.map(\.file))
        #expect(names.subtracting(indexed).isEmpty, "files without a row: \(names.subtracting(indexed).sorted())")
        #expect(indexed.subtracting(names).isEmpty, "rows without a file: \(indexed.subtracting(names).sorted())")
        let kinds: Set<String> = ["validate", "plan-profile", "status-journal", "plan-journal", "checkin-journal", "plan-plugin"]
        #expect(Self.cases.allSatisfy { kinds.contains($0.command) }, "unknown command kinds")
        // Every class of error of the loader, the profile and the journal.
        let codes = Set(Self.cases.compactMap(\.code))
        let required: Set<String> = [
            "encoding", "syntax", "empty-file", "multiple-documents", "duplicate-key", "alias-expansion", "recursive-alias",
            "unknown-anchor", "limit-exceeded", "unknown-key", "missing-key", "wrong-type", "invalid-value", "invalid-id",
            "duplicate-id", "invalid-hours", "invalid-min-weeks", "invalid-date", "invalid-version",
            "invalid-version-requirement", "unknown-stage", "unknown-module", "unknown-package", "unknown-plugin", "cycle",
            "self-requirement", "alias-collision", "version-conflict", "journal-torn",
        ]
        #expect(required.subtracting(codes).isEmpty, "no hostile file for \(required.subtracting(codes).sorted())")
        // Hostile text reaches every export format.
        let formats = Set(Self.cases.filter { $0.command == "plan-plugin" || $0.command == "plan-profile" }.compactMap(\.format))
        #expect(formats == ["text", "markdown", "json", "csv", "ics", "mermaid", "dot", "html"])
    }

    // MARK: Each file

    @Test(arguments: cases)
    func hostileFile(_ hostile: Case) throws {
        let workspace = FileManager.default.temporaryDirectory
            .appendingPathComponent("roadmap-hostile-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workspace) }
        try FileManager.default.copyItem(
            at: Self.packageRoot.appendingPathComponent("examples/engineer-biomedical-equity.yaml"),
            to: workspace.appendingPathComponent("ada.yaml"))
        let source = Self.corpus.appendingPathComponent(hostile.file)
        let original = try Data(contentsOf: source)

        var arguments: [String]
        var shown = hostile.file
        let today = ["--today", "2027-01-04"]
        switch hostile.command {
        case "validate":
            arguments = ["validate", hostile.file]
        case "plan-profile":
            arguments = ["plan", "--profile", hostile.file] + today
        case "status-journal", "plan-journal":
            arguments = [hostile.command == "plan-journal" ? "plan" : "status", "--profile", "ada.yaml", "--journal", hostile.file,
                         "--today", "2027-03-01"]
        case "checkin-journal":
            arguments = ["checkin", "--profile", "ada.yaml", "--journal", hostile.file, "--module",
                         "ml-research-fellow/causal-inference", "--hours", "1", "--date", "2027-03-01"]
        case "plan-plugin":
            let stem = String(hostile.file.dropLast(".yaml".count))
            shown = "Plugins/\(stem)/plugin.yaml"
            arguments = ["plan", "--catalog", ".", "--with", stem] + today
        default:
            Issue.record("unknown command kind '\(hostile.command)' at line \(hostile.line) of expectations.tsv")
            return
        }
        let placed = workspace.appendingPathComponent(shown)
        try FileManager.default.createDirectory(at: placed.deletingLastPathComponent(), withIntermediateDirectories: true)
        try original.write(to: placed)
        if let format = hostile.format { arguments += ["--format", format] }

        let before = try Self.snapshot(workspace)
        let started = Date()
        let result = try RoadmapBinary.locate().run(arguments, currentDirectory: workspace, timeout: 30)
        let elapsed = Date().timeIntervalSince(started)
        let after = try Self.snapshot(workspace)

        let context = "\(hostile.testDescription) (expectations.tsv line \(hostile.line))\n\(result)"
        #expect(result.status == hostile.status, "\(context)")
        #expect(elapsed < Self.deadline, "took \(elapsed) s: \(context)")
        for sign in ["Fatal error", "Stack dump", "Backtrace", "Segmentation fault", "AddressSanitizer", "Current stack trace",
                     "Illegal instruction"] {
            #expect(!result.stderr.contains(sign), "crash (\(sign)): \(context)")
        }
        #expect(before == after, "files changed: \(context)")
        #expect(try Data(contentsOf: source) == original, "the fixture itself changed")

        let errorLines = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") || $0.contains(": warning: ") }
        if let code = hostile.code {
            let severity = hostile.status == 0 ? "warning" : "error"
            let located = errorLines.compactMap { line -> String? in
                guard line.hasPrefix(shown + ":"), line.hasSuffix("[\(code)]"), line.contains(": \(severity): ") else { return nil }
                let position = line.dropFirst(shown.count + 1).prefix { $0 != " " }.dropLast()  // "LINE:COL"
                let parts = position.split(separator: ":")
                guard parts.count == 2, let row = Int(parts[0]), let column = Int(parts[1]), row >= 1, column >= 1 else { return nil }
                return "\(row):\(column)"
            }
            #expect(!located.isEmpty, "no located '\(shown):LINE:COL: \(severity): ... [\(code)]': \(context)")
            if let location = hostile.location, !located.isEmpty {
                #expect(located.contains(location), "located at \(located), not \(location): \(context)")
            }
        } else {
            #expect(errorLines.isEmpty, "unexpected diagnostics: \(context)")
        }
        if hostile.status == 0, let format = hostile.format {
            Self.checkEscaped(result.stdout, format: format, context: context)
        }
    }

    /// Every file under `folder`, by relative path, with its bytes.
    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let base = folder.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: base) else { return files }
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = base + "/" + relative
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        return files
    }

    /// The hostile texts come out as text in `format`: no markup, formula, calendar event, graph node or
    /// terminal command of theirs survives.
    static func checkEscaped(_ output: String, format: String, context: String) {
        #expect(!output.isEmpty, "no output: \(context)")
        #expect(!output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" }, "a raw terminal escape in \(format): \(context)")
        // Split on the byte: a Character-wise split would keep each "\r\n" whole.
        let lines = output.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...], as: UTF8.self)
        }
        switch format {
        case "html":
            for raw in ["<script>alert", "<img src=x", "<iframe", "<b>bold"] {
                #expect(!output.contains(raw), "raw '\(raw)' in HTML")
            }
        case "markdown":
            for raw in ["<script>", "<img src=x", "<iframe"] { #expect(!output.contains(raw), "raw '\(raw)' in Markdown") }
            for line in lines {
                #expect(!line.hasPrefix("SUMMARY:") && !line.hasPrefix("END:VEVENT") && !line.hasPrefix("# heading"),
                        "a title broke out of its table row: \(line)")
            }
        case "csv":
            let records = csvRecords(output)
            #expect(records.count > 1 && records.allSatisfy { $0.count == records[0].count }, "records of unequal width")
            for field in records.joined() {
                #expect(!(field.first.map { "=+@".contains($0) } ?? false), "a formula cell: \(field)")
            }
        case "ics":
            let begins = lines.filter { $0.hasPrefix("BEGIN:VEVENT") }.count, ends = lines.filter { $0.hasPrefix("END:VEVENT") }.count
            #expect(begins == ends, "unbalanced events")
            #expect(!lines.contains { $0.hasPrefix("SUMMARY:INJECTED") || $0 == "DTSTART:20270101" }, "an injected property")
            #expect(lines.allSatisfy { $0.utf8.count <= 75 }, "a line longer than 75 octets")
        case "mermaid":
            #expect(!output.contains("--> evil["), "an injected Mermaid node")
            #expect(!lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("click ") }, "an injected Mermaid click")
        case "dot":
            // Inside a quoted label the quotes come escaped (`\"`); a bare one would end the label.
            #expect(!output.contains("[label=\"INJECTED") && !output.contains("URL=\"javascript"), "an injected Graphviz node")
        case "json":
            #expect((try? JSONSerialization.jsonObject(with: Data(output.utf8))) != nil, "not JSON: \(context)")
        default:
            break
        }
    }

    /// The records of an RFC 4180 text, scalar by scalar: quoted fields may hold commas, quotes and line breaks.
    static func csvRecords(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = "", quoted = false, afterQuote = false
        for scalar in text.unicodeScalars {
            if quoted {
                if scalar == "\"" { quoted = false; afterQuote = true } else { field.unicodeScalars.append(scalar) }
                continue
            }
            switch scalar {
            case "\"":
                if afterQuote { field += "\"" }
                quoted = true
            case ",": record.append(field); field = ""
            case "\r": break
            case "\n": record.append(field); records.append(record); record = []; field = ""
            default: field.unicodeScalars.append(scalar)
            }
            afterQuote = false
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }

    // MARK: Inputs made on the spot

    /// Files that would be too big, or cannot be, in the repository: a file far over the size limit (sparse, so
    /// it costs no disk), an endless device, a folder, a missing file, a catalog file that is a link out of its
    /// catalog, and one that is a named pipe.
    @Test func generatedInputs() throws {
        let workspace = FileManager.default.temporaryDirectory
            .appendingPathComponent("roadmap-hostile-\(UUID().uuidString)", isDirectory: true)
        let outside = FileManager.default.temporaryDirectory
            .appendingPathComponent("roadmap-hostile-outside-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(at: workspace)
            try? FileManager.default.removeItem(at: outside)
        }
        try FileManager.default.copyItem(
            at: Self.packageRoot.appendingPathComponent("examples/engineer-biomedical-equity.yaml"),
            to: workspace.appendingPathComponent("ada.yaml"))
        let binary = try RoadmapBinary.locate()
        func run(_ arguments: [String], status: Int32, located shown: String, code: String) throws {
            let started = Date()
            let result = try binary.run(arguments, currentDirectory: workspace, timeout: 30)
            let elapsed = Date().timeIntervalSince(started)
            #expect(result.status == status, "\(arguments)\n\(result)")
            #expect(elapsed < Self.deadline, "\(arguments) took \(elapsed) s")
            let pattern = "^\(NSRegularExpression.escapedPattern(for: shown)):[1-9][0-9]*:[1-9][0-9]*: error: .*\\[\(code)\\]$"
            let found = result.stderr.split(separator: "\n").contains { String($0).range(of: pattern, options: .regularExpression) != nil }
            #expect(found, "no located [\(code)] for \(shown): \(result)")
        }

        // 65 MiB of nothing: refused from its size, before a byte is read.
        let huge = workspace.appendingPathComponent("huge.yaml")
        #expect(FileManager.default.createFile(atPath: huge.path, contents: Data("roadmap: x\n".utf8)))
        #expect(truncate(huge.path, 65 << 20) == 0)
        try run(["validate", "huge.yaml"], status: 65, located: "huge.yaml", code: "limit-exceeded")
        try run(["plan", "--profile", "huge.yaml"], status: 65, located: "huge.yaml", code: "limit-exceeded")
        try run(["status", "--profile", "ada.yaml", "--journal", "huge.yaml"], status: 65, located: "huge.yaml", code: "limit-exceeded")
        // A device that never ends is read only up to the limit.
        try run(["plan", "--profile", "/dev/zero"], status: 65, located: "/dev/zero", code: "limit-exceeded")
        // A folder, and nothing at all.
        try FileManager.default.createDirectory(at: workspace.appendingPathComponent("folder.yaml"), withIntermediateDirectories: true)
        try run(["plan", "--profile", "folder.yaml"], status: 66, located: "folder.yaml", code: "file-unreadable")
        try run(["plan", "--profile", "missing.yaml"], status: 66, located: "missing.yaml", code: "file-unreadable")
        // A plugin that is a link to a file outside its catalog is not read.
        try Data("plugin: secret\n".utf8).write(to: outside.appendingPathComponent("plugin.yaml"))
        try FileManager.default.createDirectory(at: workspace.appendingPathComponent("Plugins/linked"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: workspace.appendingPathComponent("Plugins/linked/plugin.yaml").path,
            withDestinationPath: outside.appendingPathComponent("plugin.yaml").path)
        try run(["validate", "."], status: 65, located: "Plugins/linked/plugin.yaml", code: "unsafe-path")
        try FileManager.default.removeItem(at: workspace.appendingPathComponent("Plugins/linked"))
        // A named pipe planted in a catalog: opening it used to wait for a writer forever, hanging every command.
        try FileManager.default.createDirectory(at: workspace.appendingPathComponent("Plugins/pipe"), withIntermediateDirectories: true)
        #expect(mkfifo(workspace.appendingPathComponent("Plugins/pipe/plugin.yaml").path, 0o644) == 0)
        try run(["validate", "."], status: 65, located: "Plugins/pipe/plugin.yaml", code: "empty-file")
        let started = Date()
        let plan = try binary.run(["plan", "--catalog", ".", "--today", "2027-01-04"], currentDirectory: workspace, timeout: 30)
        #expect(plan.status == 0 && Date().timeIntervalSince(started) < Self.deadline, "\(plan)")
    }
}
