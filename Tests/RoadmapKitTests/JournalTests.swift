import Foundation
import Testing

@testable import RoadmapKit

/// The progress journal: decoding what people write by hand, writing entries that always read back the
/// same, telling a torn final entry from a corrupt one, and the store's append and repair on real files.

// MARK: - Helpers

private enum JournalFixtures {
    static let file = "ada.progress.yaml"
    static let header = "# Progress journal: one entry per check-in, appended by 'roadmap checkin'.\n"

    /// Decodes journal text the way the store does, collecting every diagnostic.
    static func decode(_ text: String) -> (journal: Journal, diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        do {
            let document = try YAMLReader.read(Array(text.utf8), file: file)
            let journal = JournalDecoder().decode(document, diagnostics: &diagnostics)
            return (journal, diagnostics)
        } catch {
            diagnostics.append(contentsOf: error.diagnostics)
            return (Journal(file: file, entries: []), diagnostics)
        }
    }

    /// `code line:column` of every error, for compact expectations.
    static func summary(_ diagnostics: Diagnostics) -> [String] {
        diagnostics.errors.map { "\($0.code) \($0.location.map { "\($0.line):\($0.column)" } ?? "-")" }
    }

    static func date(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }

    /// The bundled roadmap with the given plugins, composed.
    static func bundledComposition(plugins: [String] = []) throws -> Composition {
        let root = try #require(
            CatalogSearchPath.bundledRoot(executablePath: nil), "the bundled catalog (Roadmaps/, Plugins/) was not found")
        var diagnostics = Diagnostics()
        let catalog = CatalogLoader().load(
            CatalogSearchPath(roots: [CatalogRoot(path: root, origin: .bundled)]), diagnostics: &diagnostics)
        let here = SourceLocation.start(of: "test")
        let composition = Composer(catalog: catalog).compose(
            roadmap: Located("ml-research-fellow", at: here), plugins: plugins.map { Located($0, at: here) },
            diagnostics: &diagnostics)
        #expect(!diagnostics.hasErrors, "\(DiagnosticRenderer().render(diagnostics))")
        return try #require(composition)
    }

    static func entry(
        module: String = "ml-research-fellow/linear-algebra", at: String = "2027-01-10", status: CheckinStatus? = .started,
        hours: Double = 2, note: String? = nil, evidence: String? = nil
    ) -> JournalEntry {
        JournalEntry(
            at: date(at), atText: at, module: Located(module, at: .start(of: file)), status: status, hours: hours, note: note,
            evidence: evidence, location: .start(of: file))
    }

    /// A fresh folder under the temporary directory; the caller removes it.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("roadmap-journal-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Three complete entries after the header: lines 2-6, 7-10 and 11-15.
    static let threeEntries = header + """
        - at: 2027-01-10
          module: ml-research-fellow/linear-algebra
          status: started
          hours: 3
          note: "Chapter 1"
        - at: 2027-01-12
          module: ml-research-fellow/linear-algebra
          hours: 2.5
          note: "Chapter 2"
        - at: 2027-01-14
          module: ml-research-fellow/linear-algebra
          status: done
          hours: 4
          note: "Finished chapter 3 exercises"

        """
    static let thirdEntryLine = 11
}

// MARK: - Decoding

@Suite("Journal decoding")
struct JournalDecodingTests {
    fileprivate typealias F = JournalFixtures

