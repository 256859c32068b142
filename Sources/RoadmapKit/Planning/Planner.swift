import Dispatch

/// Progress already made, as the planner needs it: what is finished and how much is logged.
public struct PlanningProgress: Sendable, Hashable {
    /// Done or skipped modules, with the status.
    public var finished: [ModuleID: String]
    /// Hours logged against modules not finished.
    public var loggedHours: [ModuleID: Double]
    /// Started and not finished.
    public var inProgress: Set<ModuleID>
    /// The previous plan's order of modules, to keep untouched modules where they were.
    public var previousOrder: [ModuleID]

    public init(
        finished: [ModuleID: String] = [:], loggedHours: [ModuleID: Double] = [:], inProgress: Set<ModuleID> = [],
        previousOrder: [ModuleID] = []
    ) {
        self.finished = finished
        self.loggedHours = loggedHours
        self.inProgress = inProgress
        self.previousOrder = previousOrder
    }

    public static let none = PlanningProgress()
}

/// Turns a composition and a profile into a ``Plan``. The passes, in order:
/// 1. `resolveProfile`: stages and module ids of the profile against the composition.
/// 2. `ScopeBuilder.build`: the modules in the plan and why (needs 1).
/// 3. `schedule`: weeks for the scope (needs 2).
/// 4. `analyse`: slack, critical path, milestones, lower bound (needs 3).
/// 5. `feasibility`: the deadline, and what would meet it (reruns 2-3 with other settings).
public struct Planner: Sendable {
    public let composition: Composition
    public let profile: Profile
    public let progress: PlanningProgress
    public let today: CalendarDate
    /// Whether the scheduler may try more than its main rule on a new plan that misses its lower bound
    /// (``Scheduler/schedule(_:)``): on by default; off gives the first schedule at once, as a fuzzer wants.
    public var improvesSchedule = true
    /// From this many modules, the scheduling tasks are made in parts on all cores, and so are the plan's items,
    /// at the same time as its weeks.
    var concurrentAnalysisFrom = 4_000

    public init(composition: Composition, profile: Profile, progress: PlanningProgress = .none, today: CalendarDate) {
        self.composition = composition
        self.profile = profile
        self.progress = progress
        self.today = today
    }

    /// The plan, or the diagnostics that prevent one.
    public func plan(diagnostics: inout Diagnostics) -> Plan? {
        guard let resolved = resolveProfile(diagnostics: &diagnostics) else { return nil }
        let scope = ScopeBuilder.build(
            composition, targetRank: resolved.target.rank, mastery: resolved.mastery, includeOptional: profile.includeOptional)
        let hoursPerWeek = profile.hoursPerWeek.value
        let schedule: (tasks: [SchedulingTask], schedule: Schedule)
        do {
            schedule = try makeSchedule(
                scope.modules, positions: scope.positions, hoursPerWeek: hoursPerWeek, improves: improvesSchedule)
        } catch {
            diagnostics.error(
                .limitExceeded,
                "the plan would take more than \(Scheduler.maxWeeks) weeks at \(format(hoursPerWeek)) hours a week",
                at: profile.hoursPerWeek.location, help: ["give more hours a week, or aim at a lower stage"])
            return nil
        }
        // Calendars, and the formats that carry dates, stop at the year 9999.
        let lastDay = profile.start.value.adding(days: 7 * schedule.schedule.finishWeek - 1)
        if lastDay > CalendarDate.latest {
            diagnostics.error(
                .limitExceeded, "the plan would end on \(lastDay), after the last date roadmap handles, \(CalendarDate.latest)",
                at: profile.start.location, help: ["start earlier, or give more hours a week"])
            return nil
        }
        var plan = analyse(scope: scope, tasks: schedule.tasks, schedule: schedule.schedule, resolved: resolved)
        if let deadline = profile.deadline?.value {
            plan.feasibility = feasibility(of: plan, deadline: deadline, resolved: resolved)
        }
        if !progress.previousOrder.isEmpty {
            plan.movedModules = movedCount(plan)
        }
        return plan
    }

    // MARK: 1. Profile

    /// Checks the profile's stages and module ids against the composition, reporting every problem.
    public func checkProfile(diagnostics: inout Diagnostics) {
        _ = resolveProfile(diagnostics: &diagnostics)
    }

