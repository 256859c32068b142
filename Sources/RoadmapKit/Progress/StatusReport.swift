/// Where a person stands: progress per stage and per plugin, against the baseline plan, with a forecast.
public struct StatusReport: Sendable {
    /// Progress of one stage or one plugin.
    public struct Group: Hashable, Sendable {
        public enum Kind: String, Sendable { case stage, plugin }
        public var kind: Kind
        public var id: String
        public var title: String
        public var modulesDone = 0
        public var modulesInProgress = 0
        public var modulesLeft = 0
        /// Hours credited: the estimate of finished modules, logged hours (up to the estimate) of the rest.
        public var hoursDone = 0.0
        public var hoursTotal = 0.0
        public var modulesTotal: Int { modulesDone + modulesInProgress + modulesLeft }
    }

    /// What the finish forecast rests on.
    public enum PaceSource: Hashable, Sendable {
        /// Hours logged over the recent weeks.
        case journal(weeks: Double)
        /// Too little data yet: the profile's hours a week.
        case profile
    }

    public enum Forecast: Hashable, Sendable {
        /// Everything in the plan is done or skipped.
        case finished
        /// Nothing logged recently: no date can be given.
        case noPace
        /// At this pace the rest would take longer than the planner's limit.
        case tooLong
        case date(finish: CalendarDate, milestones: [Milestone])
    }

    public struct Stale: Hashable, Sendable {
        public var module: ModuleID
        public var lastActivity: CalendarDate
        public var days: Int
    }

    public var profile: Profile
    public var today: CalendarDate
    public var stages: [Group]
    public var plugins: [Group]
    public var totals: Group
    /// Hours the baseline plan expected by today.
    public var expectedHours: Double
    /// Weeks ahead of the baseline (negative: behind), at the profile's pace.
    public var weeksAhead: Double
    public var pace: Double
    public var paceSource: PaceSource
    public var forecast: Forecast
    public var deadline: CalendarDate?
    /// Weeks between the forecast finish and the deadline: positive when early.
    public var deadlineMarginWeeks: Int?
    /// Modules whose requirements are all done, in plan order.
    public var next: [ModuleID]
    public var inProgress: [ModuleID]
    public var stale: [Stale]
    public var lastCheckin: CalendarDate?
    public var titles: [ModuleID: String]
}

public struct StatusBuilder: Sendable {
    /// The weeks of journal looked at for the pace.
    public static let paceWindowDays = 28
    /// With less journal than this, the pace is the profile's.
    public static let minimumDataDays = 14
    /// Started modules without hours for this long are stale.
    public static let staleDays = 21
    /// A forecast further away than this says "no forecast" rather than print a date nobody can use.
    public static let maxForecastYears = 25

    public let composition: Composition
    public let profile: Profile
    public let ledger: ProgressLedger
    public let today: CalendarDate

    public init(composition: Composition, profile: Profile, ledger: ProgressLedger, today: CalendarDate) {
        self.composition = composition
        self.profile = profile
        self.ledger = ledger
        self.today = today
    }

