import Foundation
import Testing

/// `roadmap plan --format csv|ics|mermaid|dot|html`, run as the built executable, with each output opened by
/// the program made for it: Graphviz `dot`, Python's `icalendar` and `csv`, and a headless Chromium. A check
/// whose reader is not installed is skipped with a message saying what to install; `.ci/run` installs them all.
@Suite("roadmap plan exports", .serialized, .timeLimit(.minutes(5)))
struct ExportCommandTests {
    /// `Tests/RoadmapEndToEndTests/ExportCommandTests.swift` -> the package root.
    static let packageRoot = RoadmapBinary.packageRoot
    static let fixtures = packageRoot.appendingPathComponent("Tests/RoadmapEndToEndTests/Fixtures")
    /// The golden files the unit tests record (`RECORD_GOLDEN=1 swift test --filter ExportTests`).
    static let golden = packageRoot.appendingPathComponent("Tests/RoadmapKitTests/Fixtures/ExportGolden")
    static let examples = ["engineer-biomedical-equity", "graduate-multimodal", "scientist-wireless"]
    static let formats = ["csv", "ics", "mermaid", "dot", "html"]

    // MARK: The readers

    /// The programs that read the formats, found on `PATH`.
    enum Reader {
        static func find(_ name: String) -> URL? {
            let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            for folder in folders {
                let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
            return nil
        }

        static let dot = find("dot")
        static let chromium = find("chromium") ?? find("chromium-browser")
        static let python = find("python3")
        /// Python with the `icalendar` package.
        static let icalendar: Bool = {
            guard let python else { return false }
            return (try? RoadmapBinary(url: python).run(["-c", "import icalendar"], timeout: 60).status) == 0
        }()

        static let noDot: Comment = "Graphviz is not installed (no `dot` on PATH): apt-get install graphviz; skipped"
        static let noChromium: Comment = "Chromium is not installed (no `chromium` on PATH): apt-get install chromium; skipped"
        static let noPython: Comment = "python3 is not installed; skipped"
        static let noICalendar: Comment = "Python's icalendar is not installed: pip install icalendar; skipped"

        /// Runs a reader (through the same runner as the roadmap binary: pipes drained, time-limited).
        static func run(_ program: URL, _ arguments: [String], timeout: Double = 120) throws -> RoadmapBinary.Result {
            try RoadmapBinary(url: program).run(arguments, timeout: timeout)
        }

        /// Runs a Python script on `file` and decodes the JSON it prints.
        static func python(_ script: String, _ file: URL) throws -> [String: Any] {
            let result = try run(try #require(python), ["-c", script, file.path])
            try #require(result.status == 0, "python3 failed on \(file.lastPathComponent):\n\(result)")
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
            return try #require(object as? [String: Any], "python3 printed no JSON object:\n\(result)")
        }
    }

    /// Reads a calendar with `icalendar`; prints its events' UIDs, summaries and descriptions.
    static let icalendarScript = """
        import icalendar, json, sys
        calendar = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
        events = calendar.walk('VEVENT')
        print(json.dumps({
            'name': str(calendar.get('X-WR-CALNAME')),
            'uids': [str(e.get('UID')) for e in events],
            'summaries': [str(e.get('SUMMARY')) for e in events],
            'descriptions': [str(e.get('DESCRIPTION')) for e in events],
            'all_day': all(e.decoded('DTSTART').__class__.__name__ == 'date' for e in events),
            'ends_after_start': all(e.decoded('DTEND') > e.decoded('DTSTART') for e in events),
        }))
        """

    /// Reads a CSV file with `csv` as RFC 4180 says (newline='' keeps CRLF inside quoted fields).
    static let csvScript = """
        import csv, json, sys
        with open(sys.argv[1], newline='', encoding='utf-8') as f:
            rows = list(csv.reader(f, strict=True))
        print(json.dumps({'rows': rows}))
        """

    /// Parses every inline `<svg>…</svg>` of an HTML file as XML, so a stray `<` or `&` would fail.
    static let svgScript = """
        import json, re, sys, xml.etree.ElementTree as ET
        html = open(sys.argv[1], encoding='utf-8').read()
        blocks = re.findall(r'<svg xmlns=.*?</svg>', html, re.S)
        texts = []
        for block in blocks:
            root = ET.fromstring(block)
            texts += [''.join(t.itertext()) for t in root.iter('{http://www.w3.org/2000/svg}text')]
        print(json.dumps({'svgs': len(blocks), 'texts': texts}))
        """

    // MARK: Helpers

    private func makeTemporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("roadmap-export-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The arguments that plan an example profile with today fixed.
    static func exampleArguments(_ example: String) -> [String] {
        ["plan", "--profile", packageRoot.appendingPathComponent("examples/\(example).yaml").path, "--today", "2026-12-01"]
    }

    /// The hostile fixture's arguments: a catalog whose texts try to break out of every format.
    static var hostileArguments: [String] {
        let folder = fixtures.appendingPathComponent("hostileTextStaysText")
        return ["plan", "--catalog", folder.path, "--profile", folder.appendingPathComponent("profile.yaml").path, "--today", "2026-12-01"]
    }

    /// Runs `roadmap ARGUMENTS --format FORMAT`, requiring success, and writes the output to `folder`.
    private func export(_ arguments: [String], _ format: String, into folder: URL, name: String = "plan") throws -> (text: String, file: URL) {
        let result = try RoadmapBinary.locate().run(arguments + ["--format", format])
        try #require(result.status == 0, "\(result)")
        let file = folder.appendingPathComponent("\(name).\(format)")
        try Data(result.stdout.utf8).write(to: file)
        return (result.stdout, file)
    }

    /// The plan as JSON: the facts each reader's result is checked against.
    struct Facts {
        var ids: [String]
        var titles: [String]
        var events: Int
    }

    private func facts(_ arguments: [String]) throws -> Facts {
        let result = try RoadmapBinary.locate().run(arguments + ["--format", "json"])
        try #require(result.status == 0, "\(result)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        let json = try #require(object as? [String: Any])
        let items = try #require(json["items"] as? [[String: Any]])
        let milestones = try #require(json["milestones"] as? [[String: Any]])
        let summary = try #require(json["summary"] as? [String: Any])
        let ahead = milestones.filter { ($0["week"] as? Int ?? 0) > 0 }.count
        let deadline = summary["deadline"] is String ? 1 : 0
        return Facts(
            ids: items.compactMap { $0["id"] as? String }, titles: items.compactMap { $0["title"] as? String },
            events: items.count + ahead + deadline)
    }

    // MARK: Golden files, through the command line

    @Test(arguments: examples)
    func exportsMatchTheGoldenFiles(example: String) throws {
        let binary = try RoadmapBinary.locate()
        for format in Self.formats {
            let result = try binary.run(Self.exampleArguments(example) + ["--format", format])
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.isEmpty, "\(result)")
            let name = "\(example).\(format == "mermaid" ? "mmd" : format)"
            let file = Self.golden.appendingPathComponent(name)
            let data = try #require(
                FileManager.default.contents(atPath: file.path),
                "golden file \(file.path) is missing; record it with `RECORD_GOLDEN=1 swift test --filter ExportTests`")
            #expect(
                String(decoding: data, as: UTF8.self) == result.stdout,
                "roadmap plan --format \(format) for \(example) differs from \(name); if intended, re-record with `RECORD_GOLDEN=1 swift test --filter ExportTests`")
        }
    }

