import Dispatch
import Foundation
import RoadmapKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `roadmap checkin`, `roadmap status` and replanning with `roadmap plan`, run as the built executable on a
/// copy of the example profile `examples/engineer-biomedical-equity.yaml` (Ada), one temporary folder per
/// test. Fixture journals live in `Fixtures/<test name>/`.
@Suite("roadmap checkin and status", .serialized, .timeLimit(.minutes(3)))
struct CheckinCommandTests {
    static let packageRoot = RoadmapBinary.packageRoot
    static let header = "# Progress journal: one entry per check-in, appended by 'roadmap checkin'.\n"

    /// A temporary folder with `ada.yaml` and, from the fixture folder, its files.
    struct Workspace {
        var folder: URL
        var profile: String { folder.appendingPathComponent("ada.yaml").path }
        var journal: String { folder.appendingPathComponent("ada.progress.yaml").path }

        func journalBytes() throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: journal))) }
        func journalText() throws -> String { String(decoding: try journalBytes(), as: UTF8.self) }
        func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() }
        func parse() throws -> JournalFile { JournalStore.parse(try journalBytes(), file: "ada.progress.yaml") }
        func remove() {
            chmod(journal, 0o644)
            try? FileManager.default.removeItem(at: folder)
        }
    }

    private func workspace(fixture: String? = nil) throws -> Workspace {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("roadmap-checkin-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.packageRoot.appendingPathComponent("examples/engineer-biomedical-equity.yaml"),
            to: folder.appendingPathComponent("ada.yaml"))
        if let fixture {
            let source = Self.packageRoot.appendingPathComponent("Tests/RoadmapEndToEndTests/Fixtures/\(fixture)")
            let names = try FileManager.default.contentsOfDirectory(atPath: source.path)
            #expect(!names.isEmpty, "fixture folder \(fixture) is empty")
            for name in names {
                try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: folder.appendingPathComponent(name))
            }
        }
        return Workspace(folder: folder)
    }

    /// Runs `roadmap` in the workspace, so that paths print relative to it.
    private func roadmap(
        _ arguments: [String], in workspace: Workspace, environment: [String: String] = [:]
    ) throws -> RoadmapBinary.Result {
        try RoadmapBinary.locate().run(arguments, currentDirectory: workspace.folder, environment: environment)
    }

    private func json(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(text)", sourceLocation: sourceLocation)
    }

    // MARK: Check in, see it in the status, replan

    @Test func checkinAppendsStatusShowsItAndPlanReplans() throws {
        let ws = try workspace()
        defer { ws.remove() }

        var result = try roadmap(
            ["checkin", "--profile", "ada.yaml", "--module", "causal-inference", "--hours", "3", "--status", "started",
             "--note", "Read chapter 1: \"potential outcomes\"", "--date", "2027-01-10"], in: ws)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "Checked in ml-research-fellow/causal-inference: 3 h, started on 2027-01-10 in ada.progress.yaml.\n")
        #expect(result.stderr.isEmpty, "\(result)")
        #expect(try ws.journalText() == Self.header + """
            - at: 2027-01-10
              module: ml-research-fellow/causal-inference
              status: started
              hours: 3
              note: "Read chapter 1: \\"potential outcomes\\""

            """)

        result = try roadmap(
            ["checkin", "--profile", "ada.yaml", "--module", "ml-research-fellow/experiment-design", "--status", "done",
             "--hours", "12.5", "--evidence", "https://github.com/ada/experiments", "--date", "2027-01-14"], in: ws)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "Checked in ml-research-fellow/experiment-design: 12.5 h, done on 2027-01-14 in ada.progress.yaml.\n")
        // An old alias is accepted and recorded by its current id.
        result = try roadmap(["checkin", "--profile", "ada.yaml", "--module", "lin-alg", "--hours", "1", "--date", "2027-01-15"], in: ws)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "Checked in ml-research-fellow/linear-algebra: 1 h on 2027-01-15 in ada.progress.yaml.\n")

        let file = try ws.parse()
        #expect(file.diagnostics.isEmpty)
        #expect(file.journal.entries.map(\.module.value) == [
            "ml-research-fellow/causal-inference", "ml-research-fellow/experiment-design", "ml-research-fellow/linear-algebra",
        ])
        #expect(file.journal.entries.map(\.note) == ["Read chapter 1: \"potential outcomes\"", nil, nil])
        #expect(file.journal.entries.map(\.evidence) == [nil, "https://github.com/ada/experiments", nil])
        #expect(file.journal.entries.map(\.hours) == [3, 12.5, 1])

        // Status shows it.
        result = try roadmap(["status", "--profile", "ada.yaml", "--today", "2027-01-20"], in: ws)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        #expect(result.stdout.hasPrefix("Status for Ada on Wed 20 Jan 2027\n"), "\(result)")
        #expect(result.stdout.contains("In progress\n  ml-research-fellow/causal-inference"), "\(result)")
        #expect(result.stdout.contains("Last check-in  Fri 15 Jan 2027\n"), "\(result)")
        #expect(result.stdout.contains(/\n  Overall +\[[#.]{20}\] +\d+%  1\/\d+ done, 1 going/), "\(result)")
        #expect(!result.stdout.contains("\u{1B}"))

        result = try roadmap(["status", "--profile", "ada.yaml", "--today", "2027-01-20", "--format", "json"], in: ws)
        #expect(result.status == 0, "\(result)")
        let status = try json(result.stdout)
        let totals = try #require(status["totals"] as? [String: Any])
        #expect(totals["modules_done"] as? Int == 1)
        #expect(totals["modules_in_progress"] as? Int == 1)
        #expect(status["in_progress"] as? [String] == ["ml-research-fellow/causal-inference"])
        #expect((status["next"] as? [String])?.contains("ml-research-fellow/experiment-design") == false)
        #expect(status["last_checkin"] as? String == "2027-01-15")

        // The plan replans from this week: the done module is gone, the one in progress comes first.
        result = try roadmap(["plan", "--profile", "ada.yaml", "--today", "2027-01-20", "--format", "json"], in: ws)
        #expect(result.status == 0, "\(result)")
        let plan = try json(result.stdout)
        let summary = try #require(plan["summary"] as? [String: Any])
        let moved = try #require(summary["moved_modules"] as? Int, "summary.moved_modules is missing: \(summary)")
        #expect(moved >= 0)
        let items = try #require(plan["items"] as? [[String: Any]])
        let ids = items.compactMap { $0["id"] as? String }
        #expect(!ids.contains("ml-research-fellow/experiment-design"))
        #expect(ids.first == "ml-research-fellow/causal-inference")
        #expect(items.first?["in_progress"] as? Bool == true)
        #expect(items.first?["logged_hours"] as? Double == 3)
        #expect(items.first?["start_date"] as? String == "2027-01-18", "week 3 of a plan that starts on Mon 4 Jan")

        // The same profile without a journal: the baseline, one module more and no moves to report.
        try FileManager.default.copyItem(atPath: ws.profile, toPath: ws.folder.appendingPathComponent("fresh.yaml").path)
        result = try roadmap(["plan", "--profile", "fresh.yaml", "--today", "2027-01-20", "--format", "json"], in: ws)
        #expect(result.status == 0, "\(result)")
        let baseline = try #require(try json(result.stdout)["summary"] as? [String: Any])
        #expect(baseline["moved_modules"] == nil)
        #expect((baseline["modules"] as? Int).map { $0 - 1 } == summary["modules"] as? Int)
    }

    @Test func anUnknownModuleIsABadUsageWithDidYouMean() throws {
        let ws = try workspace()
        defer { ws.remove() }
        var result = try roadmap(
            ["checkin", "--profile", "ada.yaml", "--module", "ml-research-fellow/causal-inferenc", "--hours", "1"], in: ws)
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("unknown module 'ml-research-fellow/causal-inferenc'"), "\(result)")
        #expect(result.stderr.contains("[unknown-module]"), "\(result)")
        #expect(result.stderr.contains("did you mean 'ml-research-fellow/causal-inference'"), "\(result)")
        #expect(result.stdout.isEmpty)
        result = try roadmap(["checkin", "--profile", "ada.yaml", "--module", "experiment-desing", "--hours", "1"], in: ws)
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("did you mean 'ml-research-fellow/experiment-design'"), "\(result)")
        #expect(try ws.files() == ["ada.yaml"], "no journal was created")
    }

    @Test(arguments: [
        ["--module", "causal-inference", "--hours", "-1"],
        ["--module", "causal-inference", "--hours", "169"],
        ["--module", "causal-inference", "--status", "finished"],
        ["--module", "causal-inference"],
        ["--hours", "1"],
        ["--module", "causal-inference", "--hours", "1", "--date", "2027-02-30"],
        ["--repair", "--module", "causal-inference"],
    ])
    func badArgumentsAreUsageErrors(arguments: [String]) throws {
        let ws = try workspace()
        defer { ws.remove() }
        let result = try roadmap(["checkin", "--profile", "ada.yaml"] + arguments, in: ws)
        #expect(result.status == 64, "\(result)")
        #expect(!result.stderr.isEmpty)
        #expect(try ws.files() == ["ada.yaml"], "no journal was created")
    }

    // MARK: Concurrency and crashes

    @Test func twentyCheckinsStartedAtOnceLeaveTwentyEntries() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let binary = try RoadmapBinary.locate().url.path
        let environment = ChildProcess.environment()
        var children: [(pid: pid_t, note: String, stderr: String)] = []
        for index in 0..<20 {
            let note = "parallel \(index)"
            let stderr = ws.folder.appendingPathComponent("stderr-\(index).txt").path
            let pid = try ChildProcess.spawn(
                binary,
                ["checkin", "--profile", ws.profile, "--module", "ml-research-fellow/causal-inference", "--hours", "1",
                 "--note", note, "--date", "2027-01-10"],
                environment: environment, stderr: stderr)
            children.append((pid, note, stderr))
        }
        for child in children {
            let outcome = ChildProcess.wait(child.pid)
            #expect(outcome == .exited(0), "\(child.note): \(outcome)\n\((try? String(contentsOfFile: child.stderr, encoding: .utf8)) ?? "")")
        }
        let text = try ws.journalText()
        #expect(text.hasPrefix(Self.header))
        #expect(text.components(separatedBy: "# Progress journal").count == 2, "the header is written once")
        let file = try ws.parse()
        #expect(file.diagnostics.isEmpty, "\(DiagnosticRenderer().render(file.diagnostics))")
        #expect(file.journal.entries.count == 20)
        #expect(Set(file.journal.entries.compactMap(\.note)) == Set(children.map(\.note)))
    }

    /// Starts `roadmap checkin` over and over and kills it with SIGKILL at a random moment. Even-numbered runs
    /// are killed 0-30 ms after they start; odd-numbered runs 0-30 ms after a head start that follows the
    /// boundary between killed and finished runs, so that those kills land around the append itself.
    @Test func checkinsKilledAtRandomMomentsLoseNothingThatWasConfirmed() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let binary = try RoadmapBinary.locate().url.path
        let environment = ChildProcess.environment()
        let stderr = ws.folder.appendingPathComponent("stderr.txt").path
        let began = Date()
        let seed = UInt64(began.timeIntervalSince1970 * 1000)
        var random = SplitMix64(seed: seed)
        func arguments(_ note: String) -> [String] {
            ["checkin", "--profile", ws.profile, "--module", "ml-research-fellow/causal-inference", "--hours", "0.5",
             "--note", note, "--date", "2027-01-10"]
        }

        // Calibration: how long a whole check-in takes here, now.
        var confirmed: [String] = []
        var durations: [Double] = []
        for index in 0..<3 {
            let note = "calibration \(index)"
            let start = Date()
            let pid = try ChildProcess.spawn(binary, arguments(note), environment: environment, stderr: stderr)
            let outcome = ChildProcess.wait(pid)
            durations.append(Date().timeIntervalSince(start))
            try #require(outcome == .exited(0), "\(outcome): \((try? String(contentsOfFile: stderr, encoding: .utf8)) ?? "")")
            confirmed.append(note)
        }
        var headStart = max(0, durations.sorted()[1] - 0.025)

        let runs = 240
        var killed = 0
        var unexpected: [String] = []
        var all = Set(confirmed)
        for index in 0..<runs {
            let note = "kill \(index)"
            all.insert(note)
            let aimed = index % 2 == 1
            let delay = (aimed ? headStart : 0) + Double(random.next() % 30_001) / 1_000_000
            let pid = try ChildProcess.spawn(binary, arguments(note), environment: environment, stderr: stderr)
            usleep(useconds_t(delay * 1_000_000))
            kill(pid, SIGKILL)
            switch ChildProcess.wait(pid) {
            case .exited(0):
                confirmed.append(note)
                if aimed { headStart = max(0, headStart - 0.002) }
            case .signalled(SIGKILL):
                killed += 1
                if aimed { headStart += 0.002 }
            case let other:
                unexpected.append("\(note) after \(Int(delay * 1000)) ms: \(other): \((try? String(contentsOfFile: stderr, encoding: .utf8)) ?? "")")
            }
            if unexpected.count > 3 { break }
        }
        let elapsed = Date().timeIntervalSince(began)
        #expect(unexpected.isEmpty, "runs that neither finished nor were killed (seed \(seed)):\n\(unexpected.joined(separator: "\n"))")
        #expect(killed > 0, "no run was killed: the loop tested nothing")
        #expect(confirmed.count > 3, "no run of the loop finished before its kill (head start \(headStart) s)")

        var file = try ws.parse()
        if file.tornTail != nil {
            // At worst a torn final entry, which --repair moves aside.
            let repaired = try roadmap(["checkin", "--profile", "ada.yaml", "--repair"], in: ws)
            #expect(repaired.status == 0, "\(repaired)")
            file = try ws.parse()
        }
        #expect(file.diagnostics.isEmpty, "seed \(seed): \(DiagnosticRenderer().render(file.diagnostics))")
        let notes = file.journal.entries.compactMap(\.note)
        let missing = confirmed.filter { !notes.contains($0) }
        #expect(missing.isEmpty, "confirmed check-ins missing from the journal (seed \(seed)): \(missing)")
        #expect(Set(notes).count == notes.count, "an entry was written twice")
        #expect(notes.allSatisfy(all.contains))
        #expect(file.journal.entries.count == notes.count)
        #expect(try roadmap(["status", "--profile", "ada.yaml", "--today", "2027-01-20"], in: ws).status == 0)
        #expect(elapsed < 60, "the kill loop took \(elapsed) s")
        print(
            "kill loop: \(runs) runs in \(String(format: "%.1f", elapsed)) s; \(confirmed.count - 3) finished before the kill, "
                + "\(killed) killed; \(notes.count) entries; median check-in \(Int(durations.sorted()[1] * 1000)) ms; seed \(seed)")
    }

    // MARK: A journal that must not be touched

    @Test func corruptJournalIsRefusedAndLeftUntouched() throws {
        let ws = try workspace(fixture: "corruptJournalIsRefusedAndLeftUntouched")
        defer { ws.remove() }
        let before = try ws.journalBytes()
        let result = try roadmap(
            ["checkin", "--profile", "ada.yaml", "--module", "causal-inference", "--hours", "1", "--date", "2027-01-20"], in: ws)
        #expect(result.status == 65, "\(result)")
        #expect(result.stderr.contains(/(?m)^ada\.progress\.yaml:9:\d+: error: .+ \[syntax\]$/), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(try ws.journalBytes() == before, "the journal changed")
        #expect(try ws.files() == ["ada.progress.yaml", "ada.yaml"])
        // Repair does not touch it either: its problem is not a torn last entry.
        let repair = try roadmap(["checkin", "--profile", "ada.yaml", "--repair"], in: ws)
        #expect(repair.status == 65, "\(repair)")
        #expect(try ws.journalBytes() == before, "the journal changed")
        #expect(try ws.files() == ["ada.progress.yaml", "ada.yaml"])
        // Status reports the same place.
        let status = try roadmap(["status", "--profile", "ada.yaml", "--today", "2027-01-20"], in: ws)
        #expect(status.status == 65, "\(status)")
        #expect(status.stderr.contains(/(?m)^ada\.progress\.yaml:9:\d+: error: .+ \[syntax\]$/), "\(status)")
    }

    @Test func readOnlyJournalIsAClearErrorAndUnchanged() throws {
        let ws = try workspace()
        defer { ws.remove() }
        var result = try roadmap(
            ["checkin", "--profile", "ada.yaml", "--module", "causal-inference", "--hours", "1", "--date", "2027-01-10"], in: ws)
        try #require(result.status == 0, "\(result)")
        #expect(chmod(ws.journal, 0o444) == 0)
        let before = try ws.journalBytes()
        result = try roadmap(
            ["checkin", "--profile", "ada.yaml", "--module", "causal-inference", "--hours", "2", "--date", "2027-01-11"], in: ws)
        #expect(result.status == 73, "\(result)")
        #expect(result.stderr.contains("ada.progress.yaml:1:1: error: the journal is read-only [journal-unwritable]"), "\(result)")
        #expect(result.stderr.contains("chmod"), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(try ws.journalBytes() == before)
        // Reading it is fine.
        let status = try roadmap(["status", "--profile", "ada.yaml", "--today", "2027-01-20"], in: ws)
        #expect(status.status == 0, "\(status)")
    }

    @Test func aHeldLockGivesExit75WithAMessage() throws {
        let ws = try workspace()
        defer { ws.remove() }
        var result = try roadmap(
            ["checkin", "--profile", "ada.yaml", "--module", "causal-inference", "--hours", "1", "--date", "2027-01-10"], in: ws)
        try #require(result.status == 0, "\(result)")
        let before = try ws.journalBytes()
        let holder = open(ws.journal, O_RDWR | O_CLOEXEC)
        try #require(holder >= 0)
        defer { close(holder) }
        try #require(flock(holder, LOCK_EX) == 0)
        let started = Date()
        result = try roadmap(
            ["checkin", "--profile", "ada.yaml", "--module", "causal-inference", "--hours", "2", "--date", "2027-01-11"], in: ws,
            environment: ["ROADMAP_LOCK_TIMEOUT": "0.3"])
        let waited = Date().timeIntervalSince(started)
        #expect(result.status == 75, "\(result)")
        #expect(result.stderr.contains("the journal is locked by another check-in [journal-locked]"), "\(result)")
        #expect(result.stderr.contains("try again"), "\(result)")
        #expect(waited >= 0.3, "gave up after \(waited) s")
        #expect(try ws.journalBytes() == before)
        // Released, the next check-in goes through.
        flock(holder, LOCK_UN)
        result = try roadmap(
            ["checkin", "--profile", "ada.yaml", "--module", "causal-inference", "--hours", "2", "--date", "2027-01-11"], in: ws,
            environment: ["ROADMAP_LOCK_TIMEOUT": "0.3"])
        #expect(result.status == 0, "\(result)")
        #expect(try ws.parse().journal.entries.count == 2)
    }

    @Test func repairMovesATornEntryIntoABackup() throws {
        let ws = try workspace(fixture: "repairMovesATornEntryIntoABackup")
        defer { ws.remove() }
        let original = try ws.journalBytes()
        let text = String(decoding: original, as: UTF8.self)
        let tornOffset = text.utf8.distance(from: text.startIndex, to: text.range(of: "- at: 2027-01-12")!.lowerBound)

        // A check-in refuses the torn journal, says where and what to do, and leaves it as it was.
        var result = try roadmap(
            ["checkin", "--profile", "ada.yaml", "--module", "causal-inference", "--hours", "1", "--date", "2027-01-20"], in: ws)
        #expect(result.status == 65, "\(result)")
        #expect(
            result.stderr.contains("ada.progress.yaml:6:1: error: the last check-in is incomplete, as if a write was cut short [journal-torn]"),
            "\(result)")
        #expect(result.stderr.contains("--repair"), "\(result)")
        #expect(try ws.journalBytes() == original)

        // Status warns and counts the entries before it.
        result = try roadmap(["status", "--profile", "ada.yaml", "--today", "2027-01-20", "--format", "json"], in: ws)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("ada.progress.yaml:6:1: warning:"), "\(result)")
        #expect(try json(result.stdout)["last_checkin"] as? String == "2027-01-10")

        // Repair moves it aside.
        result = try roadmap(["checkin", "--profile", "ada.yaml", "--repair"], in: ws)
        #expect(result.status == 0, "\(result)")
        let match = try #require(
            result.stdout.wholeMatch(of: /Moved the torn last entry of ada\.progress\.yaml into (ada\.progress\.yaml\.torn-\d{8}T\d{6}Z)\.\n/),
            "\(result)")
        let backup = ws.folder.appendingPathComponent(String(match.1)).path
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: backup))) == Array(original[tornOffset...]))
        #expect(try ws.journalBytes() == Array(original[..<tornOffset]))
        let file = try ws.parse()
        #expect(file.diagnostics.isEmpty && file.tornTail == nil)
        #expect(file.journal.entries.count == 1)

        // Nothing more to repair, and check-ins work again.
        result = try roadmap(["checkin", "--profile", "ada.yaml", "--repair"], in: ws)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "ada.progress.yaml has no torn entry; nothing to repair.\n")
        result = try roadmap(
            ["checkin", "--profile", "ada.yaml", "--module", "causal-inference", "--hours", "1", "--date", "2027-01-20"], in: ws)
        #expect(result.status == 0, "\(result)")
        #expect(try ws.parse().journal.entries.count == 2)
    }

    /// A final entry typed by hand, whole (it ends with a line break) but with negative hours: the journal
    /// reader is strict about negative hours, with a located diagnostic, wherever the entry is.
    @Test func invalidFinalEntryIsAnErrorNotATornWarning() throws {
        let ws = try workspace(fixture: "invalidFinalEntryIsAnErrorNotATornWarning")
        defer { ws.remove() }
        let before = try ws.journalText()
        let status = try roadmap(["status", "--profile", "ada.yaml", "--today", "2027-01-20"], in: ws)
        #expect(status.status == 65, "\(status)")
        #expect(status.stderr.contains("ada.progress.yaml:9:10: error: 'hours' must not be negative, found -3 [invalid-hours]"), "\(status)")
        let repair = try roadmap(["checkin", "--profile", "ada.yaml", "--repair"], in: ws)
        let after = try ws.journalText(), files = try ws.files()
        #expect(repair.status == 65, "\(repair)")
        #expect(after == before)
        #expect(files == ["ada.progress.yaml", "ada.yaml"])
    }

    // MARK: Status output

    @Test func statusJSONHasTheDocumentedKeys() throws {
        let ws = try workspace(fixture: "statusJSONHasTheDocumentedKeys")
        defer { ws.remove() }
        let result = try roadmap(["status", "--profile", "ada.yaml", "--today", "2027-02-01", "--format", "json"], in: ws)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let status = try json(result.stdout)
        for key in ["stages", "plugins", "totals", "forecast", "next", "last_checkin", "pace_hours_per_week", "pace_source",
                    "weeks_ahead", "expected_hours", "in_progress", "stale", "today", "deadline"] {
            #expect(status[key] != nil, "no '\(key)' in \(status.keys.sorted())")
        }
        let stages = try #require(status["stages"] as? [[String: Any]])
        #expect(stages.compactMap { $0["id"] as? String } == ["scientist", "fellow"])
        for group in stages {
            for key in ["title", "modules_done", "modules_in_progress", "modules_left", "hours_done", "hours_total"] {
                #expect(group[key] != nil, "no '\(key)' in a stage")
            }
        }
        let plugins = try #require(status["plugins"] as? [[String: Any]])
        #expect(Set(plugins.compactMap { $0["id"] as? String }).isSuperset(of: ["biomedical-ai", "health-equity"]))
        let healthEquity = try #require(plugins.first { $0["id"] as? String == "health-equity" })
        #expect(healthEquity["hours_done"] as? Double == 5)
        #expect(healthEquity["modules_in_progress"] as? Int == 1)
        #expect(["date", "no-pace", "finished", "too-long"].contains(status["forecast"] as? String ?? ""))
        #expect(status["pace_source"] as? String == "journal", "24 days of check-ins")
        #expect(status["last_checkin"] as? String == "2027-01-27")
        #expect(status["today"] as? String == "2027-02-01")
        let next = try #require(status["next"] as? [String])
        #expect(!next.isEmpty)
        #expect(!next.contains("ml-research-fellow/experiment-design"))
        #expect(Set(status["in_progress"] as? [String] ?? []) == ["ml-research-fellow/causal-inference", "health-equity/bias-mitigation"])
        if status["forecast"] as? String == "date" {
            let finish = try #require(status["forecast_finish_date"] as? String)
            #expect(finish >= "2027-02-01")
        }
    }

    @Test func statusTextHonoursNoColorAndIsPlainOffATerminal() throws {
        let ws = try workspace(fixture: "statusJSONHasTheDocumentedKeys")
        defer { ws.remove() }
        let binary = try RoadmapBinary.locate().url.path
        let arguments = ["status", "--profile", ws.profile, "--today", "2027-02-01"]

        // On a terminal without NO_COLOR: colour, so the test can see it.
        let coloured = try ChildProcess.runOnTerminal(binary, arguments, environment: ChildProcess.environment(noColor: nil))
        #expect(coloured.outcome == .exited(0))
        #expect(coloured.output.contains("\u{1B}["), "no colour on a terminal: \(coloured.output)")
        #expect(coloured.output.contains("Status for Ada"))

        // On a terminal with NO_COLOR=1: no escape at all, and still the terminal's block bars.
        let noColor = try ChildProcess.runOnTerminal(binary, arguments, environment: ChildProcess.environment(noColor: "1"))
        #expect(noColor.outcome == .exited(0))
        #expect(!noColor.output.contains("\u{1B}"), "NO_COLOR=1 on a terminal: \(noColor.output.debugDescription)")
        #expect(noColor.output.contains("Status for Ada"))
        #expect(noColor.output.contains("░") || noColor.output.contains("█"))

        // Not on a terminal, NO_COLOR unset: plain text and ASCII bars.
        let outputPath = ws.folder.appendingPathComponent("status.txt").path
        let pid = try ChildProcess.spawn(binary, arguments, environment: ChildProcess.environment(noColor: nil), stdout: outputPath)
        #expect(ChildProcess.wait(pid) == .exited(0))
        let plain = try String(contentsOfFile: outputPath, encoding: .utf8)
        #expect(!plain.contains("\u{1B}"), "\(plain.debugDescription)")
        #expect(plain.contains(/\[[#.]{20}\]/), "\(plain)")
        #expect(plain.hasPrefix("Status for Ada on Mon 1 Feb 2027\n"))
    }
}

// MARK: - Child processes

/// Processes started with `posix_spawn` and reaped by the test itself, so that a kill always reaches the
/// process it was meant for and its exit status is known exactly.
enum ChildProcess {
    enum Outcome: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)
        var description: String {
            switch self {
            case .exited(let code): return "exit \(code)"
            case .signalled(let signal): return "killed by signal \(signal)"
            }
        }
    }

    struct SpawnFailed: Error, CustomStringConvertible {
        var errno: Int32
        var description: String { "posix_spawn failed: \(String(cString: strerror(errno)))" }
    }

    /// The test's environment without `ROADMAP_PATH`, with `NO_COLOR` as given (nil: unset).
    static func environment(noColor: String? = "1") -> [String] {
        var environment = ProcessInfo.processInfo.environment
        environment["ROADMAP_PATH"] = nil
        environment["NO_COLOR"] = noColor
        return environment.map { "\($0.key)=\($0.value)" }
    }

    /// Starts `executable` with standard input from /dev/null and its outputs to files (or /dev/null);
    /// `stdoutDescriptor` instead hands it an open descriptor.
    static func spawn(
        _ executable: String, _ arguments: [String], environment: [String], stdout: String = "/dev/null",
        stderr: String = "/dev/null", stdoutDescriptor: Int32? = nil
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let stdoutDescriptor {
            posix_spawn_file_actions_adddup2(&actions, stdoutDescriptor, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard status == 0 else { throw SpawnFailed(errno: status) }
        return pid
    }

    static func wait(_ pid: pid_t) -> Outcome {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .exited(-1) }
        }
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }

    /// Runs with standard output on a pseudo-terminal, and returns what it wrote there.
    static func runOnTerminal(_ executable: String, _ arguments: [String], environment: [String]) throws -> (outcome: Outcome, output: String) {
        // posix_openpt and friends are not imported into Swift here; /dev/ptmx and two ioctls do the same.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        try #require(master >= 0, "no pseudo-terminal: \(String(cString: strerror(errno)))")
        defer { close(master) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        let unlocked = withUnsafeMutablePointer(to: &unlock) { ioctl(master, 0x4004_5431 /* TIOCSPTLCK */, $0) }
        let numbered = withUnsafeMutablePointer(to: &number) { ioctl(master, 0x8004_5430 /* TIOCGPTN */, $0) }
        try #require(unlocked == 0 && numbered == 0, "cannot set up the pseudo-terminal: \(String(cString: strerror(errno)))")
        let name = "/dev/pts/\(number)"
        let terminal = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
        try #require(terminal >= 0)
        let collected = TerminalOutput()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                collected.append(buffer[0..<count])
            }
            done.signal()
        }
        let pid: pid_t
        do {
            pid = try spawn(executable, arguments, environment: environment, stdoutDescriptor: terminal)
        } catch {
            close(terminal)
            throw error
        }
        let outcome = wait(pid)
        close(terminal)
        _ = done.wait(timeout: .now() + 10)
        return (outcome, String(decoding: collected.bytes, as: UTF8.self))
    }
}

private final class TerminalOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [UInt8] = []
    func append(_ bytes: ArraySlice<UInt8>) {
        lock.lock()
        stored += bytes
        lock.unlock()
    }
    var bytes: [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
