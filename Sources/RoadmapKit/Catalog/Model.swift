/// A rung of the career ladder, such as `engineer` or `fellow`.
public struct Stage: Hashable, Sendable {
    public var id: String
    public var title: String
    /// Typical years of experience, as written (`"0-2"`, `"6+"`).
    public var years: String?
    /// Typical US salary range in dollars.
    public var salaryUSD: ClosedRange<Int>?
    public var summary: String?
    /// Position on the ladder, 0 for the lowest.
    public var rank: Int
    public var location: SourceLocation
}

/// What a module is: something to learn, something to build, or a point to reach.
public enum ModuleKind: String, Hashable, Sendable, CaseIterable, Codable {
    case topic, project, milestone
}

/// A book, course, paper or tool that helps to study a module.
public struct Resource: Hashable, Sendable {
    public static let types = ["book", "course", "paper", "documentation", "article", "video", "tool", "dataset"]
    public var title: String
    public var url: String?
    public var type: String?
    public var location: SourceLocation
}

/// One unit of study: what to learn, how long it takes and what it builds on.
///
/// A value type whose fields are kept in one shared, immutable box: copying a module copies a reference, and
/// changing a field of a copy gives that copy a box of its own. Large catalogs hold every module in several
/// places (its package, the composition, the plan); 264 bytes of fields in each of them cost a 100,000-module
/// plan about 100 MB.
public struct Module: Hashable, Sendable {
    private struct Fields: Hashable, Sendable {
        var id: ModuleID
        var title: String
        var stage: Located<String>
        var track: String?
        var hours: Double
        var minWeeks: Int?
        var kind: ModuleKind
        var requires: [Located<String>]
        var optional: Bool
        var outcomes: [String]
        var resources: [Resource]
        var evidence: String?
        var aliases: [Located<String>]
        var location: SourceLocation
        var hoursLocation: SourceLocation
        var declarationIndex: Int
    }

    private final class Storage: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var storage: Storage

    public init(
        id: ModuleID,
        title: String,
        stage: Located<String>,
        track: String?,
        hours: Double,
        minWeeks: Int?,
        kind: ModuleKind,
        requires: [Located<String>],
        optional: Bool,
        outcomes: [String],
        resources: [Resource],
        evidence: String?,
        aliases: [Located<String>],
        location: SourceLocation,
        hoursLocation: SourceLocation,
        declarationIndex: Int
    ) {
        storage = Storage(Fields(
            id: id,
            title: title,
            stage: stage,
            track: track,
            hours: hours,
            minWeeks: minWeeks,
            kind: kind,
            requires: requires,
            optional: optional,
            outcomes: outcomes,
            resources: resources,
            evidence: evidence,
            aliases: aliases,
            location: location,
            hoursLocation: hoursLocation,
            declarationIndex: declarationIndex))
    }

    public var id: ModuleID {
        get { storage.fields.id }
        set { update { $0.id = newValue } }
    }
    public var title: String {
        get { storage.fields.title }
        set { update { $0.title = newValue } }
    }
    /// The stage for which this must be mastered.
    public var stage: Located<String> {
        get { storage.fields.stage }
        set { update { $0.stage = newValue } }
    }
    public var track: String? {
        get { storage.fields.track }
        set { update { $0.track = newValue } }
    }
    public var hours: Double {
        get { storage.fields.hours }
        set { update { $0.hours = newValue } }
    }
    public var minWeeks: Int? {
        get { storage.fields.minWeeks }
        set { update { $0.minWeeks = newValue } }
    }
    public var kind: ModuleKind {
        get { storage.fields.kind }
        set { update { $0.kind = newValue } }
    }
    /// Requirements as written: bare ids of the same package or `PACKAGE/ID`.
    public var requires: [Located<String>] {
        get { storage.fields.requires }
        set { update { $0.requires = newValue } }
    }
    public var optional: Bool {
        get { storage.fields.optional }
        set { update { $0.optional = newValue } }
    }
    public var outcomes: [String] {
        get { storage.fields.outcomes }
        set { update { $0.outcomes = newValue } }
    }
    public var resources: [Resource] {
        get { storage.fields.resources }
        set { update { $0.resources = newValue } }
    }
    public var evidence: String? {
        get { storage.fields.evidence }
        set { update { $0.evidence = newValue } }
    }
    /// Earlier ids of this module, so that journals and requirements survive a rename.
    public var aliases: [Located<String>] {
        get { storage.fields.aliases }
        set { update { $0.aliases = newValue } }
    }
    /// Where the module's entry starts.
    public var location: SourceLocation {
        get { storage.fields.location }
        set { update { $0.location = newValue } }
    }
    /// Where its `hours` value is, for diagnostics about effort.
    public var hoursLocation: SourceLocation {
        get { storage.fields.hoursLocation }
        set { update { $0.hoursLocation = newValue } }
    }
    /// Position among its package's modules, the last tie-breaker when planning.
    public var declarationIndex: Int {
        get { storage.fields.declarationIndex }
        set { update { $0.declarationIndex = newValue } }
    }

    private mutating func update(_ change: (inout Fields) -> Void) {
        var fields = storage.fields
        change(&fields)
        storage = Storage(fields)
    }

    public static func == (a: Module, b: Module) -> Bool { a.storage === b.storage || a.storage.fields == b.storage.fields }

    public func hash(into hasher: inout Hasher) { storage.fields.hash(into: &hasher) }

    /// The most hours this module may receive in one week (`ceil(hours / min_weeks)`), nil without a limit.
    public var weeklyCap: Double? {
        guard let minWeeks, minWeeks > 1 else { return nil }
        return (hours / Double(minWeeks)).rounded(.up)
    }
}

/// A requirement of a plugin on another package.
public struct PackageRequirement: Hashable, Sendable {
    public var package: Located<String>
    public var requirement: VersionRequirement
    public var location: SourceLocation
}

/// A roadmap or a plugin: one file of modules with an id and a version.
public struct Package: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable { case roadmap, plugin }

    public var kind: Kind
    public var id: Located<String>
    public var title: String
    public var version: Version
    public var versionLocation: SourceLocation
    public var summary: String?
    /// The career ladder; roadmaps only.
    public var stages: [Stage]
    /// Other packages this builds on; plugins only.
    public var requirements: [PackageRequirement]
    public var modules: [Module]
    /// The file the package was read from.
    public var file: String
    /// The catalog folder it was found in, nil when named directly.
    public var root: CatalogRoot?

    public var name: String { id.value }

    /// `id version`, as packages are named in messages.
    public var label: String { "'\(name)' \(version)" }

    public func stage(named id: String) -> Stage? { stages.first { $0.id == id } }
}
