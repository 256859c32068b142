/// Plans that take progress into account: the baseline (the profile as written, no journal) and the
/// replanned one (from today's week, with done and skipped modules gone, logged hours taken off, modules
/// in progress first, and untouched modules in their baseline order wherever the rules allow).
public struct Replanning: Sendable {
    public let composition: Composition
    public let profile: Profile
    public let today: CalendarDate

    public init(composition: Composition, profile: Profile, today: CalendarDate) {
        self.composition = composition
        self.profile = profile
        self.today = today
    }

    /// The plan as it was made at the start, without the journal.
    public func baseline(diagnostics: inout Diagnostics) -> Plan? {
        Planner(composition: composition, profile: profile, today: today).plan(diagnostics: &diagnostics)
    }

    /// The first day of the plan week that holds `today` (the start itself when today is before it).
    public var currentWeekStart: CalendarDate {
        let start = profile.start.value
        guard today > start else { return start }
        return start.adding(days: (today.dayNumber - start.dayNumber) / 7 * 7)
    }

    /// The plan from this week on, given the ledger; `hoursPerWeek` overrides the profile's pace.
    public func replan(ledger: ProgressLedger, baseline: Plan?, hoursPerWeek: Double? = nil, diagnostics: inout Diagnostics) -> Plan? {
        var profile = self.profile
        profile.start.value = currentWeekStart
        if let hoursPerWeek { profile.hoursPerWeek.value = hoursPerWeek }
        // A deadline already passed cannot be checked for feasibility; the status reports it instead.
        if let deadline = profile.deadline, deadline.value <= profile.start.value { profile.deadline = nil }
        let progress = ledger.planningProgress(previousOrder: baseline?.items.map(\.id) ?? [])
        return Planner(composition: composition, profile: profile, progress: progress, today: today).plan(diagnostics: &diagnostics)
    }
}