    @Test func datesWithAndWithoutATimeOfDay() throws {
        let (journal, diagnostics) = F.decode("""
            - at: 2027-01-10
              module: a/b
              hours: 1
            - at: 2027-01-10T18:30:00Z
              module: a/b
              hours: 1
            - at: 2027-01-10 18:30
              module: a/b
              hours: 1
            - at: 2027-01-10T18:30+02:00
              module: a/b
              hours: 1
            - at: "2027-01-10T07:05:09.25"
              module: a/b
              hours: 1

            """)
        #expect(diagnostics.isEmpty, "\(F.summary(diagnostics))")
        #expect(journal.entries.count == 5)
        #expect(journal.entries.allSatisfy { $0.at == F.date("2027-01-10") })
        #expect(
            journal.entries.map(\.atText)
                == ["2027-01-10", "2027-01-10T18:30:00Z", "2027-01-10 18:30", "2027-01-10T18:30+02:00", "2027-01-10T07:05:09.25"])
        #expect(journal.entries.map(\.location.line) == [1, 4, 7, 10, 13])
    }

    /// `HH:MM[:SS[.fff]]`, then `Z` or a `±HH[[:]MM]` offset, with white space around: read by hand, as the
    /// regular expression it replaced did (ASCII digits only).
    @Test(arguments: [
        ("18:30", true), ("  18:30  ", true), ("00:00:00", true), ("23:59:59.999", true), ("07:05:09.25", true),
        ("18:30Z", true), ("18:30 z", true), ("18:30+02:00", true), ("18:30-0530", true), ("18:30+02", true),
        ("24:00", false), ("18:60", false), ("18:3", false), ("18", false), ("18:30:60", false), ("18:30.5", false),
        ("18:30:00.", false), ("18:30+02:", false), ("18:30+24:00", false), ("18:30+02:60", false),
        ("18:30Z ", false), ("18:30 UTC", false), ("", false), ("١٨:٣٠", false),
    ])
    func timesOfDay(text: String, valid: Bool) {
        #expect(CalendarDate.isTimeOfDay(text) == valid, "'\(text)'")
    }

    @Test(arguments: [
        ("2027-02-30", 1, 7),  // no such day
        ("2027-01-10T25:00", 1, 7),  // no such hour
        ("10/01/2027", 1, 7),
        ("yesterday", 1, 7),
    ])
    func anInvalidDateIsLocated(text: String, line: Int, column: Int) {
        let (journal, diagnostics) = F.decode("- at: \(text)\n  module: a/b\n  hours: 1\n")
        #expect(journal.entries.isEmpty)
        #expect(F.summary(diagnostics) == ["invalid-date \(line):\(column)"])
        #expect(diagnostics.errors.first?.message.contains("'\(text)'") == true)
    }

    @Test func anOldAliasAndABareIdResolveThroughTheLedger() throws {
        let composition = try F.bundledComposition(plugins: ["biomedical-ai"])
        let (journal, diagnostics) = F.decode("""
            - at: 2027-01-10
              module: lin-alg
              hours: 1
            - at: 2027-01-11
              module: ml-research-fellow/lin-alg
              hours: 2
            - at: 2027-01-12
              module: linear-algebra
              hours: 3
            - at: 2027-01-13
              module: ml-research-fellow/linear-algebra
              status: done
              hours: 4
            - at: 2027-01-14
              module: genomics-primer
              status: started

            """)
        #expect(diagnostics.isEmpty, "\(F.summary(diagnostics))")
        // The journal keeps the module as written.
        #expect(journal.entries.map(\.module.value).first == "lin-alg")
        var ledgerDiagnostics = Diagnostics()
        let ledger = ProgressLedger(journal: journal, composition: composition, diagnostics: &ledgerDiagnostics)
        #expect(ledgerDiagnostics.isEmpty, "\(F.summary(ledgerDiagnostics))")
        let linearAlgebra = ModuleID(package: "ml-research-fellow", name: "linear-algebra")
        let genomics = ModuleID(package: "biomedical-ai", name: "genomics-primer")
        #expect(ledger.entries.map(\.id) == [linearAlgebra, linearAlgebra, linearAlgebra, linearAlgebra, genomics])
        let progress = try #require(ledger.modules[linearAlgebra])
        #expect(progress.hours == 10)
        #expect(progress.status == .done)
        #expect(progress.firstDate == F.date("2027-01-10"))
        #expect(progress.lastDate == F.date("2027-01-13"))
        #expect(ledger.isFinished(linearAlgebra))
        #expect(ledger.isInProgress(genomics))
        #expect(!ledger.isFinished(genomics))
        #expect(ledger.lastCheckin == F.date("2027-01-14"))
    }

    @Test func anUnknownModuleIsLocatedWithDidYouMean() throws {
        let composition = try F.bundledComposition()
        let (journal, diagnostics) = F.decode("""
            - at: 2027-01-10
              module: ml-research-fellow/linear-algebra
              hours: 1
            - at: 2027-01-11
              module: ml-research-fellow/linear-algebr
              hours: 2
            - at: 2027-01-12
              module: ml-research-fellow/probability
              hours: 3

            """)
        #expect(diagnostics.isEmpty, "the decoder does not know the catalog: \(F.summary(diagnostics))")
        var ledgerDiagnostics = Diagnostics()
        let ledger = ProgressLedger(journal: journal, composition: composition, diagnostics: &ledgerDiagnostics)
        #expect(F.summary(ledgerDiagnostics) == ["unknown-module 5:11"])
        let error = try #require(ledgerDiagnostics.errors.first)
        #expect(error.location?.file == F.file)
        #expect(error.message.contains("'ml-research-fellow/linear-algebr'"))
        #expect(error.help.contains { $0.hasPrefix("did you mean 'ml-research-fellow/linear-algebra'") }, "\(error.help)")
        // The other entries still count.
        #expect(ledger.entries.count == 2)
    }

    @Test func aModuleOfAPluginNotInTheProfileIsUnknown() throws {
        let composition = try F.bundledComposition()
        let (journal, _) = F.decode("- at: 2027-01-10\n  module: biomedical-ai/genomics-primer\n  hours: 1\n")
        var diagnostics = Diagnostics()
        _ = ProgressLedger(journal: journal, composition: composition, diagnostics: &diagnostics)
        #expect(F.summary(diagnostics) == ["unknown-module 2:11"])
    }

    @Test func negativeHoursAreRefusedAtTheirValue() {
        let (journal, diagnostics) = F.decode("""
            - at: 2027-01-10
              module: a/b
              hours: 1
            - at: 2027-01-11
              module: a/b
              hours: -2

            """)
        #expect(F.summary(diagnostics) == ["invalid-hours 6:10"])
        #expect(diagnostics.errors.first?.message.contains("-2") == true)
        #expect(journal.entries.count == 1, "the bad entry is dropped, the good one kept")
    }

    @Test func moreHoursThanAWeekAreRefused() {
        let (journal, diagnostics) = F.decode("- at: 2027-01-10\n  module: a/b\n  hours: 169\n")
        #expect(F.summary(diagnostics) == ["invalid-hours 3:10"])
        #expect(journal.entries.isEmpty)
        let (ok, okDiagnostics) = F.decode("- at: 2027-01-10\n  module: a/b\n  hours: 168\n")
        #expect(okDiagnostics.isEmpty)
        #expect(ok.entries.first?.hours == 168)
    }

    @Test(arguments: [("stared", "started"), ("skiped", "skipped"), ("don", "done"), ("DONE", "done")])
    func aStatusNotOneOfTheThreeHasADidYouMean(written: String, meant: String) throws {
        let (journal, diagnostics) = F.decode("- at: 2027-01-10\n  module: a/b\n  status: \(written)\n")
        #expect(F.summary(diagnostics) == ["invalid-value 3:11"])
        let error = try #require(diagnostics.errors.first)
        #expect(error.message.contains("'\(written)'"))
        #expect(error.help == ["did you mean '\(meant)'?"])
        #expect(journal.entries.isEmpty)
    }

    @Test func aStatusFarFromAnyIsRefusedWithoutASuggestion() {
        let (_, diagnostics) = F.decode("- at: 2027-01-10\n  module: a/b\n  status: finished\n")
        #expect(F.summary(diagnostics) == ["invalid-value 3:11"])
        #expect(diagnostics.errors.first?.message.contains("started, done or skipped") == true)
    }

    @Test func anUnknownKeyIsLocatedWithDidYouMean() throws {
        let (journal, diagnostics) = F.decode("""
            - at: 2027-01-10
              module: a/b
              hours: 1
              notes: Chapter 1

            """)
        #expect(F.summary(diagnostics) == ["unknown-key 4:3"])
        #expect(diagnostics.errors.first?.help == ["did you mean 'note'?"])
        #expect(journal.entries.isEmpty)
    }

    @Test func aJournalThatIsNotAListIsTheWrongType() throws {
        let (journal, diagnostics) = F.decode("at: 2027-01-10\nmodule: a/b\nhours: 1\n")
        #expect(F.summary(diagnostics) == ["wrong-type 1:1"])
        #expect(diagnostics.errors.first?.message.contains("list of check-ins") == true)
        #expect(journal.entries.isEmpty)
        let (_, scalar) = F.decode("just some text\n")
        #expect(F.summary(scalar) == ["wrong-type 1:1"])
    }

    @Test func anEntryThatIsNotAMappingIsTheWrongType() {
        let (journal, diagnostics) = F.decode("- 2027-01-10\n- at: 2027-01-11\n  module: a/b\n  hours: 1\n")
        #expect(F.summary(diagnostics) == ["wrong-type 1:3"])
        #expect(journal.entries.count == 1)
    }

    @Test func anEntryNeedsAModuleAndHoursOrAStatus() {
        let (journal, diagnostics) = F.decode("""
            - at: 2027-01-10
              hours: 1
            - at: 2027-01-11
              module: a/b
            - module: a/b
              hours: 1

            """)
        #expect(F.summary(diagnostics) == ["missing-key 1:3", "missing-key 3:3", "missing-key 5:3"])
        #expect(journal.entries.isEmpty)
    }

    @Test func emptyAndCommentOnlyJournalsHaveNoEntries() {
        for text in ["", "\n", F.header, "# one\n# two\n"] {
            let (journal, diagnostics) = F.decode(text)
            #expect(journal.entries.isEmpty, "\(text.debugDescription)")
            #expect(diagnostics.isEmpty, "\(text.debugDescription): \(F.summary(diagnostics))")
        }
    }

    @Test func defaultPathIsBesideTheProfile() {
        #expect(JournalStore.defaultPath(forProfile: "ada.yaml") == "ada.progress.yaml")
        #expect(JournalStore.defaultPath(forProfile: "dir/ada.yml") == "dir/ada.progress.yaml")
        #expect(JournalStore.defaultPath(forProfile: "ada") == "ada.progress.yaml")
    }
}

