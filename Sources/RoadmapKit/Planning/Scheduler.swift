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

    /// The last week with work; 0 for an empty plan.
    public var finishWeek: Int { weeks.count }
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

    public init(capacityMinutes: Int, maxParallel: Int) {
        self.capacity = max(1, capacityMinutes)
        self.maxParallel = max(1, maxParallel)
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
    }

    /// The other rules tried for a new plan; the last two only for plans of up to 5,000 tasks.
    static let otherRules: [Rule] = [.uncappedFirst, .declarationOrder, .cappedFirst, .largestFirst]

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
        let order = Self.topologicalOrder(tasks)
        var dependents = [[Int]](repeating: [], count: tasks.count)
        for (index, task) in tasks.enumerated() { for requirement in task.requires { dependents[requirement].append(index) } }
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
        var unmet = tasks.map(\.requires.count)
        var dependents = [[Int]](repeating: [], count: tasks.count)
        for (index, task) in tasks.enumerated() { for requirement in task.requires { dependents[requirement].append(index) } }
        var queue = tasks.indices.filter { unmet[$0] == 0 }
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
    /// order to keep) the simpler rules are tried too, and one is kept only when it finishes strictly earlier:
    /// greedy list scheduling has no single best rule, and the cost is a few more passes over the weeks.
    public func schedule(_ tasks: [SchedulingTask]) throws(SchedulingError) -> Schedule {
        let chain = chainMinutes(tasks)
        var best = try schedule(tasks, chain: chain, rule: .longestChain)
        guard !tasks.contains(where: { $0.inProgress || $0.previousRank != nil }) else { return best }
        let total = tasks.reduce(0) { $0 + $1.minutes }
        let workBound = (total + capacity - 1) / capacity
        for rule in Self.otherRules.prefix(tasks.count <= 5_000 ? 4 : 2) where best.finishWeek > workBound {
            if let other = try? schedule(tasks, chain: chain, rule: rule), other.finishWeek < best.finishWeek {
                best = other
            }
        }
        return best
    }

    func schedule(_ tasks: [SchedulingTask], chain: [Int], rule: Rule) throws(SchedulingError) -> Schedule {
        let count = tasks.count
        var dependents = [[Int]](repeating: [], count: count)
        for (index, task) in tasks.enumerated() { for requirement in task.requires { dependents[requirement].append(index) } }
        var unmet = tasks.map(\.requires.count)
        var remaining = tasks.map(\.minutes)
        var startWeek = [Int](repeating: 0, count: count)
        var endWeek = [Int](repeating: 0, count: count)
        func candidate(_ index: Int) -> Candidate {
            let task = tasks[index]
            let keys: (Int, Int, Int, Int)
            switch rule {
            case .longestChain: keys = (-chain[index], task.stageRank, task.order, 0)
            case .uncappedFirst: keys = (task.weeklyCap == nil ? 0 : 1, -chain[index], task.stageRank, task.order)
            case .declarationOrder: keys = (task.order, 0, 0, 0)
            case .cappedFirst: keys = (task.weeklyCap == nil ? 1 : 0, -chain[index], task.stageRank, task.order)
            case .largestFirst: keys = (-task.minutes, -chain[index], task.stageRank, task.order)
            }
            return Candidate(
                inProgress: task.inProgress, previousRank: task.previousRank ?? Int.max, first: keys.0, second: keys.1,
                third: keys.2, fourth: keys.3, index: index)
        }
        var ready = Heap<Candidate>(tasks.indices.filter { unmet[$0] == 0 }.map(candidate))
        var active: [Candidate] = []
        var weeks: [[Schedule.Allocation]] = []
        var finished = 0
        // This week's allocation of each task (its position in `allocations`), or -1; the minutes a task has
        // had this week are that allocation's. Reset for the tasks touched at the end of each week.
        var slotThisWeek = [Int](repeating: -1, count: count)

        while finished < count {
            let week = weeks.count + 1
            guard week <= Self.maxWeeks else { throw .tooLong(limit: Self.maxWeeks) }
            var left = capacity
            var allocations: [Schedule.Allocation] = []
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
            weeks.append(allocations)
            if allocations.isEmpty && active.isEmpty && ready.isEmpty && finished < count {
                break  // unreachable for an acyclic graph; a guard against a hang on bad input
            }
        }
        return Schedule(startWeek: startWeek, endWeek: endWeek, weeks: weeks, chainMinutes: chain)
    }
}
