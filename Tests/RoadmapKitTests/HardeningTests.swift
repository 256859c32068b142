import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import RoadmapKit

/// Regressions of the hardening work (issue 8): each found problem has a fixture in `Fixtures/Regressions/`
/// (its first lines say what went wrong) and a test here; besides, the escaping of the exports scalar by
/// scalar, and the safety of `AtomicFile`.
@Suite("Hardening: limits and regressions", .timeLimit(.minutes(2)))
struct HardeningTests {
    static let fixtures: URL? = Bundle.module.url(forResource: "Fixtures", withExtension: nil)?
        .appendingPathComponent("Regressions")

    private func document(_ name: String) throws -> YAMLDocument {
        let folder = try #require(Self.fixtures, "the test bundle holds no Fixtures folder")
        let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
        return try YAMLReader.read(bytes, file: name)
    }

    private func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    /// Quadratic work took minutes on these fixtures; linear work takes well under a second, even unoptimised.
    static let fast = 5.0

    // MARK: "Did you mean" is bounded

    @Test func unknownRequirementsStayFast() throws {
        let document = try document("unknown-requirements.yaml")
        var diagnostics = Diagnostics()
        let elapsed = try seconds {
            let package = try #require(PackageDecoder().decode(document, diagnostics: &diagnostics))
            _ = CatalogValidator(catalog: Catalog(packages: [package], files: [package.file])).validate(diagnostics: &diagnostics)
        }
        #expect(elapsed < Self.fast, "took \(elapsed) s")
        let unknown = diagnostics.errors.filter { $0.code == .unknownModule }
        #expect(unknown.count == 1_500, "every unknown requirement is still reported")
        #expect(unknown.first?.help == ["did you mean 'module-number-0' or 'module-number-1'?"], "the first ones keep their help")
        #expect(unknown.filter { !$0.help.isEmpty }.count <= Suggestions.maxDiagnosticsWithSuggestions)
    }

    @Test func unknownKeysStayFast() throws {
        let document = try document("unknown-keys.yaml")
        var diagnostics = Diagnostics()
        let elapsed = seconds { _ = PackageDecoder().decode(document, diagnostics: &diagnostics) }
        #expect(elapsed < Self.fast, "took \(elapsed) s")
        let unknown = diagnostics.errors.filter { $0.code == .unknownKey }
        #expect(unknown.count == 1_500)
        #expect(unknown.first.map { !$0.help.isEmpty } == true)
        #expect(unknown.filter { !$0.help.isEmpty }.count <= Suggestions.maxDiagnosticsWithSuggestions)
    }

    @Test func unknownJournalModulesStayFast() throws {
        let document = try document("journal-unknown-modules.yaml")
        let catalog = try PlanningTestSupport.bundledCatalog()
        var diagnostics = Diagnostics()
        let profile = Profile.standard(today: PlanningTestSupport.today)
        let composition = try #require(PlanningTestSupport.compose(catalog, profile, diagnostics: &diagnostics))
        let elapsed = seconds {
            let journal = JournalDecoder().decode(document, diagnostics: &diagnostics)
            _ = ProgressLedger(journal: journal, composition: composition, diagnostics: &diagnostics)
        }
        #expect(elapsed < Self.fast, "took \(elapsed) s")
        #expect(diagnostics.errors.filter { $0.code == .unknownModule }.count == 1_500)
    }

    /// A fuzzer finding: thousands of bad entries, each checked by counting the errors so far afresh.
    @Test func thousandsOfBadJournalEntriesStayFast() throws {
        let document = try document("journal-thousands-of-bad-entries.yaml")
        var diagnostics = Diagnostics()
        let elapsed = seconds { _ = JournalDecoder().decode(document, diagnostics: &diagnostics) }
        #expect(elapsed < 1, "took \(elapsed) s")
        #expect(diagnostics.errorCount == diagnostics.errors.count)
        #expect(diagnostics.errorCount > 3_000, "every bad entry is still reported")
    }

    @Test func profileListsAreBounded() throws {
        var diagnostics = Diagnostics()
        let tooMany = try document("profile-known-too-many.yaml")
        _ = ProfileDecoder().decode(tooMany, today: PlanningTestSupport.today, diagnostics: &diagnostics)
        let limit = try #require(diagnostics.errors.first)
        #expect(limit.code == .limitExceeded)
        #expect(limit.location == SourceLocation(file: "profile-known-too-many.yaml", line: 3, column: 8))
        #expect(limit.message == "'known' lists 10001 entries, more than the limit of 10000")

        diagnostics = Diagnostics()
        let unknown = try document("profile-known-unknown.yaml")
        let profile = try #require(ProfileDecoder().decode(unknown, today: PlanningTestSupport.today, diagnostics: &diagnostics))
        let catalog = try PlanningTestSupport.bundledCatalog()
        let composition = try #require(PlanningTestSupport.compose(catalog, profile, diagnostics: &diagnostics))
        let elapsed = seconds {
            _ = Planner(composition: composition, profile: profile, today: PlanningTestSupport.today).plan(diagnostics: &diagnostics)
        }
        #expect(elapsed < Self.fast, "took \(elapsed) s")
        #expect(diagnostics.errors.filter { $0.code == .unknownModule }.count == 1_500)
    }

