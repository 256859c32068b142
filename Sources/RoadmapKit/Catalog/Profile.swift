/// The defaults of a profile, shared by profile files, `roadmap init` and the command line, so that
/// they can never disagree.
public enum ProfileDefaults {
    public static let roadmap = "ml-research-fellow"
    public static let targetStage = "fellow"
    public static let hoursPerWeek = 10.0
    public static let maxParallel = 2
    public static let includeOptional = false
    /// The most hours in a week.
    public static let maxHoursPerWeek = 168.0
}

/// A person's goals: where they stand, where they want to be, and how much time they can give.
public struct Profile: Hashable, Sendable {
    public var name: String?
    public var roadmap: Located<String>
    /// Stages up to and including this one count as mastered; nil when starting from nothing.
    public var currentStage: Located<String>?
    public var targetStage: Located<String>
    public var specializations: [Located<String>]
    public var hoursPerWeek: Located<Double>
    public var start: Located<CalendarDate>
    public var deadline: Located<CalendarDate>?
    /// Mastered modules beyond the current stage.
    public var known: [Located<String>]
    /// Modules at or below the current stage still to study.
    public var gaps: [Located<String>]
    public var includeOptional: Bool
    public var maxParallel: Located<Int>
    /// The file the profile was read from; nil for the default profile.
    public var file: String?

    /// The profile used without `--profile`: target `fellow`, 10 hours a week, starting the Monday after `today`.
    public static func standard(today: CalendarDate) -> Profile {
        let here = SourceLocation(file: "<default profile>", line: 1, column: 1)
        return Profile(
            name: nil, roadmap: Located(ProfileDefaults.roadmap, at: here), currentStage: nil,
            targetStage: Located(ProfileDefaults.targetStage, at: here), specializations: [],
            hoursPerWeek: Located(ProfileDefaults.hoursPerWeek, at: here), start: Located(today.nextMonday, at: here),
            deadline: nil, known: [], gaps: [], includeOptional: ProfileDefaults.includeOptional,
            maxParallel: Located(ProfileDefaults.maxParallel, at: here), file: nil)
    }
}

/// Reads a profile file.
public struct ProfileDecoder: Sendable {
    public static let keys = [
        "name", "roadmap", "current_stage", "target_stage", "specializations", "hours_per_week", "start", "deadline",
        "known", "gaps", "include_optional", "max_parallel",
    ]

    /// The most entries in `known` or `gaps`: far more modules than a catalog's career path holds.
    public static let maxModuleList = 10_000
    /// The most specializations in one profile.
    public static let maxSpecializations = 100

    public init() {}

    /// Decodes `document`; `today` gives the default start (the next Monday). Values with errors keep their
    /// defaults; the profile is nil only when the file is not a mapping at all.
    public func decode(_ document: YAMLDocument, today: CalendarDate, diagnostics: inout Diagnostics) -> Profile? {
        guard let node = document.root else {
            diagnostics.error(.emptyFile, "profile is empty", at: .start(of: document.file))
            return nil
        }
        guard let fields = FieldReader(node, context: "profile", allowed: Self.keys, diagnostics: &diagnostics) else { return nil }
        var profile = Profile.standard(today: today)
        profile.file = document.file
        let here = node.location
        profile.roadmap.location = here
        profile.targetStage.location = here
        profile.hoursPerWeek.location = here
        profile.start.location = here
        profile.maxParallel.location = here
        profile.name = fields.string("name", diagnostics: &diagnostics)?.value
        if let roadmap = fields.id("roadmap", diagnostics: &diagnostics) { profile.roadmap = roadmap }
        profile.currentStage = fields.id("current_stage", diagnostics: &diagnostics)
        if let target = fields.id("target_stage", diagnostics: &diagnostics) { profile.targetStage = target }
        profile.specializations = strings(fields, "specializations", limit: Self.maxSpecializations, diagnostics: &diagnostics).compactMap {
            FieldReader.checkID($0, diagnostics: &diagnostics)
        }
        if let hours = fields.number("hours_per_week", diagnostics: &diagnostics) {
            if hours.value > 0, hours.value <= ProfileDefaults.maxHoursPerWeek {
                profile.hoursPerWeek = hours
            } else {
                diagnostics.error(
                    .invalidValue, "'hours_per_week' must be more than 0 and at most 168, found \(format(hours.value))",
                    at: hours.location)
            }
        }
        if let start = date(fields, "start", diagnostics: &diagnostics) { profile.start = start }
        profile.deadline = date(fields, "deadline", diagnostics: &diagnostics)
        if let deadline = profile.deadline, deadline.value <= profile.start.value {
            diagnostics.error(
                .invalidDate, "'deadline' \(deadline.value) is not after 'start' \(profile.start.value)", at: deadline.location)
        }
        profile.known = strings(fields, "known", limit: Self.maxModuleList, diagnostics: &diagnostics)
        profile.gaps = strings(fields, "gaps", limit: Self.maxModuleList, diagnostics: &diagnostics)
        profile.includeOptional = fields.bool("include_optional", diagnostics: &diagnostics)?.value ?? ProfileDefaults.includeOptional
        if let parallel = fields.integer("max_parallel", diagnostics: &diagnostics) {
            if parallel.value >= 1, parallel.value <= 100 {
                profile.maxParallel = parallel
            } else {
                diagnostics.error(
                    .invalidValue, "'max_parallel' must be a whole number from 1 to 100, found \(parallel.value)",
                    at: parallel.location)
            }
        }
        // Returned even with errors, so that callers can go on to report every other problem in one run.
        return profile
    }

    /// A list of texts of at most `limit` entries; a longer one is refused whole, before each entry costs a
    /// lookup in the catalog.
    private func strings(_ fields: FieldReader, _ key: String, limit: Int, diagnostics: inout Diagnostics) -> [Located<String>] {
        if let node = fields.node(key), node.kind == .sequence, node.items.count > limit {
            diagnostics.error(
                .limitExceeded, "'\(key)' lists \(node.items.count) entries, more than the limit of \(limit)", at: node.location)
            return []
        }
        return fields.strings(key, diagnostics: &diagnostics)
    }

    private func date(_ fields: FieldReader, _ key: String, diagnostics: inout Diagnostics) -> Located<CalendarDate>? {
        guard let text = fields.string(key, diagnostics: &diagnostics) else { return nil }
        guard let date = CalendarDate(parsing: text.value) else {
            diagnostics.error(
                .invalidDate, "'\(key)' is '\(text.value)', which is not a real date in the form YYYY-MM-DD",
                at: text.location)
            return nil
        }
        return Located(date, at: text.location)
    }
}
