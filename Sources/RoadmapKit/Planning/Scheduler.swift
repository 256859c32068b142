import HeapModule

/// One module to schedule, in whole minutes so that the arithmetic is exact and the output reproducible.
public struct SchedulingTask: Hashable, Sendable {
    /// Work left, in minutes; more than zero.
    public var minutes: Int
    /// The most minutes it may receive in one week (from `min_weeks`); nil without a limit.
    public var weeklyCap: Int?
    /// Indices of the tasks it requires.
    public var requires: [Int]
    /// Lower ranks are preferred when chains are equally long.
    public var stageRank: Int
    /// The last tie-breaker: position in declaration order.
    public var order: Int
    /// Tasks already in progress keep their place first when replanning.
    public var inProgress: Bool = false
    /// When replanning: the task's position in the previous plan, which then decides before the chain, so
    /// that untouched tasks keep their order wherever the requirements allow.
    public var previousRank: Int?

    public init(
        minutes: Int, weeklyCap: Int?, requires: [Int], stageRank: Int, order: Int, inProgress: Bool = false,
        previousRank: Int? = nil
    ) {
        self.minutes = minutes
        self.weeklyCap = weeklyCap
        self.requires = requires
        self.stageRank = stageRank
        self.order = order
        self.inProgress = inProgress
        self.previousRank = previousRank
    }
}

/// When each task runs, week by week.
public struct Schedule: Hashable, Sendable {
    public struct Allocation: Hashable, Sendable {
        public var task: Int
        public var minutes: Int
    }

    /// First and last week each task receives minutes (1-based).
    public var startWeek: [Int]
    public var endWeek: [Int]
    /// For each week (index 0 is week 1), the minutes given to each task, in the order they were given.
    public var weeks: [[Allocation]]
    /// The longest chain of time behind each task, in minutes at full pace: its priority.
    public var chainMinutes: [Int]
    /// No schedule of these tasks finishes earlier (``Scheduler/lowerBound(_:)``).
    public internal(set) var lowerBoundWeeks = 0
    /// The tasks' topological order and each task's dependents, as ``Scheduler/schedule(_:)`` worked them out,
    /// for the analysis that follows; empty otherwise. Derived from the tasks, so not part of what makes two
    /// schedules equal.
    var graph: (order: [Int], dependents: [[Int]]) {
        get { (derived.order, derived.dependents) }
        set { derived = DerivedGraph(order: newValue.order, dependents: newValue.dependents) }
    }
    var derived = DerivedGraph()

    /// Equal to every other: what it holds follows from the tasks.
    struct DerivedGraph: Hashable, Sendable {
        var order: [Int] = []
        var dependents: [[Int]] = []
        static func == (_: Self, _: Self) -> Bool { true }
        func hash(into hasher: inout Hasher) {}
    }

    /// The last week with work; 0 for an empty plan.
    public var finishWeek: Int { weeks.count }

    var outline: Scheduler.Outline { Scheduler.Outline(startWeek: startWeek, endWeek: endWeek, finishWeek: finishWeek) }
}

/// Why no schedule could be made.
public enum SchedulingError: Error, Hashable, Sendable {
    /// The plan would run longer than the limit of weeks.
    case tooLong(limit: Int)
}

/// A week-by-week list scheduler.
///
/// Each week gives `capacity` minutes. Tasks whose requirements are all finished are ready; the ready task
/// with the longest chain of time behind it starts first (then lower stage, then declaration order), up to
/// `maxParallel` tasks in progress. Within a week, a task that finishes early hands the rest of the week to
/// the tasks it unlocks. Greedy and work-conserving, so it comes close to the lower bound.
public struct Scheduler: Sendable {
    /// The longest plan made, in weeks (about 190 years); beyond it the input is a mistake.
    public static let maxWeeks = 10_000