    /// The profile's target and current stages among `stages`; each unknown one is reported.
    public static func stages(
        of profile: Profile, among stages: [Stage], diagnostics: inout Diagnostics
    ) -> (target: Stage?, current: Stage?) {
        func stage(_ located: Located<String>, role: String) -> Stage? {
            if let found = stages.first(where: { $0.id == located.value }) { return found }
            diagnostics.error(
                .unknownStage, "unknown \(role) stage '\(located.value)'", at: located.location,
                help: [Suggestions.didYouMean(Suggestions.closest(to: located.value, among: stages.map(\.id)))
                    ?? "stages are " + stages.map { "'\($0.id)'" }.joined(separator: ", ")])
            return nil
        }
        return (stage(profile.targetStage, role: "target"), profile.currentStage.flatMap { stage($0, role: "current") })
    }

    struct ResolvedProfile {
        var target: Stage
        var current: Stage?
        var mastery: Mastery
    }

    func resolveProfile(diagnostics: inout Diagnostics) -> ResolvedProfile? {
        let (target, current) = Self.stages(of: profile, among: composition.stages, diagnostics: &diagnostics)
        func modules(_ list: [Located<String>], key: String) -> Set<ModuleID> {
            var result = Set<ModuleID>()
            for entry in list {
                if let id = composition.resolve(entry.value) {
                    result.insert(id)
                } else {
                    diagnostics.error(
                        .unknownModule, "unknown module '\(entry.value)' in '\(key)'", at: entry.location,
                        help: Suggestions.wanted(diagnostics, candidates: composition.declarationOrder.count)
                            ? Suggestions.didYouMean(composition.suggestions(for: entry.value)).map { [$0] } ?? [] : [])
                }
            }
            return result
        }
        let known = modules(profile.known, key: "known")
        let gaps = modules(profile.gaps, key: "gaps")
        guard let target, profile.currentStage == nil || current != nil else { return nil }
        guard !diagnostics.hasErrors else { return nil }
        return ResolvedProfile(
            target: target, current: current,
            mastery: Mastery(currentStageRank: current?.rank, known: known, gaps: gaps, finished: progress.finished))
    }

    // MARK: 3. Schedule

    static func minutes(_ hours: Double) -> Int { max(1, Int((hours * 60).rounded())) }
    static func hours(_ minutes: Int) -> Double { Double(minutes) / 60 }

    /// Hours left of a module: its estimate less what is logged, never below a tenth of it, so that a
    /// module logged past its estimate but not marked done still shows up.
    func remainingHours(_ module: Module) -> Double {
        let logged = progress.loggedHours.isEmpty ? 0 : progress.loggedHours[module.id] ?? 0
        return max(module.hours - logged, module.hours / 10)
    }