// MARK: - Writing entries that read back the same

@Suite("Journal entries round-trip")
struct JournalRoundTripTests {
    fileprivate typealias F = JournalFixtures

    static let hostile: [String] = [
        "Finished chapter 3 exercises",
        "said \"hello\" and 'bye'",
        #"C:\Users\ada\notebook.ipynb and \n literally"#,
        "line one\nline two\n\nline four",
        "tab\there\tand\rcarriage\r\nreturn",
        "naïve café — 数学 — 🧠📈 — עברית — e\u{301}",
        "key: value",
        "ends with colon:",
        "- starts like a list item",
        "-",
        "# looks like a comment",
        "text # with a comment",
        "  leading and trailing spaces  ",
        "",
        " ",
        "null",
        "~",
        "true",
        "123",
        "1e5",
        "0x1F",
        "2027-01-10",
        "[not, a, list]",
        "{not: a map}",
        "&anchor",
        "*alias",
        "!tag value",
        "%directive",
        "@at and `backtick`",
        "| block",
        "> folded",
        "---",
        "...",
        "- at: 2027-01-10\n  module: x/y\n  hours: 1",
        "\u{7F} delete, \u{85} next line, \u{A0} no-break space",
        "\u{2028} line separator, \u{2029} paragraph separator, \u{FEFF} byte-order mark",
        "bell \u{07}, escape \u{1B}[31m red \u{1B}[0m, form feed \u{0C}",
        "\"",
        "\\",
        "\\\"",
        "'",
        String(repeating: "long note with \"quotes\" and \\ ", count: 120),
    ]