    // MARK: The real readers, on the examples

    @Test(.enabled(if: Reader.dot != nil, Reader.noDot), arguments: examples)
    func graphvizRendersTheDOT(example: String) throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, file) = try export(Self.exampleArguments(example), "dot", into: folder)
        let svg = folder.appendingPathComponent("plan.svg")
        let result = try Reader.run(try #require(Reader.dot), ["-Tsvg", file.path, "-o", svg.path])
        #expect(result.status == 0, "dot -Tsvg failed:\n\(result)")
        let text = try String(contentsOf: svg, encoding: .utf8)
        let facts = try facts(Self.exampleArguments(example))
        #expect(text.components(separatedBy: "class=\"node\"").count - 1 == facts.ids.count)
        #expect(text.components(separatedBy: "class=\"cluster\"").count - 1 >= 1)
    }

    @Test(.enabled(if: Reader.icalendar, Reader.noICalendar), arguments: examples)
    func icalendarReadsEveryEvent(example: String) throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, file) = try export(Self.exampleArguments(example), "ics", into: folder)
        let read = try Reader.python(Self.icalendarScript, file)
        let facts = try facts(Self.exampleArguments(example))
        let uids = try #require(read["uids"] as? [String])
        #expect(uids.count == facts.events)
        #expect(Set(uids).count == uids.count, "UIDs repeat")
        let summaries = try #require(read["summaries"] as? [String])
        #expect(Array(summaries.prefix(facts.titles.count)) == facts.titles)
        #expect(read["all_day"] as? Bool == true)
        #expect(read["ends_after_start"] as? Bool == true)
    }

    @Test(.enabled(if: Reader.python != nil, Reader.noPython), arguments: examples)
    func pythonCSVReadsEveryModule(example: String) throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, file) = try export(Self.exampleArguments(example), "csv", into: folder)
        let read = try Reader.python(Self.csvScript, file)
        let rows = try #require(read["rows"] as? [[String]])
        let facts = try facts(Self.exampleArguments(example))
        #expect(rows.count == facts.ids.count + 1)
        #expect(rows.first == ["id", "title", "package", "stage", "kind", "hours", "start_date", "end_date", "start_week", "end_week", "critical", "slack_weeks", "requires"])
        #expect(rows.dropFirst().map { $0[0] } == facts.ids)
        #expect(rows.dropFirst().map { $0[1] } == facts.titles)
        #expect(rows.allSatisfy { $0.count == 13 })
    }

    @Test(.enabled(if: Reader.chromium != nil, Reader.noChromium), arguments: examples)
    func chromiumRendersTheReport(example: String) throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, file) = try export(Self.exampleArguments(example), "html", into: folder)
        try expectChromiumRenders(file, in: folder)
    }

    /// Renders `file` with headless Chromium and checks that it wrote a PNG.
    private func expectChromiumRenders(_ file: URL, in folder: URL, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let png = folder.appendingPathComponent("screenshot.png")
        let result = try Reader.run(try #require(Reader.chromium), [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--user-data-dir=" + folder.appendingPathComponent("chromium-profile").path,
            "--screenshot=" + png.path, "--window-size=1280,2000", file.absoluteString,
        ])
        #expect(result.status == 0, "chromium failed:\n\(result)", sourceLocation: sourceLocation)
        let data = try #require(FileManager.default.contents(atPath: png.path), "chromium wrote no screenshot:\n\(result)", sourceLocation: sourceLocation)
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "the screenshot is not a PNG", sourceLocation: sourceLocation)
        #expect(data.count > 10_000, "the screenshot is nearly empty (\(data.count) bytes)", sourceLocation: sourceLocation)
    }

    @Test(.enabled(if: Reader.python != nil, Reader.noPython), arguments: examples)
    func reportSVGsAreWellFormedXML(example: String) throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, file) = try export(Self.exampleArguments(example), "html", into: folder)
        let read = try Reader.python(Self.svgScript, file)
        #expect(read["svgs"] as? Int ?? 0 >= 2)
    }

    // MARK: Hostile text

    /// The texts of the fixture that try to break out of a format.
    static let hostile = [
        "<img src=x onerror=alert(1)>", "\"; DROP TABLE modules; --", "=cmd|' /C calc'!A0", "a]b[c", "x\"y\\z",
        "two\nlines, commas; semicolons", "<script>alert(\"name\")</script>",
    ]

    @Test func hostileTextStaysText() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = try RoadmapBinary.locate()
        let facts = try facts(Self.hostileArguments)
        #expect(facts.titles.contains("<img src=x onerror=alert(1)>"), "the fixture did not plan its hostile modules")
        var outputs: [String: (text: String, file: URL)] = [:]
        for format in Self.formats {
            outputs[format] = try export(Self.hostileArguments, format, into: folder)
            // --output writes the same bytes as standard output.
            let written = folder.appendingPathComponent("written.\(format)")
            let result = try binary.run(Self.hostileArguments + ["--format", format, "--output", written.path])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(FileManager.default.contents(atPath: written.path) == Data(outputs[format]!.text.utf8), "--output \(format) differs from stdout")
        }

        // HTML: every text escaped, nothing to run.
        let html = try #require(outputs["html"]).text
        for raw in ["<img", "<script", "</style><", "href=\"javascript:"] {
            #expect(!html.contains(raw), "the HTML report holds a raw \(raw)")
        }
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("Eve &lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; &amp; &quot;co&quot;"))
        #expect(html.contains("href=\"https://example.com/?q=&quot;&gt;&lt;img src=x onerror=alert(2)&gt;&amp;x=1\""))
        let htmlFile = try #require(outputs["html"]).file
        if Reader.python != nil {
            let read = try Reader.python(Self.svgScript, htmlFile)
            let texts = try #require(read["texts"] as? [String])
            #expect(texts.contains("<img src=x onerror=alert(1)>"), "the SVG does not show the hostile title as text")
        }
        if Reader.chromium != nil { try expectChromiumRenders(htmlFile, in: folder) }

        // Mermaid: labels hold no quote or angle bracket that could end them or start markup.
        let mermaid = try #require(outputs["mermaid"]).text
        for line in mermaid.split(separator: "\n") where line.contains("[\"") {
            let label = line.drop { $0 != "[" }.dropFirst(2).dropLast(2)
            #expect(!label.contains("\"") && !label.contains("<") && !label.contains(">"), "raw text in a Mermaid label: \(line)")
            #expect(line.hasSuffix("\"]"))
        }
        #expect(mermaid.contains("#lt;img src=x onerror=alert(1)#gt;"))

        // DOT: Graphviz reads it, with one node per module.
        let dot = try #require(outputs["dot"])
        #expect(dot.text.contains("label=\"x\\\"y\\\\z\\n"))
        if let program = Reader.dot {
            let svg = folder.appendingPathComponent("graph.svg")
            let result = try Reader.run(program, ["-Tsvg", dot.file.path, "-o", svg.path])
            #expect(result.status == 0, "dot -Tsvg failed on the hostile graph:\n\(result)")
            let text = try String(contentsOf: svg, encoding: .utf8)
            #expect(text.components(separatedBy: "class=\"node\"").count - 1 == facts.ids.count)
            #expect(!text.contains("<img"))
        }

        // CSV: formulas neutralised, every other text read back as it was.
        let csv = try #require(outputs["csv"])
        if Reader.python != nil {
            let read = try Reader.python(Self.csvScript, csv.file)
            let rows = try #require(read["rows"] as? [[String]])
            #expect(rows.count == facts.ids.count + 1)
            let titles = rows.dropFirst().map { $0[1] }
            #expect(titles.contains("'=cmd|' /C calc'!A0"))
            #expect(titles.contains("x\"y\\z"))
            #expect(titles.contains("two\nlines, commas; semicolons"))
            for row in rows { for cell in row { #expect(!(cell.first.map { "=+-@\t\r".contains($0) } ?? false), "formula cell \(cell)") } }
        }
        #expect(!csv.text.contains("\n=cmd"))

        // ICS: icalendar reads every event back with the exact texts.
        let calendar = try #require(outputs["ics"])
        if Reader.icalendar {
            let read = try Reader.python(Self.icalendarScript, calendar.file)
            let summaries = try #require(read["summaries"] as? [String])
            #expect(summaries.count == facts.events)
            #expect(Array(summaries.prefix(facts.titles.count)) == facts.titles)
            #expect(read["name"] as? String == "Study plan for Eve <script>alert(\"name\")</script> & \"co\"")
            let descriptions = try #require(read["descriptions"] as? [String])
            #expect(descriptions[0].contains("- line one\nline two, with a comma; and a semicolon\n"))
            #expect(descriptions[0].contains("Evidence: @evidence\\with\\backslashes"))
        }
        let ics = calendar.text
        for line in ics.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75, "unfolded line: \(line)") }
        #expect(!ics.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "a bare line feed in the calendar")
    }
}