    /// The scheduling tasks of `modules` (in declaration order; `positions`, their numbers in the composition's
    /// numbered graph, when known) and their schedule.
    func makeSchedule(
        _ modules: [ModuleID], positions known: [Int]? = nil, hoursPerWeek: Double, improves: Bool = true
    ) throws(SchedulingError) -> (tasks: [SchedulingTask], schedule: Schedule) {
        // Modules are read by their position in declaration order when the plan's modules are in that order (as
        // scopes are); otherwise by id.
        let declaration = DeclarationIndex(composition)
        let positions = declaration == nil ? nil : known ?? declaration?.positions(of: modules)
        // Requirements by number: each module number's task, or -1 (with the numbered graph); else by id.
        var taskOf: [Int] = []
        var index: [ModuleID: Int] = [:]
        let numbered = positions == nil ? nil : composition.numbered
        if let numbered, let positions {
            taskOf = [Int](repeating: -1, count: numbered.requirements.count)
            for (task, position) in positions.enumerated() { taskOf[position] = task }
        } else {
            index.reserveCapacity(modules.count)
            for (position, id) in modules.enumerated() {
                precondition(index.updateValue(position, forKey: id) == nil, "a module is twice in the plan: \(id)")
            }
        }
        var previous: [ModuleID: Int] = [:]
        for (position, id) in progress.previousOrder.enumerated() where previous[id] == nil { previous[id] = position }
        var declared: [ModuleID: Int] = [:]
        if positions == nil {
            declared.reserveCapacity(modules.count)
            for (position, id) in composition.declarationOrder.enumerated() where index[id] != nil {
                precondition(declared.updateValue(position, forKey: id) == nil, "a module is declared twice: \(id)")
            }
        }
        let inProgress = progress.inProgress
        // Constants for the tasks, which may be made on several threads.
        let (planner, taskOfNumber, taskOfID, declaredAt, previousAt) = (self, taskOf, index, declared, previous)
        @Sendable func task(_ taskIndex: Int) -> SchedulingTask {
            let composition = planner.composition
            let id = modules[taskIndex]
            let module: Module
            let order: Int
            if let declaration, let positions {
                let place = declaration.place(of: positions[taskIndex])
                module = declaration.modules[place.package][place.index]
                order = positions[taskIndex]
            } else {
                module = composition.modules[id]!
                order = declaredAt[id] ?? 0
            }
            let cap = module.weeklyCap.map { Self.minutes($0) }
            var requires: [Int] = []
            if let numbered, let positions {
                let edges = numbered.graph.edges(of: positions[taskIndex])
                if !edges.isEmpty {
                    requires.reserveCapacity(edges.count)
                    for edge in edges where taskOfNumber[edge] >= 0 { requires.append(taskOfNumber[edge]) }
                }
            } else if let written = composition.requirements[id], !written.isEmpty {
                requires.reserveCapacity(written.count)
                for requirement in written { if let position = taskOfID[requirement] { requires.append(position) } }
            }
            return SchedulingTask(
                minutes: Self.minutes(planner.remainingHours(module)), weeklyCap: cap,
                requires: requires,
                stageRank: composition.stageRank(module.stage.value) ?? 0,
                order: order, inProgress: !inProgress.isEmpty && inProgress.contains(id),
                previousRank: previousAt.isEmpty ? nil : previousAt[id])
        }
        let tasks = modules.count >= concurrentAnalysisFrom
            ? [SchedulingTask](count: modules.count, parts: 2, making: task) : modules.indices.map(task)
        let scheduler = Scheduler(
            capacityMinutes: Self.minutes(hoursPerWeek), maxParallel: profile.maxParallel.value, improves: improves)
        return (tasks, try scheduler.schedule(tasks))
    }

    // MARK: 4. Analysis

