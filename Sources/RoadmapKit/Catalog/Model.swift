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
public struct Module: Hashable, Sendable {
    public var id: ModuleID
    public var title: String
    /// The stage for which this must be mastered.
    public var stage: Located<String>
    public var track: String?
    public var hours: Double
    public var minWeeks: Int?
    public var kind: ModuleKind
    /// Requirements as written: bare ids of the same package or `PACKAGE/ID`.
    public var requires: [Located<String>]
    public var optional: Bool
    public var outcomes: [String]
    public var resources: [Resource]
    public var evidence: String?
    /// Earlier ids of this module, so that journals and requirements survive a rename.
    public var aliases: [Located<String>]
    /// Where the module's entry starts.
    public var location: SourceLocation
    /// Where its `hours` value is, for diagnostics about effort.
    public var hoursLocation: SourceLocation
    /// Position among its package's modules, the last tie-breaker when planning.
    public var declarationIndex: Int

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