    @Test func stagesAndAliasesAreBounded() throws {
        var diagnostics = Diagnostics()
        _ = PackageDecoder().decode(try document("roadmap-too-many-stages.yaml"), diagnostics: &diagnostics)
        #expect(diagnostics.errors.map(\.message) == ["roadmap has 101 stages, more than the limit of 100"])
        #expect(diagnostics.errors.first?.location?.line == 6)

        diagnostics = Diagnostics()
        _ = PackageDecoder().decode(try document("module-too-many-aliases.yaml"), diagnostics: &diagnostics)
        #expect(diagnostics.errors.map(\.message) == ["module has 101 aliases, more than the limit of 100"])
        #expect(diagnostics.errors.first?.code == .limitExceeded)
    }

    @Test func plansEndBeforeTheYear10000() throws {
        var diagnostics = Diagnostics()
        let profile = try #require(ProfileDecoder().decode(
            try document("profile-ends-after-9999.yaml"), today: PlanningTestSupport.today, diagnostics: &diagnostics))
        let catalog = try PlanningTestSupport.bundledCatalog()
        let composition = try #require(PlanningTestSupport.compose(catalog, profile, diagnostics: &diagnostics))
        let plan = Planner(composition: composition, profile: profile, today: PlanningTestSupport.today).plan(diagnostics: &diagnostics)
        #expect(plan == nil)
        let error = try #require(diagnostics.errors.first)
        #expect(error.code == .limitExceeded)
        #expect(error.message.hasPrefix("the plan would end on 10"), "\(error.message)")
        #expect(error.location == SourceLocation(file: "profile-ends-after-9999.yaml", line: 6, column: 8))
    }

    /// The limits of `docs/security.md` that the corpus cannot reach with a small file.
    @Test func packageAndJournalSizesAreBounded() throws {
        var limits = CatalogLimits()
        limits.maxModulesPerPackage = 3
        let text = "roadmap: r\ntitle: R\nversion: 1.0.0\nstages: [{id: s, title: S}]\nmodules:\n"
            + (0..<4).map { "  - {id: m\($0), title: M, stage: s, hours: 1}\n" }.joined()
        var diagnostics = Diagnostics()
        let package = PackageDecoder(limits: limits).decode(try YAMLReader.read(Array(text.utf8), file: "r.yaml"), diagnostics: &diagnostics)
        #expect(package == nil)
        #expect(diagnostics.errors.map(\.message) == ["roadmap has 4 modules, more than the limit of 3"])
        #expect(diagnostics.errors.first?.location == SourceLocation(file: "r.yaml", line: 6, column: 3))

        let entries = JournalDecoder.maxEntries + 1
        let journal = try YAMLReader.read(Array(String(repeating: "- x\n", count: entries).utf8), file: "j.yaml")
        diagnostics = Diagnostics()
        #expect(JournalDecoder().decode(journal, diagnostics: &diagnostics).entries.isEmpty)
        #expect(diagnostics.errors.map(\.message) == ["journal has \(entries) entries, more than the limit of \(JournalDecoder.maxEntries)"])
        #expect(diagnostics.errors.first?.location == SourceLocation(file: "j.yaml", line: 1, column: 1))
    }

    // MARK: Suggestions: the shortcuts change no answer

    /// The suggestions as they were worked out before the shortcuts (no length check, every candidate compared).
    private func reference(_ text: String, _ candidates: [String], limit: Int) -> [String] {
        let lowered = text.lowercased()
        var scored: [(Int, String)] = []
        for candidate in candidates where candidate != text {
            let distance = Suggestions.editDistance(lowered, candidate.lowercased())
            let threshold = max(1, min(lowered.count, candidate.count) / 3)
            if distance <= threshold {
                scored.append((distance, candidate))
            } else if Suggestions.isAbbreviation(lowered, of: candidate) || Suggestions.isTail(lowered, of: candidate) {
                scored.append((threshold + 1, candidate))
            }
        }
        scored.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        return scored.prefix(limit).map(\.1)
    }

    @Test func suggestionsAreTheSameWithTheShortcuts() throws {
        let catalog = try PlanningTestSupport.bundledCatalog()
        let ids = catalog.packages.flatMap { package in package.modules.map { "\(package.name)/\($0.id.name)" } }
        let names = catalog.packages.flatMap { $0.modules.map(\.id.name) }
        var generator = Xoshiro(seed: 8)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz-/é")
        for round in 0..<150 {
            // A real id with a few edits, or a string of any length.
            var text: [Character]
            if round % 2 == 0, let base = (round % 4 == 0 ? ids : names).randomElement(using: &generator) {
                text = Array(base)
                for _ in 0..<Int.random(in: 0...4, using: &generator) where !text.isEmpty {
                    let position = Int.random(in: 0..<text.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: text.remove(at: position)
                    case 1: text.insert(alphabet.randomElement(using: &generator)!, at: position)
                    default: text[position] = alphabet.randomElement(using: &generator)!
                    }
                }
            } else {
                text = (0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            }
            let word = String(text)
            for candidates in [ids, names] {
                #expect(Suggestions.closest(to: word, among: candidates, limit: 2) == reference(word, candidates, limit: 2), "\(word)")
            }
        }
    }

    @Test func aHugeUnknownNameIsQuick() throws {
        let catalog = try PlanningTestSupport.bundledCatalog()
        let ids = catalog.packages.flatMap { package in package.modules.map { "\(package.name)/\($0.id.name)" } }
        let huge = String(repeating: "linear-algebra-", count: 4_000)
        let elapsed = seconds { _ = Suggestions.closest(to: huge, among: ids, limit: 2) }
        #expect(elapsed < 1, "took \(elapsed) s")
    }

    // MARK: Escaping, scalar by scalar

    /// A combining mark joins the character before it into one `Character`; escaping by `Character` then let
    /// `|`, `"` and `\r\n` through unescaped.
    @Test func markdownCellsEscapeEveryScalar() {
        let cell = PlanMarkdownRenderer.cell("a|\u{301}b\r\nc`\u{301}\u{1B}[2Jd")
        #expect(cell == "a\\|\u{301}b  c\\`\u{301}\\[2Jd")
        #expect(PluginDocGenerator.cell("x|\u{301}y") == "x\\|\u{301}y")
        #expect(PluginDocGenerator.text("a\r\nb\u{7}") == "a  b")
        #expect(PluginDocGenerator.mermaid("\"\u{301}x\r\n") == "#quot;\u{301}x  ")
    }

    @Test func csvFieldsQuoteEveryQuoteAndDropControls() {
        #expect(PlanCSVRenderer.field("say \"\u{301}hi") == "\"say \"\"\u{301}hi\"")
        #expect(PlanCSVRenderer.field("=\u{301}HYPERLINK(1)") == "'=\u{301}HYPERLINK(1)")
        #expect(PlanCSVRenderer.field("\u{1B}[31mred") == "[31mred")
        #expect(PlanCSVRenderer.field("a,\u{301}b") == "\"a,\u{301}b\"")
    }

    // MARK: AtomicFile

    private func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roadmap-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func aStaleTemporaryFileDoesNotStopAWrite() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // What a crashed earlier process with this process's id would have left.
        let stale = folder.appendingPathComponent(".out.txt.\(getpid()).tmp")
        try Data("stale".utf8).write(to: stale)
        try AtomicFile.write(Data("new".utf8), to: folder.appendingPathComponent("out.txt").path)
        #expect(try String(contentsOf: folder.appendingPathComponent("out.txt"), encoding: .utf8) == "new")
        #expect(try String(contentsOf: stale, encoding: .utf8) == "stale", "a file that is not ours is left alone")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [stale.lastPathComponent, "out.txt"])
    }

    @Test func aReadOnlyFileAnEmptyNameAndAFolderAreRefused() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("kept.txt").path
        try Data("kept".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o444)
        #expect(throws: FileWriteError.self) { try AtomicFile.write(Data("x".utf8), to: path) }
        #expect(throws: FileWriteError.self) { try AtomicFile.write(Data("x".utf8), to: "") }
        #expect(throws: FileWriteError.self) { try AtomicFile.write(Data("x".utf8), to: folder.path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "kept")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["kept.txt"])
    }

    /// Found in review: a named pipe in a catalog made every command wait forever for a writer.
    @Test func aNamedPipeWithoutAWriterReadsAsEmpty() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pipe = folder.appendingPathComponent("plugin.yaml").path
        #expect(mkfifo(pipe, 0o644) == 0)
        let start = Date()
        let bytes = try FileInput.read(pipe, limit: 1 << 20)
        #expect(bytes.isEmpty)
        #expect(Date().timeIntervalSince(start) < 1)
    }

    @Test func aNamedPipeIsWrittenThroughNotReplaced() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pipe = folder.appendingPathComponent("pipe").path
        #expect(mkfifo(pipe, 0o644) == 0)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var read = Data()
        DispatchQueue.global().async {
            read = FileHandle(forReadingAtPath: pipe)?.readDataToEndOfFile() ?? Data()
            done.signal()
        }
        try AtomicFile.write(Data("through".utf8), to: pipe)
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(read == Data("through".utf8))
        var info = stat()
        #expect(lstat(pipe, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    }
}

/// A small seeded generator, so the property test sees the same cases every run.
private struct Xoshiro: RandomNumberGenerator {
    var state: (UInt64, UInt64, UInt64, UInt64)
    init(seed: UInt64) {
        var split = seed
        func next() -> UInt64 {
            split &+= 0x9E37_79B9_7F4A_7C15
            var z = split
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }
    mutating func next() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = state.3 << 45 | state.3 >> 19
        return result
    }
}
