import Foundation
import Testing

@testable import RoadmapKit

/// Status arithmetic, the forecast and its guards, and replanning, on fixture journals.
///
/// Most tests use the small catalog in `Fixtures/Status/tiny` (roadmap `tiny`, plugin `plug`), whose round
/// numbers make every figure checkable by hand. With the profile below (target `middle`, 10 h a week from
/// Monday 4 Jan 2027, two modules at once) the plan holds a1, a2, p1 (basic: 30 h) and b1, b2, b3, p2
/// (middle: 50 h): 80 hours, eight full weeks of 10 hours, ending Sunday 28 Feb 2027.

// MARK: - Helpers

private enum StatusFixtures {
    static let profileText = """
        name: Tess
        roadmap: tiny
        target_stage: middle
        specializations: [plug]
        hours_per_week: 10
        start: 2027-01-04
        max_parallel: 2

        """

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Failure: Error, CustomStringConvertible {
        var what: String
        var diagnostics: Diagnostics
        var description: String { "\(what):\n" + DiagnosticRenderer().render(diagnostics) }
    }

    static func date(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }
    static func id(_ text: String) -> ModuleID { ModuleID(parsing: text, defaultPackage: nil)! }

    static func tinyCatalog() throws -> Catalog {
        let root = try #require(
            Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.appendingPathComponent("Status/tiny"),
            "the test bundle holds no Fixtures folder")
        var diagnostics = Diagnostics()
        let catalog = CatalogLoader().load(
            CatalogSearchPath(roots: [CatalogRoot(path: root.path, origin: .option)]), diagnostics: &diagnostics)
        guard !diagnostics.hasErrors, catalog.packages.count == 2 else { throw Failure(what: "loading tiny", diagnostics: diagnostics) }
        return catalog
    }

    static func bundledCatalog() throws -> Catalog {
        let root = try #require(CatalogSearchPath.bundledRoot(executablePath: nil), "the bundled catalog was not found")
        var diagnostics = Diagnostics()
        let catalog = CatalogLoader().load(
            CatalogSearchPath(roots: [CatalogRoot(path: root, origin: .bundled)]), diagnostics: &diagnostics)
        guard !diagnostics.hasErrors else { throw Failure(what: "loading the bundled catalog", diagnostics: diagnostics) }
        return catalog
    }

    static func profile(_ text: String, file: String = "tess.yaml") throws -> Profile {
        var diagnostics = Diagnostics()
        let document: YAMLDocument
        do {
            document = try YAMLReader.read(Array(text.utf8), file: file)
        } catch {
            throw Failure(what: "reading \(file)", diagnostics: error.diagnostics)
        }
        guard let profile = ProfileDecoder().decode(document, today: date("2026-12-01"), diagnostics: &diagnostics),
            !diagnostics.hasErrors
        else { throw Failure(what: "decoding \(file)", diagnostics: diagnostics) }
        return profile
    }

    static func exampleProfile(_ name: String) throws -> Profile {
        let path = packageRoot.appendingPathComponent("examples/\(name)").path
        return try profile(try String(contentsOfFile: path, encoding: .utf8), file: path)
    }

    static func compose(_ catalog: Catalog, _ profile: Profile) throws -> Composition {
        var diagnostics = Diagnostics()
        guard let composition = Composer(catalog: catalog).compose(
            roadmap: profile.roadmap, plugins: profile.specializations, diagnostics: &diagnostics), !diagnostics.hasErrors
        else { throw Failure(what: "composing", diagnostics: diagnostics) }
        return composition
    }

    /// A journal's text, decoded strictly; entries after `today` are left out when it is given (nobody
    /// checks in from the future).
    static func ledger(_ text: String, _ composition: Composition, upTo today: CalendarDate? = nil) throws -> ProgressLedger {
        var diagnostics = Diagnostics()
        let document: YAMLDocument
        do {
            document = try YAMLReader.read(Array(text.utf8), file: "tess.progress.yaml")
        } catch {
            throw Failure(what: "reading the journal", diagnostics: error.diagnostics)
        }
        var journal = JournalDecoder().decode(document, diagnostics: &diagnostics)
        if let today { journal.entries.removeAll { $0.at > today } }
        let ledger = ProgressLedger(journal: journal, composition: composition, diagnostics: &diagnostics)
        guard !diagnostics.hasErrors else { throw Failure(what: "decoding the journal", diagnostics: diagnostics) }
        return ledger
    }

    struct Status {
        var report: StatusReport
        var composition: Composition
        var profile: Profile
        var ledger: ProgressLedger
        var today: CalendarDate

        var text: String { StatusTextRenderer().render(report) }

        func json() throws -> [String: Any] {
            let data = Data(try StatusJSONRenderer().render(report).utf8)
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }

        func group(_ id: String) -> StatusReport.Group? { (report.stages + report.plugins).first { $0.id == id } }

        /// The plan the forecast rests on, made the same way.
        func replanned() throws -> Plan {
            let replanning = Replanning(composition: composition, profile: profile, today: today)
            var diagnostics = Diagnostics()
            let baseline = replanning.baseline(diagnostics: &diagnostics)
            return try #require(
                replanning.replan(ledger: ledger, baseline: baseline, hoursPerWeek: report.pace, diagnostics: &diagnostics))
        }
    }

    static func status(
        _ journal: String, today: String, profile profileText: String = profileText, catalog: Catalog? = nil
    ) throws -> Status {
        let catalog = try catalog ?? tinyCatalog()
        let profile = try profile(profileText)
        let composition = try compose(catalog, profile)
        let day = date(today)
        let ledger = try ledger(journal, composition, upTo: day)
        var diagnostics = Diagnostics()
        guard let report = StatusBuilder(composition: composition, profile: profile, ledger: ledger, today: day)
            .build(diagnostics: &diagnostics)
        else { throw Failure(what: "building the status", diagnostics: diagnostics) }
        return Status(report: report, composition: composition, profile: profile, ledger: ledger, today: day)
    }

    /// Modules outside the longest run kept in `previous` order: what `movedModules` should count.
    static func movedCount(_ order: [ModuleID], previous: [ModuleID]) -> Int {
        let rank = Dictionary(uniqueKeysWithValues: previous.enumerated().map { ($1, $0) })
        let ranks = order.compactMap { rank[$0] }
        var best = [Int](repeating: 1, count: ranks.count)
        for i in ranks.indices {
            for j in 0..<i where ranks[j] < ranks[i] { best[i] = max(best[i], best[j] + 1) }
        }
        return ranks.count - (best.max() ?? 0)
    }
}