    private func roundTrip(_ entry: JournalEntry, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> JournalEntry {
        let text = F.header + entry.yaml
        let (journal, diagnostics) = F.decode(text)
        #expect(diagnostics.isEmpty, "\(F.summary(diagnostics)) in\n\(text)", sourceLocation: sourceLocation)
        // The store reads it as whole too: ends with a line break, no torn tail.
        let file = JournalStore.parse(Array(text.utf8), file: F.file)
        #expect(file.tornTail == nil && file.diagnostics.isEmpty, "\(F.summary(file.diagnostics))", sourceLocation: sourceLocation)
        return try #require(journal.entries.count == 1 ? journal.entries.first : nil, "\(text)", sourceLocation: sourceLocation)
    }

    @Test(arguments: hostile)
    func aHostileNoteAndEvidenceReadBackTheSame(text: String) throws {
        let entry = F.entry(note: text, evidence: text)
        #expect(entry.yaml.hasSuffix("\n"))
        // Every line after the first is indented, so no line of an entry can pass for the start of another.
        let lines = entry.yaml.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("- at: ") == true)
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("  ") }, "\(entry.yaml)")
        let back = try roundTrip(entry)
        #expect(back.note == text)
        #expect(back.evidence == text)
        #expect(back.module.value == entry.module.value)
        #expect(back.status == entry.status)
        #expect(back.hours == entry.hours)
        #expect(back.at == entry.at)
    }

    @Test func manyHostileEntriesInOneJournalReadBackInOrder() throws {
        let entries = Self.hostile.enumerated().map { index, text in
            F.entry(at: "2027-01-\(String(format: "%02d", index % 28 + 1))", hours: Double(index) / 4, note: text, evidence: text)
        }
        let text = F.header + entries.map(\.yaml).joined()
        let file = JournalStore.parse(Array(text.utf8), file: F.file)
        #expect(file.diagnostics.isEmpty, "\(F.summary(file.diagnostics))")
        #expect(file.journal.entries.map(\.note) == Self.hostile)
        #expect(file.journal.entries.map(\.hours) == entries.map(\.hours))
        #expect(file.journal.entries.map(\.at) == entries.map(\.at))
    }

    /// Random text from an alphabet of the characters that trouble YAML writers, with a fixed seed.
    @Test func randomHostileTextReadsBackTheSame() throws {
        let alphabet: [Character] = Array(":-#'\"\\\n\t\r {}[],&*!|>%@`?~ aZ09é数🧠\u{85}\u{2028}\u{FEFF}\u{1}\u{7F}\u{1B}")
        var generator = SplitMix64(seed: 0x5EED_2027)
        var text = F.header
        var notes: [String] = []
        for _ in 0..<400 {
            let count = Int(generator.next() % 24)
            let note = String((0..<count).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            notes.append(note)
            text += F.entry(status: nil, hours: 1, note: note, evidence: note).yaml
        }
        let file = JournalStore.parse(Array(text.utf8), file: F.file)
        #expect(file.diagnostics.isEmpty, "\(F.summary(file.diagnostics))")
        #expect(file.journal.entries.count == notes.count)
        for (entry, note) in zip(file.journal.entries, notes) where entry.note != note || entry.evidence != note {
            Issue.record("\(note.debugDescription) read back as \(String(describing: entry.note).debugDescription)")
        }
    }

    @Test(arguments: ["2027-01-10", "2027-01-10T18:30:00Z", "2027-01-10 18:30", "2027-01-10T18:30+02:00"])
    func theMomentAsWrittenReadsBackTheSame(at: String) throws {
        let back = try roundTrip(F.entry(at: at))
        #expect(back.atText == at)
        #expect(back.at == F.date("2027-01-10"))
    }

    @Test(arguments: [0, 0.25, 1.5, 2.75, 40, 168])
    func hoursReadBackTheSame(hours: Double) throws {
        #expect(try roundTrip(F.entry(hours: hours)).hours == hours)
    }

    @Test(arguments: [CheckinStatus?.none, .started, .done, .skipped])
    func everyStatusReadsBackTheSame(status: CheckinStatus?) throws {
        #expect(try roundTrip(F.entry(status: status, hours: 1)).status == status)
    }

    @Test(arguments: ["ml-research-fellow/linear-algebra", "lin-alg", "health-equity/bias-mitigation"])
    func theModuleAsWrittenReadsBackTheSame(module: String) throws {
        #expect(try roundTrip(F.entry(module: module)).module.value == module)
    }
}