    public var capacity: Int
    public var maxParallel: Int
    /// Whether ``schedule(_:)`` tries more than the main rule on a new plan above its lower bound. Off for the
    /// many trial schedules of a feasibility question, whose answers then still hold (trying more only ever
    /// finishes earlier) and come quickly.
    public var improves: Bool
    /// From this many tasks, a new plan's rules are scheduled at once on all cores (fewer are quicker one by one).
    var concurrentRulesFrom = 2_000

    public init(capacityMinutes: Int, maxParallel: Int, improves: Bool = true) {
        self.capacity = max(1, capacityMinutes)
        self.maxParallel = max(1, maxParallel)
        self.improves = improves
    }

    /// The order in which ready tasks start (after in-progress tasks and a previous plan's order).
    enum Rule: Sendable {
        /// Longest chain of time behind it, then lowest stage, then earliest declared: the main rule.
        case longestChain
        /// Tasks without a weekly cap before capped ones (a capped task holds a slot while using little of the
        /// week), then as `longestChain`.
        case uncappedFirst
        /// Earliest declared, like filling weeks in the order the modules are written.
        case declarationOrder
        /// Capped tasks first (started early, they run alongside the rest), then as `longestChain`.
        case cappedFirst
        /// The most minutes first, then as `longestChain`.
        case largestFirst
        /// A key per task (lowest first), then lowest stage, then earliest declared: the search's orders.
        case keys([Int])
    }

    /// The other rules tried for a new plan; the last two only for plans of up to 5,000 tasks.
    static let otherRules: [Rule] = [.uncappedFirst, .declarationOrder, .cappedFirst, .largestFirst]

    /// What one core made of a large new plan: a schedule by one rule, or the lower bound.
    private enum PreparedWork: Sendable {
        case schedule(Result<Schedule, SchedulingError>)
        case bound(Int)
    }

    private struct Candidate: Comparable {
        var inProgress: Bool
        var previousRank: Int
        /// The rule's keys, compared in turn.
        var first: Int
        var second: Int
        var third: Int
        var fourth: Int
        var index: Int
        // Heap.popMin takes the best: in-progress first, then the previous plan's order, then the rule's keys.
        static func < (a: Candidate, b: Candidate) -> Bool {
            let x = (a.inProgress ? 0 : 1, a.previousRank, a.first, a.second, a.third)
            let y = (b.inProgress ? 0 : 1, b.previousRank, b.first, b.second, b.third)
            return x != y ? x < y : (a.fourth, a.index) < (b.fourth, b.index)
        }
    }

    /// The longest chain of time behind each task: its own duration at full pace plus the longest chain of
    /// the tasks that require it, transitively. A task held back by `min_weeks` lasts longer than its
    /// minutes, so durations are counted in minutes of a full week (`minutes * capacity / weekly rate`).
    public func chainMinutes(_ tasks: [SchedulingTask]) -> [Int] {
        let dependents = Self.dependents(of: tasks)
        return chainMinutes(tasks, order: Self.topologicalOrder(tasks, dependents: dependents), dependents: dependents)
    }

    func chainMinutes(_ tasks: [SchedulingTask], order: [Int], dependents: [[Int]]) -> [Int] {
        let duration = tasks.map { task -> Int in
            let rate = min(capacity, task.weeklyCap ?? capacity)
            return (task.minutes * capacity + rate - 1) / rate
        }
        var chain = duration
        for index in order.reversed() {
            var longest = 0
            for dependent in dependents[index] { longest = max(longest, chain[dependent]) }
            chain[index] = duration[index] + longest
        }
        return chain
    }

    /// Requirements before the tasks that need them (Kahn's algorithm; the graph has no cycles).
    public static func topologicalOrder(_ tasks: [SchedulingTask]) -> [Int] {
        topologicalOrder(tasks, dependents: dependents(of: tasks))
    }

    static func topologicalOrder(_ tasks: [SchedulingTask], dependents: [[Int]]) -> [Int] {
        var unmet = tasks.map { $0.requires.count }  // a closure: a two-part key path is not inlined
        var queue = tasks.indices.filter { unmet[$0] == 0 }
        queue.reserveCapacity(tasks.count)
        var head = 0
        while head < queue.count {
            let index = queue[head]
            head += 1
            for dependent in dependents[index] {
                unmet[dependent] -= 1
                if unmet[dependent] == 0 { queue.append(dependent) }
            }
        }
        return queue
    }