private typealias S = StatusFixtures

// MARK: - Status

@Suite("Status arithmetic and forecast")
struct StatusTests {
    @Test func theFixtureBaselineIsEightFullWeeksOfTenHours() throws {
        let status = try S.status("", today: "2027-01-04")
        var diagnostics = Diagnostics()
        let baseline = try #require(
            Replanning(composition: status.composition, profile: status.profile, today: status.today).baseline(diagnostics: &diagnostics))
        #expect(baseline.totalHours == 80)
        #expect(baseline.weeks.map(\.hours) == Array(repeating: 10, count: 8))
        #expect(baseline.finishDate == S.date("2027-02-28"))
        #expect(Set(baseline.items.map(\.id.description)) == ["tiny/a1", "tiny/a2", "tiny/b1", "tiny/b2", "tiny/b3", "plug/p1", "plug/p2"])
    }

    @Test func creditedHoursPerStageAndPlugin() throws {
        let status = try S.status("""
            - {at: 2027-01-05, module: tiny/a1, status: done, hours: 4}   # done: credited its 10 h estimate
            - {at: 2027-01-06, module: a2, status: started, hours: 3}     # 3 h
            - {at: 2027-01-07, module: tiny/b1, hours: 12}                # hours alone: in progress
            - {at: 2027-01-08, module: tiny/b1, hours: 13}                # 25 h logged, credited up to its 20 h
            - {at: 2027-01-08, module: plug/p1, status: skipped}          # skipped: finished, credited 10 h

            """, today: "2027-01-10")
        let report = status.report
        #expect(report.stages.map(\.id) == ["basic", "middle"], "only the stages in the plan")
        #expect(report.stages.map(\.title) == ["Basic", "Middle"])
        #expect(report.plugins.map(\.id) == ["plug"])

        let basic = try #require(status.group("basic"))
        #expect((basic.modulesDone, basic.modulesInProgress, basic.modulesLeft) == (2, 1, 0))
        #expect((basic.hoursDone, basic.hoursTotal) == (23, 30))
        let middle = try #require(status.group("middle"))
        #expect((middle.modulesDone, middle.modulesInProgress, middle.modulesLeft) == (0, 1, 3))
        #expect((middle.hoursDone, middle.hoursTotal) == (20, 50))
        let plug = try #require(status.group("plug"))
        #expect(plug.kind == .plugin)
        #expect((plug.modulesDone, plug.modulesInProgress, plug.modulesLeft) == (1, 0, 1))
        #expect((plug.hoursDone, plug.hoursTotal) == (10, 20))
        let totals = report.totals
        #expect((totals.modulesDone, totals.modulesInProgress, totals.modulesLeft, totals.modulesTotal) == (2, 2, 3, 7))
        #expect((totals.hoursDone, totals.hoursTotal) == (43, 80))
        #expect(report.inProgress.map(\.description).sorted() == ["tiny/a2", "tiny/b1"])
        #expect(report.lastCheckin == S.date("2027-01-08"))

        // The same figures in JSON.
        let json = try status.json()
        let stages = try #require(json["stages"] as? [[String: Any]])
        #expect(stages.map { $0["id"] as? String } == ["basic", "middle"])
        #expect(stages.first?["hours_done"] as? Double == 23)
        #expect(stages.first?["modules_done"] as? Int == 2)
        let plugins = try #require(json["plugins"] as? [[String: Any]])
        #expect(plugins.first?["hours_total"] as? Double == 20)
        #expect(json["last_checkin"] as? String == "2027-01-08")
    }

    /// `today` 2027-01-31 closes week 4 of the baseline: 40 hours expected.
    @Test(arguments: [
        ("- {at: 2027-01-05, module: tiny/a1, status: done}\n", -3.0, "behind by 3 weeks (10 h done, 40 h planned by today)"),
        ("""
         - {at: 2027-01-05, module: tiny/a1, status: done}
         - {at: 2027-01-12, module: tiny/a2, status: started, hours: 1}

         """, -2.9, "behind by 2.9 weeks (11 h done, 40 h planned by today)"),
        ("""
         - {at: 2027-01-05, module: tiny/a1, status: done}
         - {at: 2027-01-12, module: tiny/a2, status: done}
         - {at: 2027-01-20, module: tiny/b1, status: done}

         """, 0.0, "on schedule with the plan"),
        ("""
         - {at: 2027-01-05, module: tiny/a1, status: done}
         - {at: 2027-01-12, module: tiny/a2, status: done}
         - {at: 2027-01-20, module: tiny/b1, status: done}
         - {at: 2027-01-28, module: tiny/b2, status: done}

         """, 1.0, "ahead by 1 week (50 h done, 40 h planned by today)"),
        ("""
         - {at: 2027-01-05, module: tiny/a1, status: done}
         - {at: 2027-01-12, module: tiny/a2, status: done}
         - {at: 2027-01-20, module: tiny/b1, status: done}
         - {at: 2027-01-28, module: tiny/b2, status: done}
         - {at: 2027-01-29, module: plug/p1, hours: 5}

         """, 1.5, "ahead by 1.5 weeks (55 h done, 40 h planned by today)"),
    ])
    func aheadAndBehindTheBaseline(journal: String, weeksAhead: Double, sentence: String) throws {
        let status = try S.status(journal, today: "2027-01-31")
        #expect(abs(status.report.expectedHours - 40) < 1e-9)
        #expect(abs(status.report.weeksAhead - weeksAhead) < 1e-9, "\(status.report.weeksAhead)")
        #expect(status.text.contains("Schedule       \(sentence)\n"), "\(status.text)")
        let json = try status.json()
        #expect(json["expected_hours"] as? Double == 40)
        #expect(json["weeks_ahead"] as? Double == weeksAhead)
    }

    @Test func theCurrentWeekCountsInPart() throws {
        // Wednesday of week 1: three days of seven.
        let status = try S.status("", today: "2027-01-06")
        #expect(abs(status.report.expectedHours - 30.0 / 7) < 1e-9)
        #expect(abs(status.report.weeksAhead + 3.0 / 7) < 1e-9)
        // Monday of week 3: two weeks and a day.
        let later = try S.status("", today: "2027-01-18")
        #expect(abs(later.report.expectedHours - (20 + 10.0 / 7)) < 1e-9)
        // After the baseline's last week, everything was expected.
        let after = try S.status("", today: "2027-06-01")
        #expect(after.report.expectedHours == 80)
        #expect(after.report.weeksAhead == -8)
    }

    @Test func beforeTheStartNothingIsExpected() throws {
        let status = try S.status("", today: "2027-01-01")
        #expect(status.report.expectedHours == 0)
        #expect(status.report.weeksAhead == 0)
        #expect(status.text.contains("Schedule       the plan starts on Mon 4 Jan 2027\n"), "\(status.text)")
        #expect(status.text.contains("Last check-in  none yet\n"))
    }

    @Test func underTwoWeeksOfCheckinsThePaceIsTheProfiles() throws {
        // First check-in 13 days before today, with far more hours than the profile's 10 a week.
        let status = try S.status("""
            - {at: 2027-01-18, module: tiny/a1, status: done, hours: 10}
            - {at: 2027-01-25, module: tiny/a2, status: done, hours: 10}
            - {at: 2027-01-30, module: tiny/b1, hours: 15}

            """, today: "2027-01-31")
        #expect(status.report.paceSource == .profile)
        #expect(status.report.pace == 10)
        #expect(status.text.contains("Pace           10 h a week, from the profile: under 2 weeks of check-ins so far\n"), "\(status.text)")
        #expect(try status.json()["pace_source"] as? String == "profile")
        // No check-ins at all: the profile's pace too.
        #expect(try S.status("", today: "2027-02-15").report.paceSource == .profile)
    }

    @Test func fromTwoWeeksOfCheckinsThePaceIsTheJournals() throws {
        // First check-in 14 days before today: 15 days of journal, 30 hours.
        let status = try S.status("""
            - {at: 2027-01-17, module: tiny/a1, status: done, hours: 10}
            - {at: 2027-01-25, module: tiny/a2, status: done, hours: 10}
            - {at: 2027-01-31, module: tiny/b1, hours: 10}

            """, today: "2027-01-31")
        #expect(status.report.paceSource == .journal(weeks: 15.0 / 7))
        #expect(abs(status.report.pace - 30 / (15.0 / 7)) < 1e-9)
        #expect(status.text.contains("Pace           14 h a week over the last 2.1 weeks\n"), "\(status.text)")
        #expect(try status.json()["pace_source"] as? String == "journal")
    }

    @Test func thePaceLooksAtTheLastFourWeeksOnly() throws {
        // 50 hours long ago, then 20 hours in the 28 days up to today.
        let status = try S.status("""
            - {at: 2027-01-05, module: tiny/a1, status: done, hours: 30}
            - {at: 2027-01-20, module: tiny/a2, status: done, hours: 20}
            - {at: 2027-02-04, module: tiny/b1, hours: 12}
            - {at: 2027-03-03, module: tiny/b1, hours: 8}

            """, today: "2027-03-03")
        #expect(status.report.paceSource == .journal(weeks: 4))
        #expect(status.report.pace == 5)
    }

    @Test func theForecastFollowsThePace() throws {
        // 40 hours in the last four weeks: 10 a week; 40 hours left from the week of 25 Jan: four weeks.
        let status = try S.status("""
            - {at: 2027-01-04, module: tiny/a1, status: done, hours: 10}
            - {at: 2027-01-11, module: tiny/a2, status: done, hours: 10}
            - {at: 2027-01-24, module: tiny/b1, status: done, hours: 20}

            """, today: "2027-01-31")
        #expect(status.report.paceSource == .journal(weeks: 4))
        #expect(status.report.pace == 10)
        guard case .date(let finish, let milestones) = status.report.forecast else {
            Issue.record("no forecast date: \(status.report.forecast)")
            return
        }
        #expect(finish == S.date("2027-02-21"))
        #expect(milestones.last?.stage.id == "middle")
        #expect(milestones.last?.date == finish)
        #expect(status.text.contains("Forecast       finish Sun 21 Feb 2027"), "\(status.text)")
        let json = try status.json()
        #expect(json["forecast"] as? String == "date")
        #expect(json["forecast_finish_date"] as? String == "2027-02-21")
    }

    @Test func zeroRecentHoursGiveNoForecastNeverADate() throws {
        // Hours long ago, and only a status in the last four weeks.
        let status = try S.status("""
            - {at: 2027-01-05, module: tiny/a1, status: started, hours: 5}
            - {at: 2027-03-10, module: tiny/b2, status: started}

            """, today: "2027-03-15", profile: S.profileText + "deadline: 2027-12-31\n")
        #expect(status.report.paceSource == .journal(weeks: 4))
        #expect(status.report.pace == 0)
        #expect(status.report.forecast == .noPace)
        #expect(status.report.deadlineMarginWeeks == nil)
        #expect(status.text.contains("Forecast       no forecast until hours are logged\n"), "\(status.text)")
        #expect(status.text.contains("Deadline       Fri 31 Dec 2027: at risk, no forecast yet\n"), "\(status.text)")
        let json = try status.json()
        #expect(json["forecast"] as? String == "no-pace")
        #expect(json["forecast_finish_date"] == nil)
        #expect((json["forecast_milestones"] as? [Any])?.isEmpty == true)
    }

    @Test func aFinishedPlanSaysFinished() throws {
        // Everything done or skipped, long ago: finished, even with no recent pace.
        let status = try S.status("""
            - {at: 2027-01-05, module: tiny/a1, status: done, hours: 9}
            - {at: 2027-01-06, module: tiny/a2, status: done}
            - {at: 2027-01-07, module: tiny/b1, status: done}
            - {at: 2027-01-08, module: tiny/b2, status: skipped}
            - {at: 2027-01-09, module: tiny/b3, status: done}
            - {at: 2027-01-10, module: plug/p1, status: done}
            - {at: 2027-01-11, module: old-a1, hours: 2}
            - {at: 2027-01-12, module: plug/p2, status: done}

            """, today: "2027-04-01", profile: S.profileText + "deadline: 2027-06-01\n")
        #expect(status.report.forecast == .finished)
        #expect(status.report.next.isEmpty)
        #expect(status.report.inProgress.isEmpty)
        #expect(status.report.stale.isEmpty)
        #expect((status.report.totals.modulesDone, status.report.totals.hoursDone) == (7, 80))
        #expect(status.text.contains("Forecast       finished: everything in the plan is done\n"), "\(status.text)")
        #expect(status.text.contains("Deadline       Tue 1 Jun 2027: met\n"), "\(status.text)")
        #expect(try status.json()["forecast"] as? String == "finished")
    }

    @Test func aPlanWithNothingLeftToStudyIsFinished() throws {
        // Everything of the target stage already mastered.
        let status = try S.status("", today: "2027-01-10", profile: S.profileText + "current_stage: middle\n")
        #expect(status.report.forecast == .finished)
        #expect(status.report.totals.modulesTotal == 0)
    }

    /// Every day from before the start to well after it, with journals of no, some and nearly all progress:
    /// a forecast date is never before today, and never absurdly far.
    @Test func theForecastIsNeverBeforeToday() throws {
        let catalog = try S.tinyCatalog()
        let journals = [
            "",
            """
            - {at: 2027-01-05, module: tiny/a1, status: done, hours: 6}
            - {at: 2027-01-19, module: tiny/a2, status: started, hours: 3}
            - {at: 2027-02-20, module: plug/p1, hours: 2}

            """,
            """
            - {at: 2027-01-05, module: tiny/a1, status: done, hours: 10}
            - {at: 2027-01-08, module: tiny/a2, status: done, hours: 10}
            - {at: 2027-01-12, module: tiny/b1, status: done, hours: 20}
            - {at: 2027-01-15, module: tiny/b2, status: done, hours: 10}
            - {at: 2027-01-18, module: plug/p1, status: done, hours: 10}
            - {at: 2027-01-21, module: plug/p2, status: done, hours: 10}
            - {at: 2027-01-24, module: tiny/b3, status: started, hours: 9.5}

            """,
        ]
        var dates = 0
        for journal in journals {
            for offset in stride(from: -10, through: 200, by: 1) {
                let today = S.date("2027-01-04").adding(days: offset)
                let status = try S.status(journal, today: today.description, catalog: catalog)
                switch status.report.forecast {
                case .date(let finish, let milestones):
                    dates += 1
                    #expect(finish >= today, "forecast \(finish) before today \(today)")
                    #expect(finish.dayNumber - today.dayNumber < 36_524, "forecast \(finish) a century after \(today)")
                    for milestone in milestones where milestone.week > 0 {
                        #expect(milestone.date >= today, "\(milestone.stage.id) on \(milestone.date), today \(today)")
                    }
                case .noPace, .finished, .tooLong:
                    break
                }
            }
        }
        #expect(dates > 300, "the sweep should mostly give dates")
    }

    @Test func aTinyPaceDoesNotGiveADateACenturyAway() throws {
        // One and a half hours in nine weeks, one of them in the last four: 0.25 h a week against some
        // 2,000 hours of the example's plan.
        let catalog = try S.bundledCatalog()
        let profileText = try String(
            contentsOfFile: S.packageRoot.appendingPathComponent("examples/engineer-biomedical-equity.yaml").path, encoding: .utf8)
        let status = try S.status("""
            - {at: 2027-01-05, module: ml-research-fellow/causal-inference, hours: 0.5}
            - {at: 2027-03-01, module: ml-research-fellow/causal-inference, hours: 1}

            """, today: "2027-03-10", profile: profileText, catalog: catalog)
        #expect(status.report.pace == 0.25)
        if case .date(let finish, _) = status.report.forecast {
            #expect(finish.dayNumber - status.today.dayNumber < 36_524, "forecast \(finish) is a century or more away")
        }
    }

    @Test func aForecastAfterTheDeadlineIsAtRisk() throws {
        // No check-ins yet: the forecast is the baseline's, Sunday 28 Feb 2027; the deadline is two days before.
        let status = try S.status("", today: "2027-01-04", profile: S.profileText + "deadline: 2027-02-26\n")
        guard case .date(let finish, _) = status.report.forecast else {
            Issue.record("no forecast date: \(status.report.forecast)")
            return
        }
        #expect(finish == S.date("2027-02-28"))
        #expect(status.report.deadlineMarginWeeks.map { $0 < 0 } == true, "margin \(String(describing: status.report.deadlineMarginWeeks))")
        #expect(status.text.contains("at risk"), "\(status.text)")
    }

    @Test func aForecastBeforeTheDeadlineIsOnTrack() throws {
        let status = try S.status("", today: "2027-01-04", profile: S.profileText + "deadline: 2027-03-14\n")
        #expect(status.report.deadlineMarginWeeks == 2)
        #expect(status.text.contains("Deadline       Sun 14 Mar 2027: on track, 2 weeks to spare\n"), "\(status.text)")
        let late = try S.status("", today: "2027-01-04", profile: S.profileText + "deadline: 2027-02-14\n")
        #expect(late.report.deadlineMarginWeeks == -2)
        #expect(late.text.contains("Deadline       Sun 14 Feb 2027: at risk, the forecast is 2 weeks late\n"), "\(late.text)")
        let passed = try S.status("", today: "2027-03-01", profile: S.profileText + "deadline: 2027-02-14\n")
        #expect(passed.text.contains("Deadline       Sun 14 Feb 2027 has passed\n"), "\(passed.text)")
    }

    @Test func staleModulesAreStartedWithNoHoursForThreeWeeks() throws {
        let status = try S.status("""
            - {at: 2027-01-05, module: tiny/a1, status: done, hours: 10}     # finished: never stale
            - {at: 2027-01-25, module: tiny/a2, status: started, hours: 2}   # 21 days: stale
            - {at: 2027-01-26, module: tiny/b2, hours: 2}                    # 20 days: not yet
            - {at: 2027-01-10, module: plug/p1, status: started}             # no hours ever, started 36 days ago
            - {at: 2027-01-16, module: tiny/b1, hours: 3}                    # hours 30 days ago...
            - {at: 2027-02-14, module: tiny/b1, status: started}             # ...a status yesterday is not hours

            """, today: "2027-02-15")
        let stale = Dictionary(uniqueKeysWithValues: status.report.stale.map { ($0.module.description, ($0.lastActivity.description, $0.days)) })
        #expect(stale.count == 3, "\(stale)")
        #expect(stale["tiny/a2"]! == ("2027-01-25", 21))
        #expect(stale["plug/p1"]! == ("2027-01-10", 36))
        #expect(stale["tiny/b1"]! == ("2027-01-16", 30))
        #expect(Set(status.report.inProgress.map(\.description)) == ["tiny/a2", "tiny/b2", "plug/p1", "tiny/b1"])
        #expect(status.report.stale.map(\.module) == status.report.inProgress.filter { stale[$0.description] != nil })
        #expect(status.text.contains("Stale (started, no hours for 21 days or more)"))
        #expect(status.text.contains("last 2027-01-25, 21 days ago"), "\(status.text)")
        let json = try status.json()
        #expect((json["stale"] as? [[String: Any]])?.count == 3)
    }

    @Test func nextModulesAreReadyAndInPlanOrder() throws {
        let status = try S.status("""
            - {at: 2027-01-05, module: tiny/a1, status: done, hours: 10}
            - {at: 2027-01-12, module: plug/p1, status: started, hours: 2}

            """, today: "2027-01-20")
        // a2 needs a1 (done); b2 needs nothing. b1 waits for a2, b3 for b1 and b2, p2 for p1 (in progress).
        #expect(Set(status.report.next.map(\.description)) == ["tiny/a2", "tiny/b2"])
        let order = try status.replanned().items.map(\.id)
        #expect(status.report.next == order.filter { status.report.next.contains($0) }, "next is in plan order")
        #expect(status.text.contains("Ready to start next\n"))
        #expect(try status.json()["next"] as? [String] == status.report.next.map(\.description))
    }

    @Test func requirementsOutsideThePlanCountAsDone() throws {
        // Basic mastered: a1, a2 and p1 are not in the plan, so b1 and p2 are ready.
        let status = try S.status(
            "- {at: 2027-01-05, module: tiny/b2, status: started, hours: 1}\n", today: "2027-01-10",
            profile: S.profileText + "current_stage: basic\n")
        #expect(Set(status.report.next.map(\.description)) == ["tiny/b1", "plug/p2"])
        let order = try status.replanned().items.map(\.id)
        #expect(status.report.next == order.filter { status.report.next.contains($0) })
        #expect(status.report.stages.map(\.id) == ["middle"])
    }

    @Test func statusTextIsPlainUnlessAskedForColour() throws {
        let status = try S.status("""
            - {at: 2027-01-05, module: tiny/a1, status: done, hours: 4}
            - {at: 2027-01-06, module: a2, status: started, hours: 3}
            - {at: 2027-01-08, module: plug/p1, status: skipped}

            """, today: "2027-01-10")
        let plain = StatusTextRenderer(unicode: false, color: false).render(status.report)
        #expect(!plain.contains("\u{1B}"))
        // Basic: 23 of 30 hours, 76%.
        #expect(plain.contains("[###############.....]  76%"), "\(plain)")
        let terminal = StatusTextRenderer(unicode: true, color: false).render(status.report)
        #expect(!terminal.contains("\u{1B}"))
        #expect(terminal.contains("███████████████░░░░░"), "\(terminal)")
        let coloured = StatusTextRenderer(unicode: true, color: true).render(status.report)
        #expect(coloured.contains("\u{1B}["))
    }
}