// MARK: - Torn tails

@Suite("Journal torn-tail detection")
struct JournalTornTailTests {
    fileprivate typealias F = JournalFixtures

    private func parse(_ text: String) -> JournalFile { JournalStore.parse(Array(text.utf8), file: F.file) }

    /// The byte offset where the third entry of `threeEntries` begins.
    private var thirdEntryOffset: Int {
        let text = F.threeEntries
        let range = text.range(of: "- at: 2027-01-14")!
        return text.utf8.distance(from: text.utf8.startIndex, to: range.lowerBound)
    }

    @Test func aWholeJournalIsNotTorn() {
        let file = parse(F.threeEntries)
        #expect(file.diagnostics.isEmpty, "\(F.summary(file.diagnostics))")
        #expect(file.tornTail == nil)
        #expect(file.journal.entries.count == 3)
    }

    @Test(arguments: [
        "- at: 2027-01-14\n  module: ml-resea",  // mid-line, in the module
        "- at: 2027-01-14\n  module: ml-research-fellow/linear-algebra\n  status: do",  // mid-word of the status
        "- at: 2027-01-14\n  module: ml-research-fellow/linear-algebra\n  status: done\n  hours: 4\n  note: \"Finished ch",  // in a quoted note
        "- at: 2027-01-14\n",  // only the first line
        "- at: 2027-01-14\n  module: ml-research-fellow/linear-algebra\n",  // neither hours nor status yet
        "- at: 2027-01-1",  // mid-date
        "- ",
        "-",
    ])
    func aFinalEntryCutMidwayIsTornAtItsLine(tail: String) throws {
        let cut = String(decoding: Array(F.threeEntries.utf8.prefix(thirdEntryOffset)), as: UTF8.self) + tail
        let file = parse(cut)
        let torn = try #require(file.tornTail, "\(tail.debugDescription) was not taken for a torn entry: \(F.summary(file.diagnostics))")
        #expect(torn.line == F.thirdEntryLine)
        #expect(torn.offset == thirdEntryOffset)
        #expect(F.summary(file.diagnostics) == ["journal-torn \(F.thirdEntryLine):1"])
        #expect(file.diagnostics.errors.first?.location?.file == F.file)
        #expect(file.diagnostics.errors.first?.help.contains { $0.contains("--repair") } == true)
        // The entries before it are kept.
        #expect(file.journal.entries.map(\.note) == ["Chapter 1", "Chapter 2"])
    }