    /// The schedule by the main rule (``Rule/longestChain``). For a new plan (nothing in progress, no previous
    /// order to keep) that does not already finish on its ``lowerBound(_:)``, more is tried, in this order,
    /// and another schedule is kept only when it finishes strictly earlier (greedy list scheduling has no
    /// single best rule):
    /// 1. the simpler rules of ``otherRules`` (the last two only up to 5,000 tasks);
    /// 2. up to 20,000 tasks, rounds of double justification (``justified(_:tasks:chain:)``);
    /// 3. up to 2,000 tasks, a search over start orders near the best so far (``searchRounds(tasks:)``
    ///    schedules: half with each chain scaled by a random factor from 0.7 to 1.3, half with the best start
    ///    weeks moved by up to two weeks; the numbers come from a generator seeded by the input, so that the
    ///    same input still gives the same plan).
    /// Each step stops as soon as the lower bound is reached, so plans that reach it cost one pass.
    public func schedule(_ tasks: [SchedulingTask]) throws(SchedulingError) -> Schedule {
        let dependents = Self.dependents(of: tasks)
        let order = Self.topologicalOrder(tasks, dependents: dependents)
        let chain = chainMinutes(tasks, order: order, dependents: dependents)
        let isNewPlan = !tasks.contains(where: { $0.inProgress || $0.previousRank != nil })
        let otherRules = Array(Self.otherRules.prefix(tasks.count <= 5_000 ? 4 : 2))
        // A large new plan schedules the main rule and the other rules at once, one per core, with the lower
        // bound as one more piece of work; which schedule is kept is then decided exactly as below, in the same
        // order, so the plan is the same as one at a time.
        var prepared: [Result<Schedule, SchedulingError>] = []
        var bound = 0
        if improves, isNewPlan, tasks.count >= concurrentRulesFrom {
            let rules = [Rule.longestChain] + otherRules
            let scheduler = self
            let work: [PreparedWork] = .concurrentMap(rules.count + 1) { index in
                guard index < rules.count else { return .bound(scheduler.lowerBound(tasks, order: order)) }
                return .schedule(Result { () throws(SchedulingError) -> Schedule in
                    try scheduler.schedule(tasks, chain: chain, rule: rules[index], dependents: dependents)
                })
            }
            for piece in work {
                switch piece {
                case .schedule(let result): prepared.append(result)
                case .bound(let weeks): bound = weeks
                }
            }
        } else {
            bound = lowerBound(tasks, order: order)
        }
        var first: Schedule
        if let main = prepared.first {
            first = try main.get()
        } else {
            first = try schedule(tasks, chain: chain, rule: .longestChain, dependents: dependents)
        }
        first.lowerBoundWeeks = bound
        first.graph = (order, dependents)
        guard improves, first.finishWeek > bound, isNewPlan else { return first }
        // The tries are outlines (start and end weeks only); the best is made again in full at the end, unless
        // it is one of the schedules prepared in full above.
        var best = Attempt(tasks: tasks, rule: .longestChain, outline: first.outline)
        var bestPrepared: Schedule?
        func consider(_ attempt: Attempt?) -> Bool {
            guard let attempt, attempt.outline.finishWeek < best.outline.finishWeek else { return false }
            best = attempt
            bestPrepared = nil
            return true
        }
        func attempt(_ tasks: [SchedulingTask], _ rule: Rule) -> Attempt? {
            guard let outline = try? outline(tasks, chain: chain, rule: rule, dependents: dependents) else { return nil }
            return Attempt(tasks: tasks, rule: rule, outline: outline)
        }
        for (position, rule) in otherRules.enumerated() where best.outline.finishWeek > bound {
            guard !prepared.isEmpty else {
                _ = consider(attempt(tasks, rule))
                continue
            }
            guard let schedule = try? prepared[position + 1].get() else { continue }
            if consider(Attempt(tasks: tasks, rule: rule, outline: schedule.outline)) { bestPrepared = schedule }
        }
        if tasks.count <= 20_000 {
            let requirements = tasks.map(\.requires)
            func justify() {
                for _ in 0..<Self.justificationPasses where best.outline.finishWeek > bound {
                    let forwards = justifiedTasks(best.outline, tasks: tasks, requirements: requirements, dependents: dependents)
                    guard let forwards, consider(attempt(forwards, .longestChain)) else { break }
                }
            }
            justify()
            if tasks.count <= 2_000 {
                var generator = SplitMix64(
                    seed: UInt64(tasks.count) &* 0x9E37_79B9 &+ UInt64(chain.reduce(0, &+) & 0xFFFF_FFFF))
                let rounds = Self.searchRounds(tasks: tasks.count, weekSlots: best.outline.finishWeek * maxParallel)
                for round in 0..<rounds where best.outline.finishWeek > bound {
                    let keys: [Int]
                    if round % 2 == 0 {
                        keys = chain.map { -($0 * Int.random(in: 700...1300, using: &generator) / 1000) }
                    } else {
                        // Near the best schedule so far: its start weeks, each moved by up to two weeks either way.
                        keys = best.outline.startWeek.map { $0 * 8 + Int.random(in: -16...16, using: &generator) }
                    }
                    if consider(attempt(tasks, .keys(keys))) { justify() }
                }
            }
        }
        guard best.outline.finishWeek < first.finishWeek,
            var result = bestPrepared ?? (try? schedule(best.tasks, chain: chain, rule: best.rule, dependents: dependents))
        else { return first }
        result.lowerBoundWeeks = bound
        result.graph = (order, dependents)
        return result
    }

