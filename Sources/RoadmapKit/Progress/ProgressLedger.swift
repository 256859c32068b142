/// What a journal says about each module of a composition: hours logged, status, dates.
public struct ProgressLedger: Sendable {
    public struct ModuleProgress: Hashable, Sendable {
        public var hours: Double = 0
        /// The latest status given, nil when only hours were logged.
        public var status: CheckinStatus?
        public var firstDate: CalendarDate?
        public var lastDate: CalendarDate?
        /// The last day hours were logged.
        public var lastHoursDate: CalendarDate?
    }

    public var modules: [ModuleID: ModuleProgress]
    /// Every entry with its module resolved, in journal order.
    public var entries: [(id: ModuleID, entry: JournalEntry)]

    /// Resolves each entry's module (full id, bare id or alias) in the composition; unknown ones are errors.
    public init(journal: Journal, composition: Composition, diagnostics: inout Diagnostics) {
        var modules: [ModuleID: ModuleProgress] = [:]
        var entries: [(ModuleID, JournalEntry)] = []
        for entry in journal.entries {
            guard let id = composition.resolve(entry.module.value) else {
                diagnostics.error(
                    .unknownModule, "unknown module '\(entry.module.value)' in the journal", at: entry.module.location,
                    help: !Suggestions.wanted(diagnostics, candidates: composition.declarationOrder.count) ? []
                        : Suggestions.didYouMean(composition.suggestions(for: entry.module.value)).map { [$0] }
                        ?? ["is its plugin missing from the profile's specializations?"])
                continue
            }
            entries.append((id, entry))
            var progress = modules[id] ?? ModuleProgress()
            progress.hours += entry.hours
            if let status = entry.status { progress.status = status }
            progress.firstDate = min(progress.firstDate ?? entry.at, entry.at)
            progress.lastDate = max(progress.lastDate ?? entry.at, entry.at)
            if entry.hours > 0 { progress.lastHoursDate = max(progress.lastHoursDate ?? entry.at, entry.at) }
            modules[id] = progress
        }
        self.modules = modules
        self.entries = entries
    }

    /// Whether a module is started and not finished: a `started` status, or hours without a finishing status.
    public func isInProgress(_ id: ModuleID) -> Bool {
        guard let progress = modules[id] else { return false }
        if let status = progress.status { return status == .started }
        return progress.hours > 0
    }

    public func isFinished(_ id: ModuleID) -> Bool { modules[id]?.status?.isFinished ?? false }

    /// The planner's view of this progress.
    public func planningProgress(previousOrder: [ModuleID]) -> PlanningProgress {
        var finished: [ModuleID: String] = [:]
        var logged: [ModuleID: Double] = [:]
        var inProgress = Set<ModuleID>()
        for (id, progress) in modules {
            if let status = progress.status, status.isFinished {
                finished[id] = status.rawValue
            } else {
                if progress.hours > 0 { logged[id] = progress.hours }
                if isInProgress(id) { inProgress.insert(id) }
            }
        }
        return PlanningProgress(finished: finished, loggedHours: logged, inProgress: inProgress, previousOrder: previousOrder)
    }

    public var lastCheckin: CalendarDate? { entries.map(\.entry.at).max() }
    public var firstCheckin: CalendarDate? { entries.map(\.entry.at).min() }

    /// Hours logged on days in `range`.
    public func hours(in range: ClosedRange<CalendarDate>) -> Double {
        entries.filter { range.contains($0.entry.at) }.reduce(0) { $0 + $1.entry.hours }
    }
}