// MARK: - Replanning

@Suite("Replanning")
struct ReplanningTests {
    static let journal = """
        - {at: 2027-01-05, module: tiny/a1, status: done, hours: 8}
        - {at: 2027-01-06, module: plug/p1, status: skipped}
        - {at: 2027-01-12, module: tiny/a2, status: started, hours: 4}
        - {at: 2027-01-13, module: tiny/b2, hours: 12}

        """

    private func replan(_ journal: String = journal, today: String = "2027-01-20", profile: String = S.profileText) throws
        -> (plan: Plan, baseline: Plan)
    {
        let profile = try S.profile(profile)
        let composition = try S.compose(try S.tinyCatalog(), profile)
        let ledger = try S.ledger(journal, composition)
        let replanning = Replanning(composition: composition, profile: profile, today: S.date(today))
        var diagnostics = Diagnostics()
        let baseline = try #require(replanning.baseline(diagnostics: &diagnostics))
        let plan = try #require(replanning.replan(ledger: ledger, baseline: baseline, diagnostics: &diagnostics))
        #expect(!diagnostics.hasErrors)
        return (plan, baseline)
    }

    @Test func doneAndSkippedModulesLeaveThePlan() throws {
        let (plan, baseline) = try replan()
        #expect(baseline.items.count == 7)
        #expect(Set(plan.items.map(\.id.description)) == ["tiny/a2", "tiny/b1", "tiny/b2", "tiny/b3", "plug/p2"])
    }