    /// Every cut inside the last entry: a cut in the middle of a line is always torn; a cut at the end of a
    /// line is torn or, when what is left happens to be a whole entry, reads as one; never anything else.
    @Test func everyCutOfTheFinalEntryIsTornOrWhole() {
        let bytes = Array(F.threeEntries.utf8)
        for end in (thirdEntryOffset + 1)..<bytes.count {
            let cut = Array(bytes[..<end])
            let file = JournalStore.parse(cut, file: F.file)
            let lineEnd = cut.last == UInt8(ascii: "\n")
            if let torn = file.tornTail {
                #expect(torn.line == F.thirdEntryLine && torn.offset == thirdEntryOffset, "cut at \(end)")
                #expect(F.summary(file.diagnostics) == ["journal-torn \(F.thirdEntryLine):1"], "cut at \(end)")
                #expect(file.journal.entries.count == 2, "cut at \(end)")
            } else {
                #expect(lineEnd, "a cut in the middle of a line at \(end) was not reported torn: \(F.summary(file.diagnostics))")
                #expect(file.diagnostics.isEmpty, "cut at \(end): \(F.summary(file.diagnostics))")
                #expect(file.journal.entries.count == 3, "cut at \(end)")
            }
        }
    }

    @Test func aCorruptEntryInTheMiddleIsNotCalledTorn() throws {
        // A syntax error in the second entry (line 9), with a whole entry after it.
        let text = F.threeEntries.replacingOccurrences(of: "  hours: 2.5\n", with: "  hours: [2.5\n")
        let file = parse(text)
        #expect(file.tornTail == nil)
        #expect(file.diagnostics.hasErrors)
        #expect(!file.diagnostics.errors.contains { $0.code == .journalTorn }, "\(F.summary(file.diagnostics))")
        let error = try #require(file.diagnostics.errors.first)
        #expect(error.location?.file == F.file)
        #expect(file.journal.entries.isEmpty, "a journal that does not parse yields no entries")
    }

    @Test func aBadValueInTheMiddleIsLocatedAndNotCalledTorn() {
        let text = F.threeEntries.replacingOccurrences(of: "  hours: 2.5\n", with: "  hours: -2.5\n")
        let file = parse(text)
        #expect(file.tornTail == nil)
        #expect(F.summary(file.diagnostics) == ["invalid-hours 9:10"])
    }

    @Test func aCorruptMiddleAndATornTailIsNotCalledTorn() {
        var text = F.threeEntries.replacingOccurrences(of: "  hours: 2.5\n", with: "  hours: -2.5\n")
        text = String(text.dropLast(20))
        let file = parse(text)
        #expect(file.tornTail == nil, "repair must not cut a journal whose problem is in the middle")
        #expect(file.diagnostics.hasErrors)
        #expect(!file.diagnostics.errors.contains { $0.code == .journalTorn }, "\(F.summary(file.diagnostics))")
    }

    @Test func aJournalNotEndingInALineBreakHasItsLastEntryTorn() {
        // Appends always end with a line break, so a missing one means the last write may be cut short
        // (`hours: 4` may have been `hours: 45`).
        let file = parse(String(F.threeEntries.dropLast()))
        #expect(file.tornTail?.line == F.thirdEntryLine)
        #expect(F.summary(file.diagnostics) == ["journal-torn \(F.thirdEntryLine):1"])
        #expect(file.journal.entries.count == 2)
    }

    @Test func aSingleEntryNotEndingInALineBreakIsReported() {
        let file = parse("- at: 2027-01-10\n  module: a/b\n  hours: 4")
        #expect(file.diagnostics.errors.map(\.code) == [.journalTorn], "\(F.summary(file.diagnostics))")
        #expect(file.diagnostics.errors.first?.location?.line == 3)
    }

