/// One module's place in a plan.
public struct PlanItem: Hashable, Sendable {
    public var module: Module
    public var stage: Stage
    /// Hours this plan schedules for the module (what is left of it when replanning).
    public var hours: Double
    public var startWeek: Int
    public var endWeek: Int
    public var startDate: CalendarDate
    public var endDate: CalendarDate
    /// Hours in each week the module is worked on.
    public var hoursByWeek: [WeekHours]
    /// Weeks the module's end could slip without moving the finish, under the requirements alone.
    public var slackWeeks: Int
    /// On the critical path: no slack.
    public var critical: Bool
    /// Everything it requires, resolved, whether in the plan or mastered.
    public var requires: [ModuleID]
    /// The longest chain of work behind it, in hours: its scheduling priority.
    public var chainHours: Double
    /// Hours already logged against it in the journal.
    public var loggedHours: Double = 0
    /// Started in the journal and not finished.
    public var inProgress: Bool = false

    public var id: ModuleID { module.id }

    public struct WeekHours: Hashable, Sendable {
        public var week: Int
        public var hours: Double
    }
}

/// One week of a plan.
public struct PlanWeek: Hashable, Sendable {
    public struct Allocation: Hashable, Sendable {
        public var module: ModuleID
        public var hours: Double
    }

    public var week: Int
    public var startDate: CalendarDate
    public var hours: Double
    public var allocations: [Allocation]
}

/// The week by which everything up to a stage is done.
public struct Milestone: Hashable, Sendable {
    public var stage: Stage
    /// 0 when nothing was left to do for it.
    public var week: Int
    public var date: CalendarDate
}

/// Whether a deadline holds, and what would make it hold.
public struct Feasibility: Hashable, Sendable {
    public var deadline: CalendarDate
    public var holds: Bool
    /// Weeks between the plan's finish and the deadline: positive when early, negative when late.
    public var marginWeeks: Int
    /// The fewest hours a week (in half hours) that would meet the deadline; nil when it holds or when no
    /// pace would (a chain of `min_weeks` is longer than the time left).
    public var requiredHoursPerWeek: Double?
    /// Optional or lowest-priority modules whose removal would meet the deadline at the given pace.
    public var modulesToDrop: [ModuleID]
    /// The highest stage whose plan the deadline allows at the given pace; nil when none.
    public var highestStageByDeadline: String?
}

/// A personal study plan: what to study, in what order, week by week, and whether it makes the deadline.
public struct Plan: Sendable {
    public var profile: Profile
    public var composition: Composition { didSet { itemNumbers = nil } }
    public var scope: Scope { didSet { itemNumbers = nil } }
    public var targetStage: Stage
    public var currentStage: Stage?
    /// In the order they start (then by priority).
    public var items: [PlanItem] { didSet { itemNumbers = nil } }
    /// The number of each item's module in the composition's numbered graph, when it has one.
    var itemNumbers: [Int]?
    public var weeks: [PlanWeek]
    public var milestones: [Milestone]
    public var totalHours: Double
    public var finishWeek: Int
    public var lowerBoundWeeks: Int
    public var finishDate: CalendarDate
    public var feasibility: Feasibility?
    /// The day the plan was made for.
    public var today: CalendarDate
    /// When replanning: modules whose order changed from the previous plan, given by the caller.
    public var movedModules: Int?

    public var plugins: [Package] { Array(composition.packages.dropFirst()) }

    public func item(_ id: ModuleID) -> PlanItem? { items.first { $0.id == id } }

    /// The first day of a week of this plan.
    public func startDate(ofWeek week: Int) -> CalendarDate { profile.start.value.adding(days: 7 * (week - 1)) }
    /// The last day of a week of this plan.
    public func endDate(ofWeek week: Int) -> CalendarDate { profile.start.value.adding(days: 7 * week - 1) }
}