    @Test func loggedHoursReduceWhatIsLeft() throws {
        let (plan, _) = try replan()
        let a2 = try #require(plan.item(S.id("tiny/a2")))
        #expect((a2.hours, a2.loggedHours) == (6, 4))
        // Logged past its estimate and not done: a tenth of the estimate is left.
        let b2 = try #require(plan.item(S.id("tiny/b2")))
        #expect((b2.hours, b2.loggedHours) == (1, 12))
        #expect(plan.item(S.id("tiny/b1"))?.hours == 20)
        #expect(plan.totalHours == 6 + 1 + 20 + 10 + 10)
    }

    @Test func inProgressModulesComeFirst() throws {
        let (plan, _) = try replan()
        #expect(Set(plan.items.prefix(2).map(\.id.description)) == ["tiny/a2", "tiny/b2"])
        #expect(plan.items.prefix(2).allSatisfy { $0.inProgress && $0.startWeek == 1 })
        #expect(plan.items.dropFirst(2).allSatisfy { !$0.inProgress })
    }

    @Test func theReplanStartsOnTheCurrentPlanWeek() throws {
        // Wednesday 20 Jan is in week 3, which starts on Monday 18 Jan.
        let (plan, _) = try replan()
        #expect(plan.profile.start.value == S.date("2027-01-18"))
        #expect(plan.items.first?.startDate == S.date("2027-01-18"))
        #expect(plan.finishDate >= S.date("2027-01-20"))
        // Before the start, the plan starts on the start.
        let early = try replan(today: "2026-12-30")
        #expect(early.plan.profile.start.value == S.date("2027-01-04"))
    }

