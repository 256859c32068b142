import PropertyBased
import Testing

@testable import RoadmapKit

/// Property tests of ``Scheduler``: random acyclic task graphs, random capacity and parallelism, and the
/// design's planning rules checked on every schedule made.
///
/// A failing case prints its input and the seed to reproduce it with `.fixedSeed(...)`.
@Suite("Scheduler properties")
struct SchedulerPropertyTests {
    // MARK: Input

    /// One random input of the scheduler.
    struct Case: CustomStringConvertible, Sendable {
        var tasks: [SchedulingTask]
        var capacity: Int
        var maxParallel: Int

        /// Swift source that rebuilds the case, to paste into a unit test.
        var description: String {
            let lines = tasks.map { task in
                "  SchedulingTask(minutes: \(task.minutes), weeklyCap: \(task.weeklyCap.map(String.init) ?? "nil"), "
                    + "requires: \(task.requires), stageRank: \(task.stageRank), order: \(task.order), "
                    + "inProgress: \(task.inProgress), previousRank: \(task.previousRank.map(String.init) ?? "nil")),"
            }
            return "capacity \(capacity), maxParallel \(maxParallel), tasks:\n[\n" + lines.joined(separator: "\n") + "\n]"
        }
    }

    /// A task's raw material: minutes in half hours (60...6000 minutes), a choice of weekly cap,
    /// requirement seeds (each becomes `seed % index`, a lower index), a stage rank, and a choice of the
    /// replanning priorities (in progress, a rank in a previous plan), which must not break any rule either.
    static let rawTask = zip(
        Gen.int(in: 2...200), Gen.int(in: 0...9), Gen.int(in: 0...1_000_000).array(of: 0...3), Gen.int(in: 0...3),
        Gen.int(in: 0...39))

    /// Built from plain integer generators with `zip` and `array`, so that a failing case shrinks: removing a
    /// task or lowering a number keeps the graph acyclic, since requirements are always to lower indices.
    static let cases = zip(rawTask.array(of: 1...30), Gen.int(in: 60...3000), Gen.int(in: 1...4)).map { input in
        let (raw, capacity, maxParallel) = input
        let tasks = raw.enumerated().map { index, entry -> SchedulingTask in
            let (halfHours, capChoice, seeds, stageRank, replanChoice) = entry
            let minutes = halfHours * 30
            let weeklyCap: Int?
            switch capChoice {
            case 6...8:
                // As `min_weeks: k` gives it: at most ceil(minutes / k) a week.
                let k = capChoice - 4
                weeklyCap = (minutes + k - 1) / k
            case 9:
                weeklyCap = 60
            default:
                weeklyCap = nil
            }
            var requires: [Int] = []
            if index > 0 {
                for seed in seeds where !requires.contains(seed % index) { requires.append(seed % index) }
            }
            // Mostly a first plan; now and then a task in progress, or one with a rank in a previous plan.
            return SchedulingTask(
                minutes: minutes, weeklyCap: weeklyCap, requires: requires, stageRank: stageRank, order: index,
                inProgress: replanChoice == 0, previousRank: (1...6).contains(replanChoice) ? replanChoice * 7 % 11 : nil)
        }
        return Case(tasks: tasks, capacity: capacity, maxParallel: maxParallel)
    }

    // MARK: Checks