    /// A schedule tried, and what made it, so that the best can be made again in full.
    private struct Attempt {
        var tasks: [SchedulingTask]
        var rule: Rule
        var outline: Outline
    }

    /// When each task starts and ends, without the week-by-week allocations: what the tries compare.
    struct Outline {
        var startWeek: [Int]
        var endWeek: [Int]
        var finishWeek: Int
    }

    /// Schedules tried by the search over start orders, for plans of up to 2,000 tasks above their bound:
    /// about 40,000 tasks' worth in all, from 48 schedules at 800 tasks and more up to 400 for small plans,
    /// which are cheap to schedule and where a week matters most; and at most 2,000,000 slot-weeks (weeks
    /// times `max_parallel`), so that a plan of thousands of weeks stays quick.
    static func searchRounds(tasks: Int, weekSlots: Int) -> Int {
        min(400, max(48, 40_000 / max(1, tasks)), 2_000_000 / max(1, weekSlots))
    }


    /// Rounds of double justification tried on a new plan of up to 20,000 tasks.
    static let justificationPasses = 4

    /// Double justification, a classic repair for list schedules: schedule the reversed graph (dependents
    /// before what they require) taking the tasks that end last first, then schedule forwards again taking
    /// first the tasks that the reversed schedule ended last. Tasks that had slack move next to what needs
    /// them, which often frees room earlier in the plan. Returns the tasks with that forward priority (as
    /// `previousRank`): an ordinary schedule of them keeps every rule, and the caller keeps it only when it
    /// finishes earlier.
    func justifiedTasks(
        _ outline: Outline, tasks: [SchedulingTask], requirements: [[Int]], dependents: [[Int]]
    ) -> [SchedulingTask]? {
        var reversed = tasks
        for index in reversed.indices {
            reversed[index].requires = dependents[index]
            reversed[index].previousRank = -outline.endWeek[index]
        }
        guard let backwards = try? self.outline(
            reversed, chain: chainMinutes(reversed), rule: .longestChain, dependents: requirements)
        else { return nil }
        var forwards = tasks
        for index in forwards.indices { forwards[index].previousRank = -backwards.endWeek[index] }
        return forwards
    }

