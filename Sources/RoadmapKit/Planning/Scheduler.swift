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

    private struct Candidate: Comparable {
        var inProgress: Bool
        var previousRank: Int
        var chain: Int
        var stageRank: Int
        var order: Int
        var index: Int
        // Heap.popMin takes the best: in-progress first, longest chain, lowest stage, earliest declared.
        static func < (a: Candidate, b: Candidate) -> Bool {
            (a.inProgress ? 0 : 1, a.previousRank, -a.chain, a.stageRank, a.order, a.index)
                < (b.inProgress ? 0 : 1, b.previousRank, -b.chain, b.stageRank, b.order, b.index)
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
            let longest = dependents[index].map { chain[$0] }.max() ?? 0
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

    public func schedule(_ tasks: [SchedulingTask]) throws(SchedulingError) -> Schedule {
        let count = tasks.count
        let chain = chainMinutes(tasks)
        var dependents = [[Int]](repeating: [], count: count)
        for (index, task) in tasks.enumerated() { for requirement in task.requires { dependents[requirement].append(index) } }
        var unmet = tasks.map(\.requires.count)
        var remaining = tasks.map(\.minutes)
        var startWeek = [Int](repeating: 0, count: count)
        var endWeek = [Int](repeating: 0, count: count)
        func candidate(_ index: Int) -> Candidate {
            Candidate(
                inProgress: tasks[index].inProgress, previousRank: tasks[index].previousRank ?? Int.max, chain: chain[index], stageRank: tasks[index].stageRank,
                order: tasks[index].order, index: index)
        }
        var ready = Heap<Candidate>(tasks.indices.filter { unmet[$0] == 0 }.map(candidate))
        var active: [Candidate] = []
        var weeks: [[Schedule.Allocation]] = []
        var finished = 0
        var usedThisWeek: [Int: Int] = [:]

        while finished < count {
            let week = weeks.count + 1
            guard week <= Self.maxWeeks else { throw .tooLong(limit: Self.maxWeeks) }
            var left = capacity
            var allocations: [Schedule.Allocation] = []
            usedThisWeek.removeAll(keepingCapacity: true)
            while left > 0 {
                var progressed = false
                var index = 0
                while index < active.count, left > 0 {
                    let task = active[index].index
                    let cap = (tasks[task].weeklyCap ?? Int.max) - usedThisWeek[task, default: 0]
                    let give = min(remaining[task], cap, left)
                    if give > 0 {
                        if startWeek[task] == 0 { startWeek[task] = week }
                        remaining[task] -= give
                        left -= give
                        usedThisWeek[task, default: 0] += give
                        if let existing = allocations.firstIndex(where: { $0.task == task }) {
                            allocations[existing].minutes += give
                        } else {
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
            weeks.append(allocations)
            if allocations.isEmpty && active.isEmpty && ready.isEmpty && finished < count {
                break  // unreachable for an acyclic graph; a guard against a hang on bad input
            }
        }
        return Schedule(startWeek: startWeek, endWeek: endWeek, weeks: weeks, chainMinutes: chain)
    }
}