    /// Every rule a schedule of `input` must follow, as a list of broken ones (empty when all hold). The lower
    /// bound is checked separately.
    static func violations(of schedule: Schedule, for input: Case) -> [String] {
        let tasks = input.tasks
        var problems: [String] = []
        guard schedule.startWeek.count == tasks.count, schedule.endWeek.count == tasks.count else {
            return ["startWeek/endWeek have \(schedule.startWeek.count)/\(schedule.endWeek.count) entries for \(tasks.count) tasks"]
        }
        var received = [Int](repeating: 0, count: tasks.count)
        var firstWeek = [Int?](repeating: nil, count: tasks.count)
        var lastWeek = [Int?](repeating: nil, count: tasks.count)
        var open = Set<Int>()
        for (offset, allocations) in schedule.weeks.enumerated() {
            let week = offset + 1
            if allocations.isEmpty { problems.append("week \(week) is empty before the finish") }
            let total = allocations.reduce(0) { $0 + $1.minutes }
            if total > input.capacity { problems.append("week \(week) gives \(total) minutes, capacity \(input.capacity)") }
            var thisWeek: [Int: Int] = [:]
            for allocation in allocations {
                let task = allocation.task
                guard tasks.indices.contains(task) else {
                    problems.append("week \(week) allocates to unknown task \(task)")
                    continue
                }
                if allocation.minutes <= 0 { problems.append("week \(week) gives task \(task) \(allocation.minutes) minutes") }
                // Order: every requirement has all its minutes before this allocation (earlier week, or
                // earlier in this week's list).
                for requirement in tasks[task].requires where received[requirement] < tasks[requirement].minutes {
                    problems.append(
                        "task \(task) receives minutes in week \(week) before its requirement \(requirement) is finished "
                            + "(\(received[requirement]) of \(tasks[requirement].minutes) minutes)")
                }
                // Parallelism: tasks started and not finished, counting this one.
                if received[task] == 0 { open.insert(task) }
                if open.count > input.maxParallel {
                    problems.append(
                        "week \(week): \(open.count) tasks in progress at once (\(open.sorted())), max \(input.maxParallel)")
                }
                received[task] += allocation.minutes
                thisWeek[task, default: 0] += allocation.minutes
                if received[task] >= tasks[task].minutes { open.remove(task) }
                if firstWeek[task] == nil { firstWeek[task] = week }
                lastWeek[task] = week
            }
            for (task, minutes) in thisWeek {
                if let cap = tasks[task].weeklyCap, minutes > cap {
                    problems.append("task \(task) receives \(minutes) minutes in week \(week), weekly cap \(cap)")
                }
            }
        }
        for (index, task) in tasks.enumerated() {
            if received[index] != task.minutes {
                problems.append("task \(index) received \(received[index]) minutes, needs exactly \(task.minutes)")
            }
            if firstWeek[index] != schedule.startWeek[index] || lastWeek[index] != schedule.endWeek[index] {
                problems.append(
                    "task \(index): startWeek/endWeek \(schedule.startWeek[index])/\(schedule.endWeek[index]), "
                        + "allocations run \(firstWeek[index].map(String.init) ?? "-")/\(lastWeek[index].map(String.init) ?? "-")")
            }
            for requirement in task.requires where schedule.startWeek[index] < schedule.endWeek[requirement] {
                problems.append(
                    "task \(index) starts in week \(schedule.startWeek[index]), before its requirement \(requirement) ends "
                        + "in week \(schedule.endWeek[requirement])")
            }
        }
        if schedule.finishWeek != (schedule.endWeek.max() ?? 0) {
            problems.append("finishWeek \(schedule.finishWeek), last endWeek \(schedule.endWeek.max() ?? 0)")
        }
        return problems
    }

    // MARK: Properties

    @Test func schedulesFollowEveryPlanningRule() async throws {
        await propertyCheck(count: 200, input: Self.cases) { input in
            let scheduler = Scheduler(capacityMinutes: input.capacity, maxParallel: input.maxParallel)
            guard let schedule = try? scheduler.schedule(input.tasks) else {
                Issue.record("the scheduler refused a graph that fits in \(Scheduler.maxWeeks) weeks\n\(input)")
                return
            }
            let problems = Self.violations(of: schedule, for: input)
            #expect(problems.isEmpty, "\(problems.prefix(10).joined(separator: "\n"))\n\(input)")
        }
    }

    @Test func finishIsNeverBelowTheLowerBoundWithoutWeeklyCaps() async throws {
        let uncapped = Self.cases.map { input in
            var copy = input
            for index in copy.tasks.indices { copy.tasks[index].weeklyCap = nil }
            return copy
        }
        await propertyCheck(count: 200, input: uncapped) { input in
            let schedule = try Scheduler(capacityMinutes: input.capacity, maxParallel: input.maxParallel).schedule(input.tasks)
            let bound = Scheduler(capacityMinutes: input.capacity, maxParallel: input.maxParallel).lowerBound(input.tasks)
            #expect(schedule.finishWeek >= bound, "finish week \(schedule.finishWeek) < lower bound \(bound)\n\(input)")
        }
    }