    @Test func aCompleteFinalEntryWithABadValueIsLocatedNotCalledTorn() {
        // Hand-written and ending in a line break: nothing was cut short; the decoder's own error should stand,
        // as it does for the same entry in the middle of the journal.
        let text = F.threeEntries.replacingOccurrences(of: "  hours: 4\n", with: "  hours: -4\n")
        let file = parse(text)
        #expect(file.tornTail == nil)
        #expect(F.summary(file.diagnostics) == ["invalid-hours 14:10"])
        let status = F.threeEntries.replacingOccurrences(of: "  status: done\n", with: "  status: finished\n")
        let statusFile = parse(status)
        #expect(statusFile.tornTail == nil)
        #expect(F.summary(statusFile.diagnostics) == ["invalid-value 13:11"])
    }
}

// MARK: - The store on real files

@Suite("Journal store: append and repair")
struct JournalStoreTests {
    fileprivate typealias F = JournalFixtures

    @Test func appendCreatesTheJournalWithAHeaderThenAppends() throws {
        let folder = try F.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ada.progress.yaml").path
        let store = JournalStore(path: path)
        #expect(!store.exists)
        #expect(try store.read().journal.entries.isEmpty, "a missing journal is an empty one")

        let first = F.entry(hours: 3, note: "one: \"two\"")
        try store.append(first, header: F.header)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == F.header + first.yaml)
        let second = F.entry(at: "2027-01-11", status: .done, hours: 1.5)
        try store.append(second, header: F.header)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == F.header + first.yaml + second.yaml)

        let read = try store.read()
        #expect(read.diagnostics.isEmpty)
        #expect(read.journal.entries.map(\.note) == ["one: \"two\"", nil])
        #expect(read.journal.entries.map(\.status) == [.started, .done])
    }

    @Test func appendToAnEmptyFileWritesTheHeader() throws {
        let folder = try F.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("j.yaml").path
        try F.write("\n", to: path)
        let entry = F.entry()
        try JournalStore(path: path).append(entry, header: F.header)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "\n" + F.header + entry.yaml)
    }

    @Test func appendRefusesACorruptJournalAndLeavesItByteForByte() throws {
        let folder = try F.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ada.progress.yaml").path
        try F.write(F.threeEntries.replacingOccurrences(of: "  hours: 2.5\n", with: "  hours: [2.5\n"), to: path)
        let before = try F.bytes(path)
        do {
            try JournalStore(path: path).append(F.entry(), header: F.header)
            Issue.record("appended to a corrupt journal")
        } catch {
            #expect(error.exitStatus == ExitStatus.dataError)
            let diagnostic = try #require(error.diagnostics.errors.first)
            #expect(diagnostic.location?.line ?? 0 > 1, "the error is located: \(F.summary(error.diagnostics))")
        }
        #expect(try F.bytes(path) == before)
    }

    @Test func appendRefusesATornJournalAndLeavesItByteForByte() throws {
        let folder = try F.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ada.progress.yaml").path
        try F.write(String(F.threeEntries.dropLast(12)), to: path)
        let before = try F.bytes(path)
        do {
            try JournalStore(path: path).append(F.entry(), header: F.header)
            Issue.record("appended to a torn journal")
        } catch {
            #expect(error.exitStatus == ExitStatus.dataError)
            #expect(F.summary(error.diagnostics) == ["journal-torn \(F.thirdEntryLine):1"])
        }
        #expect(try F.bytes(path) == before)
    }

    @Test func appendRefusesAReadOnlyJournalEvenAsRoot() throws {
        let folder = try F.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ada.progress.yaml").path
        try F.write(F.threeEntries, to: path)
        #expect(chmod(path, 0o444) == 0)
        let before = try F.bytes(path)
        do {
            try JournalStore(path: path).append(F.entry(), header: F.header)
            Issue.record("appended to a read-only journal (uid \(getuid()))")
        } catch {
            #expect(error.exitStatus == ExitStatus.cannotCreate)
            #expect(error.diagnostics.errors.map(\.code) == [.journalUnwritable])
            #expect(error.diagnostics.errors.first?.message.contains("read-only") == true)
        }
        #expect(try F.bytes(path) == before)
        // And repair does not touch it either.
        #expect(throws: JournalError.self) { try JournalStore(path: path).repair() }
        #expect(try F.bytes(path) == before)
    }

    @Test func appendRefusesAFolder() throws {
        let folder = try F.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try JournalStore(path: folder.path).append(F.entry(), header: F.header)
            Issue.record("appended to a folder")
        } catch {
            #expect(error.exitStatus == ExitStatus.cannotCreate)
            #expect(error.diagnostics.errors.map(\.code) == [.journalUnwritable])
        }
    }

    @Test func appendWaitsForTheLockThenGivesUp() throws {
        let folder = try F.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ada.progress.yaml").path
        try F.write(F.threeEntries, to: path)
        let before = try F.bytes(path)
        let holder = open(path, O_RDONLY | O_CLOEXEC)
        try #require(holder >= 0)
        defer { close(holder) }
        try #require(flock(holder, LOCK_EX) == 0)
        let started = Date()
        do {
            try JournalStore(path: path, lockTimeout: 0.25).append(F.entry(), header: F.header)
            Issue.record("appended while another held the lock")
        } catch {
            #expect(error.exitStatus == ExitStatus.tryAgain)
            #expect(error.diagnostics.errors.map(\.code) == [.journalLocked])
        }
        let waited = Date().timeIntervalSince(started)
        #expect(waited >= 0.2 && waited < 3, "waited \(waited) s")
        #expect(try F.bytes(path) == before)
        // Once the lock is released, the check-in goes through.
        flock(holder, LOCK_UN)
        try JournalStore(path: path, lockTimeout: 0.25).append(F.entry(), header: F.header)
        #expect(try JournalStore(path: path).read().journal.entries.count == 4)
    }

    @Test func repairMovesATornTailIntoABackupAndLeavesAJournalThatParses() throws {
        let folder = try F.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ada.progress.yaml").path
        let whole = Array(F.threeEntries.utf8)
        let offset = F.threeEntries.utf8.distance(
            from: F.threeEntries.utf8.startIndex, to: F.threeEntries.range(of: "- at: 2027-01-14")!.lowerBound)
        let torn = Array(whole[..<(whole.count - 15)])
        try Data(torn).write(to: URL(fileURLWithPath: path))

        let now = try #require(ISO8601DateFormatter().date(from: "2027-01-14T18:30:05Z"))
        let backup = try #require(try JournalStore(path: path).repair(now: now))
        #expect(backup == path + ".torn-20270114T183005Z")
        #expect(try F.bytes(backup) == Array(torn[offset...]), "the backup holds the torn entry, byte for byte")
        #expect(try F.bytes(path) == Array(torn[..<offset]))
        let read = try JournalStore(path: path).read()
        #expect(read.diagnostics.isEmpty && read.tornTail == nil, "\(F.summary(read.diagnostics))")
        #expect(read.journal.entries.count == 2)
        // Nothing more to repair; an append now works.
        #expect(try JournalStore(path: path).repair(now: now) == nil)
        try JournalStore(path: path).append(F.entry(), header: F.header)
        #expect(try JournalStore(path: path).read().journal.entries.count == 3)
    }

    @Test func repairOfAWholeJournalChangesNothing() throws {
        let folder = try F.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ada.progress.yaml").path
        try F.write(F.threeEntries, to: path)
        #expect(try JournalStore(path: path).repair() == nil)
        #expect(try F.bytes(path) == Array(F.threeEntries.utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["ada.progress.yaml"])
        // A missing journal has nothing to repair and is not created.
        let missing = folder.appendingPathComponent("none.yaml").path
        #expect(try JournalStore(path: missing).repair() == nil)
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test func repairRefusesACorruptMiddleAndLeavesItByteForByte() throws {
        let folder = try F.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ada.progress.yaml").path
        try F.write(F.threeEntries.replacingOccurrences(of: "  hours: 2.5\n", with: "  hours: [2.5\n"), to: path)
        let before = try F.bytes(path)
        do {
            _ = try JournalStore(path: path).repair()
            Issue.record("repaired a journal whose problem is in the middle")
        } catch {
            #expect(error.exitStatus == ExitStatus.dataError)
        }
        #expect(try F.bytes(path) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["ada.progress.yaml"])
    }

    @Test func aSecondRepairInTheSameSecondKeepsTheFirstBackup() throws {
        let folder = try F.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ada.progress.yaml").path
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        try F.write(F.threeEntries + "- at: 2027-01-15\n  module: first-torn", to: path)
        let firstBackup = try #require(try JournalStore(path: path).repair(now: now))
        let firstTail = try String(contentsOfFile: firstBackup, encoding: .utf8)
        try F.write(F.threeEntries + "- at: 2027-01-16\n  module: second-torn", to: path)
        _ = try JournalStore(path: path).repair(now: now)
        let backups = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".torn-") }
        let contents = try backups.map { try String(contentsOfFile: folder.appendingPathComponent($0).path, encoding: .utf8) }
        #expect(contents.contains(firstTail), "the first torn entry was lost")
        #expect(backups.count == 2)
    }
}