    @Test func movedModulesIsReportedAndCounted() throws {
        let (plan, baseline) = try replan()
        let moved = try #require(plan.movedModules, "a replan says how many modules moved")
        let untouched = plan.items.filter { !$0.inProgress && $0.loggedHours == 0 }.map(\.id)
        #expect(moved == S.movedCount(untouched, previous: baseline.items.map(\.id)))
        // A plan without a previous order says nothing about moves.
        #expect(baseline.movedModules == nil)
    }

    @Test func finishingTheFirstModuleMovesNothingElse() throws {
        let (_, baseline) = try replan("")
        let first = try #require(baseline.items.first).id
        let (plan, _) = try replan("- {at: 2027-01-08, module: \(first), status: done, hours: 10}\n", today: "2027-01-11")
        #expect(plan.movedModules == 0)
        #expect(plan.items.map(\.id) == baseline.items.map(\.id).filter { $0 != first })
    }

    @Test(arguments: ["engineer-biomedical-equity.yaml", "graduate-multimodal.yaml", "scientist-wireless.yaml"])
    func theExampleProfilesReplanAsAPersonWould(example: String) throws {
        let catalog = try S.bundledCatalog()
        let profile = try S.exampleProfile(example)
        let composition = try S.compose(catalog, profile)
        let start = profile.start.value
        let today = start.adding(days: 23)
        let replanning = Replanning(composition: composition, profile: profile, today: today)
        var diagnostics = Diagnostics()
        let baseline = try #require(replanning.baseline(diagnostics: &diagnostics))
        let done = baseline.items[0].id, going = baseline.items[1].id, skipped = baseline.items[2].id
        let ledger = try S.ledger("""
            - {at: \(start.adding(days: 6)), module: \(done), status: done, hours: 5}
            - {at: \(start.adding(days: 13)), module: \(going), status: started, hours: 2}
            - {at: \(start.adding(days: 14)), module: \(skipped), status: skipped}

            """, composition)
        let plan = try #require(replanning.replan(ledger: ledger, baseline: baseline, diagnostics: &diagnostics))
        #expect(!diagnostics.hasErrors, "\(DiagnosticRenderer().render(diagnostics))")
        #expect(plan.item(done) == nil && plan.item(skipped) == nil)
        #expect(plan.items.count == baseline.items.count - 2)
        let item = try #require(plan.item(going))
        #expect(item.inProgress && item.startWeek == 1 && item.loggedHours == 2)
        #expect(item.hours == max(baseline.items[1].hours - 2, baseline.items[1].hours / 10))
        #expect(plan.items.first?.id == going)
        #expect(plan.profile.start.value == start.adding(days: 21))
        let moved = try #require(plan.movedModules)
        let untouched = plan.items.filter { !$0.inProgress && $0.loggedHours == 0 }.map(\.id)
        #expect(moved == S.movedCount(untouched, previous: baseline.items.map(\.id)))

        // And the status of the same journal.
        let report = try #require(
            StatusBuilder(composition: composition, profile: profile, ledger: ledger, today: today).build(diagnostics: &diagnostics))
        #expect(report.totals.modulesDone == 2)
        #expect(report.totals.modulesInProgress == 1)
        #expect(report.inProgress == [going])
        #expect(report.paceSource == .journal(weeks: 18.0 / 7))
        if case .date(let finish, _) = report.forecast { #expect(finish >= today) } else { Issue.record("\(report.forecast)") }
    }
}