    /// The bound is a true lower bound, weekly caps included (see `lowerBoundCountsCappedWeeksAsFullWeeks` for the
    /// cases that once broke it).
    @Test func finishIsNeverBelowTheLowerBound() async throws {
        await propertyCheck(count: 200, input: Self.cases) { input in
            let schedule = try Scheduler(capacityMinutes: input.capacity, maxParallel: input.maxParallel).schedule(input.tasks)
            #expect(Self.violations(of: schedule, for: input).isEmpty)
            let bound = Scheduler(capacityMinutes: input.capacity, maxParallel: input.maxParallel).lowerBound(input.tasks)
            #expect(schedule.finishWeek >= bound, "finish week \(schedule.finishWeek) < lower bound \(bound)\n\(input)")
        }
    }

    @Test func sameInputGivesTheSameSchedule() async throws {
        await propertyCheck(count: 100, input: Self.cases) { input in
            let scheduler = Scheduler(capacityMinutes: input.capacity, maxParallel: input.maxParallel)
            let first = try scheduler.schedule(input.tasks)
            let second = try Scheduler(capacityMinutes: input.capacity, maxParallel: input.maxParallel).schedule(input.tasks)
            #expect(first == second, "\(input)")
        }
    }

    // MARK: Examples

    /// A prerequisite finished early in a week hands the rest of the week to what it unlocks.
    @Test func finishedRequirementHandsOverTheRestOfTheWeek() throws {
        let tasks = [
            SchedulingTask(minutes: 90, weeklyCap: nil, requires: [], stageRank: 0, order: 0),
            SchedulingTask(minutes: 120, weeklyCap: nil, requires: [0], stageRank: 0, order: 1),
        ]
        let schedule = try Scheduler(capacityMinutes: 120, maxParallel: 1).schedule(tasks)
        #expect(schedule.weeks == [
            [.init(task: 0, minutes: 90), .init(task: 1, minutes: 30)],
            [.init(task: 1, minutes: 90)],
        ])
        #expect(schedule.startWeek == [1, 1])
        #expect(schedule.endWeek == [1, 2])
    }

    /// Counterexamples to the lower bound. Each schedule keeps every rule, yet finishes before
    /// `Scheduler.lowerBound`, which adds `minutes / min(capacity, weeklyCap)` along a chain as if a capped task
    /// used whole weeks:
    /// - 60 uncapped minutes then 60 minutes capped at 30 a week, 90 a week: week 1 gives 60 + 30, week 2 the
    ///   last 30, so the finish is week 2; the bound is ceil(60/90 + 60/30) = ceil(2.67) = 3.
    /// - 90 minutes capped at 60 then 960 uncapped, 1000 a week: week 2 gives 30 + 960; the bound is
    ///   ceil(90/60 + 960/1000) = ceil(2.46) = 3.
    @Test(arguments: [
        (capacity: 90, tasks: [
            SchedulingTask(minutes: 60, weeklyCap: nil, requires: [], stageRank: 0, order: 0),
            SchedulingTask(minutes: 60, weeklyCap: 30, requires: [0], stageRank: 0, order: 1),
        ]),
        (capacity: 1000, tasks: [
            SchedulingTask(minutes: 90, weeklyCap: 60, requires: [], stageRank: 0, order: 0),
            SchedulingTask(minutes: 960, weeklyCap: nil, requires: [0], stageRank: 0, order: 1),
        ]),
    ])
    func lowerBoundCountsCappedWeeksAsFullWeeks(capacity: Int, tasks: [SchedulingTask]) throws {
        let schedule = try Scheduler(capacityMinutes: capacity, maxParallel: 1).schedule(tasks)
        #expect(Self.violations(of: schedule, for: Case(tasks: tasks, capacity: capacity, maxParallel: 1)).isEmpty)
        #expect(schedule.finishWeek == 2)
        #expect(Scheduler(capacityMinutes: capacity, maxParallel: 1).lowerBound(tasks) <= schedule.finishWeek)
    }

    /// With one slot, each module spanning two weeks still holds the slot at the end of its first week, so
    /// three of them need 1 + 3 weeks, whatever the capacity: the bound counts those week ends.
    @Test func lowerBoundCountsWeekEndsHeldBySlots() throws {
        let tasks = (0..<3).map { SchedulingTask(minutes: 60, weeklyCap: 30, requires: [], stageRank: 0, order: $0) }
        let schedule = try Scheduler(capacityMinutes: 600, maxParallel: 1).schedule(tasks)
        #expect(schedule.finishWeek == 4)
        #expect(Scheduler(capacityMinutes: 600, maxParallel: 1).lowerBound(tasks) == 4)
        #expect(Scheduler(capacityMinutes: 600, maxParallel: 3).lowerBound(tasks) == 2)
    }
}