    /// The design's lower bound on the finish week: no schedule can finish earlier. The largest of
    /// - the total work over the weekly capacity;
    /// - the longest chain of work over the capacity (a chain's modules run one after another);
    /// - the longest chain of weeks: a module receiving at most `rate` a week spans at least
    ///   `ceil(minutes / rate)` distinct weeks, the first of which may be the last week of what it requires;
    /// - the slots: a module spanning `s` weeks is still in progress at the end of `s - 1` of them, and at the
    ///   end of a week at most `maxParallel` modules are in progress, so the plan needs more than
    ///   `sum(s - 1) / maxParallel` weeks;
    /// - with one slot, the middle weeks: a module in progress from the start of a week to its end is the only
    ///   one at work in it, so its `s - 2` middle weeks give at most `rate` each and the rest of the work needs
    ///   full weeks of its own.
    public func lowerBound(_ tasks: [SchedulingTask]) -> Int {
        lowerBound(tasks, order: Self.topologicalOrder(tasks))
    }

    func lowerBound(_ tasks: [SchedulingTask], order: [Int]) -> Int {
        guard !tasks.isEmpty else { return 0 }
        let total = tasks.reduce(0) { $0 + $1.minutes }
        var bound = (total + capacity - 1) / capacity
        let slots = maxParallel
        var weekEndsInProgress = 0
        var middleWeeks = 0
        var middleMinutes = 0
        var work = [Int](repeating: 0, count: tasks.count)
        var weeks = [Int](repeating: 0, count: tasks.count)
        for index in order {
            let task = tasks[index]
            let rate = min(capacity, task.weeklyCap ?? capacity)
            let span = (task.minutes + rate - 1) / rate
            weekEndsInProgress += span - 1
            if span > 2 {
                middleWeeks += span - 2
                middleMinutes += (span - 2) * rate
            }
            var workBefore = 0
            var weeksBefore = 0
            for requirement in task.requires {
                workBefore = max(workBefore, work[requirement])
                weeksBefore = max(weeksBefore, weeks[requirement])
            }
            work[index] = workBefore + task.minutes
            weeks[index] = weeksBefore == 0 ? span : weeksBefore + span - 1
            bound = max(bound, (work[index] + capacity - 1) / capacity, weeks[index])
        }
        if weekEndsInProgress > 0 { bound = max(bound, 1 + (weekEndsInProgress + slots - 1) / slots) }
        if slots == 1 && middleWeeks > 0 {
            bound = max(bound, middleWeeks + (total - middleMinutes + capacity - 1) / capacity)
        }
        return bound
    }


    /// For each task, the tasks that require it.
    static func dependents(of tasks: [SchedulingTask]) -> [[Int]] {
        var dependents = [[Int]](repeating: [], count: tasks.count)
        for index in tasks.indices { for requirement in tasks[index].requires { dependents[requirement].append(index) } }
        return dependents
    }

    /// The full schedule by one rule.
    func schedule(
        _ tasks: [SchedulingTask], chain: [Int], rule: Rule, dependents: [[Int]]? = nil
    ) throws(SchedulingError) -> Schedule {
        let (outline, weeks) = try run(
            tasks, chain: chain, rule: rule, dependents: dependents ?? Self.dependents(of: tasks), record: true)
        return Schedule(startWeek: outline.startWeek, endWeek: outline.endWeek, weeks: weeks, chainMinutes: chain)
    }

    /// The outline of the schedule by one rule, without keeping each week's allocations.
    func outline(_ tasks: [SchedulingTask], chain: [Int], rule: Rule, dependents: [[Int]]) throws(SchedulingError) -> Outline {
        try run(tasks, chain: chain, rule: rule, dependents: dependents, record: false).outline
    }