    func analyse(scope: Scope, tasks: [SchedulingTask], schedule: Schedule, resolved: ResolvedProfile) -> Plan {
        let modules = scope.modules
        let finishWeek = schedule.finishWeek
        let start = profile.start.value
        // Latest finish under the requirements alone: a module must end by the week its dependents start.
        var (order, dependents) = schedule.graph
        if order.count != tasks.count {
            dependents = Scheduler.dependents(of: tasks)
            order = Scheduler.topologicalOrder(tasks, dependents: dependents)
        }
        var latestFinish = [Int](repeating: finishWeek, count: tasks.count)
        for index in order.reversed() {
            for dependent in dependents[index] {
                let span = schedule.endWeek[dependent] - schedule.startWeek[dependent] + 1
                latestFinish[index] = min(latestFinish[index], latestFinish[dependent] - span + 1)
            }
        }
        // Each module's hours by week, and where its first allocation comes in the schedule.
        var byWeek = [[PlanItem.WeekHours]](repeating: [], count: tasks.count)
        var firstAllocation = [Int](repeating: -1, count: tasks.count)
        var position = 0
        for (offset, allocations) in schedule.weeks.enumerated() {
            for allocation in allocations {
                byWeek[allocation.task].append(.init(week: offset + 1, hours: Self.hours(allocation.minutes)))
                if firstAllocation[allocation.task] < 0 { firstAllocation[allocation.task] = position }
                position += 1
            }
        }
        // Items in the order they start: by start week, then by their first allocation in the schedule. The
        // order is worked out on task indices and each item is made once, in place.
        let startOrder = modules.indices.sorted { ia, ib in
            (schedule.startWeek[ia], max(0, firstAllocation[ia])) < (schedule.startWeek[ib], max(0, firstAllocation[ib]))
        }
        let declaration = DeclarationIndex(composition)
        let positions = declaration == nil ? nil : scope.positions ?? declaration?.positions(of: modules)
        let numbered = positions == nil ? nil : composition.numbered
        let planner = self
        let (byWeekDone, target, latest) = (byWeek, resolved.target, latestFinish)
        @Sendable func item(_ index: Int) -> PlanItem {
            let id = modules[index]
            let module: Module
            if let declaration, let positions {
                let place = declaration.place(of: positions[index])
                module = declaration.modules[place.package][place.index]
            } else {
                module = planner.composition.modules[id]!
            }
            let stage = planner.composition.stages.first { $0.id == module.stage.value } ?? target
            let slack = max(0, latest[index] - schedule.endWeek[index])
            let progress = planner.progress
            return PlanItem(
                module: module, stage: stage, hours: Self.hours(tasks[index].minutes), startWeek: schedule.startWeek[index],
                endWeek: schedule.endWeek[index], startDate: start.adding(days: 7 * (schedule.startWeek[index] - 1)),
                endDate: start.adding(days: 7 * schedule.endWeek[index] - 1), hoursByWeek: byWeekDone[index], slackWeeks: slack,
                critical: slack == 0,
                requires: numbered.map { $0.requirements[positions![index]] } ?? planner.composition.requirements[id] ?? [],
                chainHours: Self.hours(schedule.chainMinutes[index]),
                loggedHours: progress.loggedHours.isEmpty ? 0 : progress.loggedHours[id] ?? 0,
                inProgress: !progress.inProgress.isEmpty && progress.inProgress.contains(id))
        }
        @Sendable func planWeeks() -> [PlanWeek] {
            schedule.weeks.enumerated().map { offset, allocations in
                var entries: [PlanWeek.Allocation] = []
                entries.reserveCapacity(allocations.count)
                var total = 0
                for allocation in allocations {
                    entries.append(.init(module: modules[allocation.task], hours: Self.hours(allocation.minutes)))
                    total += allocation.minutes
                }
                return PlanWeek(
                    week: offset + 1, startDate: start.adding(days: 7 * offset), hours: Self.hours(total), allocations: entries)
            }
        }
        let count = modules.count
        let weeks: [PlanWeek]
        let items: [PlanItem]
        if count >= concurrentAnalysisFrom {
            // The weeks as one part and the items as others, each item made in its own slot of the array.
            let parts = 3
            var made: [PlanWeek] = []
            items = [PlanItem](unsafeUninitializedCapacity: count) { buffer, initialized in
                nonisolated(unsafe) let slots = buffer
                nonisolated(unsafe) var weekList: [PlanWeek] = []
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    guard part > 0 else { return weekList = planWeeks() }
                    let range = (count * (part - 1) / (parts - 1))..<(count * part / (parts - 1))
                    for slot in range { (slots.baseAddress! + slot).initialize(to: item(startOrder[slot])) }
                }
                made = weekList
                initialized = count
            }
            weeks = made
        } else {
            weeks = planWeeks()
            items = startOrder.map(item)
        }
        let itemNumbers = positions.flatMap { positions in numbered == nil ? nil : startOrder.map { positions[$0] } }
        var milestones: [Milestone] = []
        for stage in composition.stages where stage.rank <= resolved.target.rank && stage.rank > (resolved.current?.rank ?? -1) {
            var week = 0
            for position in items.indices where items[position].stage.rank <= stage.rank {
                week = max(week, items[position].endWeek)
            }
            milestones.append(Milestone(stage: stage, week: week, date: week == 0 ? start : start.adding(days: 7 * week - 1)))
        }
        return Plan(
            profile: profile, composition: composition, scope: scope, targetStage: resolved.target,
            currentStage: resolved.current, items: items, itemNumbers: itemNumbers, weeks: weeks, milestones: milestones,
            totalHours: Self.hours(tasks.reduce(0) { $0 + $1.minutes }), finishWeek: finishWeek,
            lowerBoundWeeks: schedule.lowerBoundWeeks,
            finishDate: finishWeek == 0 ? start : start.adding(days: 7 * finishWeek - 1), feasibility: nil, today: today,
            movedModules: nil)
    }

    // MARK: 5. Feasibility

    /// The finish of a trial plan, from the scheduler's first schedule alone: the plan made with the search
    /// finishes no later, so an answer built on trials holds for it.
    private func finishDate(_ modules: [ModuleID], hoursPerWeek: Double) -> CalendarDate? {
        guard let result = try? makeSchedule(modules, hoursPerWeek: hoursPerWeek, improves: false) else { return nil }
        return profile.start.value.adding(days: 7 * result.schedule.finishWeek - 1)
    }

    func feasibility(of plan: Plan, deadline: CalendarDate, resolved: ResolvedProfile) -> Feasibility {
        let modules = plan.scope.modules
        let holds = plan.finishWeek == 0 || plan.finishDate <= deadline
        let margin = CalendarDate.weeks(from: plan.finishDate, to: deadline)
        var result = Feasibility(
            deadline: deadline, holds: holds, marginWeeks: margin, requiredHoursPerWeek: nil, modulesToDrop: [],
            highestStageByDeadline: nil)
        if holds {
            result.highestStageByDeadline = plan.targetStage.id
            return result
        }
        // Hours a week, in half hours: a binary search, then a check of the answer.
        func meets(_ halfHours: Int) -> Bool {
            guard let date = finishDate(modules, hoursPerWeek: Double(halfHours) / 2) else { return false }
            return date <= deadline
        }
        let current = Int((profile.hoursPerWeek.value * 2).rounded(.down))
        var low = current, high = Int(ProfileDefaults.maxHoursPerWeek * 2)
        if meets(high) {
            while high - low > 1 {
                let middle = (low + high) / 2
                if meets(middle) { high = middle } else { low = middle }
            }
            result.requiredHoursPerWeek = Double(high) / 2
        }
        result.modulesToDrop = modulesToDrop(plan: plan, deadline: deadline)
        // The highest stage whose own plan fits.
        for stage in composition.stages.reversed() where stage.rank < resolved.target.rank && stage.rank > (resolved.current?.rank ?? -1) {
            let scope = ScopeBuilder.build(composition, targetRank: stage.rank, mastery: resolved.mastery, includeOptional: profile.includeOptional)
            if let date = finishDate(scope.modules, hoursPerWeek: profile.hoursPerWeek.value), date <= deadline {
                result.highestStageByDeadline = stage.id
                break
            }
        }
        return result
    }

    /// A small set of modules whose removal meets the deadline: optional modules first, then modules of the
    /// target stage that nothing else in the plan needs, lowest priority first; each removal keeps the plan
    /// closed under requirements. Empty when removing all of them would not be enough.
    func modulesToDrop(plan: Plan, deadline: CalendarDate) -> [ModuleID] {
        var kept = plan.scope.modules
        var dropped: [ModuleID] = []
        let byID = Dictionary(uniqueKeysWithValues: plan.items.map { ($0.id, $0) })
        func droppable(_ kept: [ModuleID]) -> [ModuleID] {
            let required = Set(kept.flatMap { composition.requirements[$0] ?? [] })
            return kept.filter { id in
                guard !required.contains(id), let item = byID[id] else { return false }
                return item.module.optional || item.stage.rank == plan.targetStage.rank
            }
        }
        func fits(_ modules: [ModuleID]) -> Bool {
            guard !modules.isEmpty else { return true }
            guard let date = finishDate(modules, hoursPerWeek: profile.hoursPerWeek.value) else { return false }
            return date <= deadline
        }
        while !fits(kept) {
            let candidates = droppable(kept)
            guard !candidates.isEmpty, dropped.count < 64 else { return [] }
            // Optional modules go first; among equals, the one with the shortest chain behind it.
            let next = candidates.min { a, b in
                let x = byID[a]!, y = byID[b]!
                return (x.module.optional ? 0 : 1, x.chainHours, -x.hours, a.description)
                    < (y.module.optional ? 0 : 1, y.chainHours, -y.hours, b.description)
            }!
            kept.removeAll { $0 == next }
            dropped.append(next)
        }
        // Put back whatever is not needed to fit, latest dropped first.
        for id in dropped.reversed() {
            var trial = kept
            trial.append(id)
            let ordered = plan.scope.modules.filter { trial.contains($0) }
            if fits(ordered) {
                kept = ordered
                dropped.removeAll { $0 == id }
            }
        }
        return dropped
    }

    /// How many modules nobody touched start in a different relative order than in the previous plan.
    func movedCount(_ plan: Plan) -> Int {
        let previousIndex = Dictionary(progress.previousOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let untouched = plan.items.filter { previousIndex[$0.id] != nil && !$0.inProgress && $0.loggedHours == 0 }
        let previousRanks = untouched.map { previousIndex[$0.id]! }
        // Modules outside the longest run kept in the old order are the ones that moved.
        var tails: [Int] = []
        for rank in previousRanks {
            var low = 0, high = tails.count
            while low < high {
                let middle = (low + high) / 2
                if tails[middle] < rank { low = middle + 1 } else { high = middle }
            }
            if low == tails.count { tails.append(rank) } else { tails[low] = rank }
        }
        return untouched.count - tails.count
    }
}