    public func build(diagnostics: inout Diagnostics) -> StatusReport? {
        let replanning = Replanning(composition: composition, profile: profile, today: today)
        guard let baseline = replanning.baseline(diagnostics: &diagnostics) else { return nil }
        let scope = baseline.scope.modules
        var titles: [ModuleID: String] = [:]
        // Per stage and per plugin.
        var stages: [String: StatusReport.Group] = [:]
        var plugins: [String: StatusReport.Group] = [:]
        var totals = StatusReport.Group(kind: .stage, id: "all", title: "All")
        var credited = 0.0
        for id in scope {
            let module = composition.modules[id]!
            titles[id] = module.title
            let logged = ledger.modules[id]?.hours ?? 0
            let finished = ledger.isFinished(id)
            let started = !finished && ledger.isInProgress(id)
            let credit = finished ? module.hours : min(logged, module.hours)
            credited += credit
            func add(_ group: inout StatusReport.Group) {
                if finished { group.modulesDone += 1 } else if started { group.modulesInProgress += 1 } else { group.modulesLeft += 1 }
                group.hoursDone += credit
                group.hoursTotal += module.hours
            }
            let stage = composition.stages.first { $0.id == module.stage.value }
            if stages[module.stage.value] == nil {
                stages[module.stage.value] = .init(kind: .stage, id: module.stage.value, title: stage?.title ?? module.stage.value)
            }
            add(&stages[module.stage.value]!)
            if id.package != composition.roadmap.name {
                let title = composition.packages.first { $0.name == id.package }?.title ?? id.package
                if plugins[id.package] == nil { plugins[id.package] = .init(kind: .plugin, id: id.package, title: title) }
                add(&plugins[id.package]!)
            }
            add(&totals)
        }
        // Against the baseline: hours it expected by today, counting the current week in part.
        var expected = 0.0
        let start = profile.start.value
        for week in baseline.weeks {
            let weekStart = week.startDate
            if today.dayNumber >= weekStart.dayNumber + 7 {
                expected += week.hours
            } else if today >= weekStart {
                expected += week.hours * Double(today.dayNumber - weekStart.dayNumber + 1) / 7
            }
        }
        if today < start { expected = 0 }
        let weeksAhead = (credited - expected) / profile.hoursPerWeek.value
        // Pace from the recent weeks, guarded.
        var pace = profile.hoursPerWeek.value
        var source = StatusReport.PaceSource.profile
        if let first = ledger.firstCheckin, today.dayNumber - first.dayNumber >= Self.minimumDataDays {
            let days = min(Self.paceWindowDays, today.dayNumber - first.dayNumber + 1)
            let window = today.adding(days: -(days - 1))...today
            pace = ledger.hours(in: window) / (Double(days) / 7)
            source = .journal(weeks: Double(days) / 7)
        }
        pace = min(pace, ProfileDefaults.maxHoursPerWeek)
        // The forecast.
        let allDone = scope.allSatisfy { ledger.isFinished($0) }
        var forecast: StatusReport.Forecast
        var replanned: Plan?
        if allDone {
            forecast = .finished
        } else if pace < 0.05 {
            forecast = .noPace
        } else {
            var quiet = Diagnostics()
            replanned = replanning.replan(ledger: ledger, baseline: baseline, hoursPerWeek: pace, diagnostics: &quiet)
            if let plan = replanned, plan.finishDate.dayNumber - today.dayNumber <= Self.maxForecastYears * 365 {
                forecast = .date(finish: max(plan.finishDate, today), milestones: plan.milestones)
            } else {
                forecast = .tooLong
            }
        }
        var margin: Int?
        if let deadline = profile.deadline?.value, case .date(let finish, _) = forecast {
            margin = CalendarDate.weeks(from: finish, to: deadline)
        }
        // What is next, in plan order: not started, every requirement in the plan done.
        let order = replanned?.items.map(\.id) ?? baseline.items.map(\.id)
        let inPlan = Set(scope)
        let next = order.filter { id in
            !ledger.isFinished(id) && !ledger.isInProgress(id)
                && (composition.requirements[id] ?? []).allSatisfy { !inPlan.contains($0) || ledger.isFinished($0) }
        }
        let inProgress = order.filter { ledger.isInProgress($0) } + scope.filter { ledger.isInProgress($0) && !order.contains($0) }
        let stale = inProgress.compactMap { id -> StatusReport.Stale? in
            guard let progress = ledger.modules[id], let last = progress.lastHoursDate ?? progress.lastDate else { return nil }
            let days = today.dayNumber - last.dayNumber
            return days >= Self.staleDays ? .init(module: id, lastActivity: last, days: days) : nil
        }
        let stageOrder = composition.stages.map(\.id)
        return StatusReport(
            profile: profile, today: today,
            stages: stageOrder.compactMap { stages[$0] },
            plugins: composition.packages.dropFirst().compactMap { plugins[$0.name] },
            totals: totals, expectedHours: expected, weeksAhead: weeksAhead, pace: pace, paceSource: source,
            forecast: forecast, deadline: profile.deadline?.value, deadlineMarginWeeks: margin, next: next,
            inProgress: inProgress, stale: stale, lastCheckin: ledger.lastCheckin, titles: titles)
    }
}