    /// Schedules week by week, keeping each week's allocations when `record` is set.
    private func run(
        _ tasks: [SchedulingTask], chain: [Int], rule: Rule, dependents: [[Int]], record: Bool
    ) throws(SchedulingError) -> (outline: Outline, weeks: [[Schedule.Allocation]]) {
        let count = tasks.count
        var unmet = tasks.map { $0.requires.count }  // a closure: a two-part key path is not inlined
        var remaining = tasks.map(\.minutes)
        var startWeek = [Int](repeating: 0, count: count)
        var endWeek = [Int](repeating: 0, count: count)
        func candidate(_ index: Int) -> Candidate {
            // Fields read in place: copying the task would retain its list of requirements.
            let (stageRank, order, capped) = (tasks[index].stageRank, tasks[index].order, tasks[index].weeklyCap != nil)
            let keys: (Int, Int, Int, Int)
            switch rule {
            case .longestChain: keys = (-chain[index], stageRank, order, 0)
            case .uncappedFirst: keys = (capped ? 1 : 0, -chain[index], stageRank, order)
            case .declarationOrder: keys = (order, 0, 0, 0)
            case .cappedFirst: keys = (capped ? 0 : 1, -chain[index], stageRank, order)
            case .largestFirst: keys = (-tasks[index].minutes, -chain[index], stageRank, order)
            case .keys(let given): keys = (given[index], stageRank, order, 0)
            }
            return Candidate(
                inProgress: tasks[index].inProgress, previousRank: tasks[index].previousRank ?? Int.max, first: keys.0,
                second: keys.1, third: keys.2, fourth: keys.3, index: index)
        }
        var ready = Heap<Candidate>(tasks.indices.filter { unmet[$0] == 0 }.map(candidate))
        var active: [Candidate] = []
        var weeks: [[Schedule.Allocation]] = []
        var weekCount = 0
        var allocations: [Schedule.Allocation] = []
        var finished = 0
        // This week's allocation of each task (its position in `allocations`), or -1; the minutes a task has
        // had this week are that allocation's. Reset for the tasks touched at the end of each week.
        var slotThisWeek = [Int](repeating: -1, count: count)

        while finished < count {
            let week = weekCount + 1
            guard week <= Self.maxWeeks else { throw .tooLong(limit: Self.maxWeeks) }
            var left = capacity
            allocations.removeAll(keepingCapacity: true)
            while left > 0 {
                var progressed = false
                var index = 0
                while index < active.count, left > 0 {
                    let task = active[index].index
                    let slot = slotThisWeek[task]
                    let cap = (tasks[task].weeklyCap ?? Int.max) - (slot < 0 ? 0 : allocations[slot].minutes)
                    let give = min(remaining[task], cap, left)
                    if give > 0 {
                        if startWeek[task] == 0 { startWeek[task] = week }
                        remaining[task] -= give
                        left -= give
                        if slot >= 0 {
                            allocations[slot].minutes += give
                        } else {
                            slotThisWeek[task] = allocations.count
                            allocations.append(.init(task: task, minutes: give))
                        }
                        progressed = true
                    }
                    if remaining[task] == 0 {
                        endWeek[task] = week
                        finished += 1
                        active.remove(at: index)
                        for dependent in dependents[task] {
                            unmet[dependent] -= 1
                            if unmet[dependent] == 0 { ready.insert(candidate(dependent)) }
                        }
                    } else {
                        index += 1
                    }
                }
                // Free slots go to the best ready tasks; they receive minutes on the next pass.
                var started = false
                while left > 0, active.count < maxParallel, let next = ready.popMin() {
                    let position = active.firstIndex { next < $0 } ?? active.count
                    active.insert(next, at: position)
                    started = true
                }
                if !progressed && !started { break }
            }
            for allocation in allocations { slotThisWeek[allocation.task] = -1 }
            if record { weeks.append(allocations) }
            weekCount += 1
            if allocations.isEmpty && active.isEmpty && ready.isEmpty && finished < count {
                break  // unreachable for an acyclic graph; a guard against a hang on bad input
            }
        }
        return (Outline(startWeek: startWeek, endWeek: endWeek, finishWeek: weekCount), weeks)
    }
}

/// A small deterministic random number generator (SplitMix64), so that the search over start orders gives
/// the same plan for the same input on every machine; tests use it to repeat random cases exactly.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
