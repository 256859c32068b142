/// One of a plugin's examples: a profile, and what the plan made from it (with the plugin added to its
/// specializations) must show.
///
/// An example file is a profile with one more key, `expect:`, a mapping of expectations:
///
/// ```yaml
/// name: An engineer moving into wireless research
/// current_stage: engineer
/// target_stage: scientist
/// hours_per_week: 10
/// start: 2027-01-04
/// deadline: 2030-01-04
/// expect:
///   includes: [channel-coding, ml-research-fellow/experiment-design]  # in the plan
///   excludes: [signals-and-systems]       # not in the plan
///   before: [[channel-coding, mimo]]      # A is finished by the week B starts
///   max_weeks: 120                        # the plan takes at most this many weeks
///   feasible: true                        # the deadline holds (false: it does not)
/// ```
///
/// Module ids are bare ids of the plugin's own modules, or `PACKAGE/ID`; aliases work too. The profile keys
/// are read by ``ProfileDecoder`` exactly as a profile file's are.
public struct PluginExample: Sendable {
    /// One thing the plan must show, with where it is written.
    public struct Expectation: Sendable {
        public enum Kind: Sendable {
            case includes(String)
            case excludes(String)
            case before(String, String)
            case maxWeeks(Int)
            case feasible(Bool)
        }

        public var kind: Kind
        public var location: SourceLocation
    }

    /// The file as shown in messages.
    public var file: String
    /// The file's name without `.yaml`.
    public var name: String
    public var profile: Profile
    public var expectations: [Expectation]
}

/// Reads example files: the profile through ``ProfileDecoder``, then the `expect:` mapping.
public struct PluginExampleDecoder: Sendable {
    public static let expectKeys = ["includes", "excludes", "before", "max_weeks", "feasible"]

    public init() {}

    public func decode(_ document: YAMLDocument, today: CalendarDate, diagnostics: inout Diagnostics) -> PluginExample? {
        let errorsBefore = diagnostics.errorCount
        guard let root = document.root else {
            diagnostics.error(.emptyFile, "example is empty; expected a profile with an 'expect:' mapping", at: .start(of: document.file))
            return nil
        }
        let (profileDocument, expectNode) = document.removingRootKey("expect")
        let profile = ProfileDecoder().decode(profileDocument, today: today, diagnostics: &diagnostics)
        var expectations: [PluginExample.Expectation] = []
        if root.kind == .mapping {
            if let expectNode {
                expectations = decodeExpectations(expectNode, deadline: profile?.deadline != nil, diagnostics: &diagnostics)
            } else {
                diagnostics.error(
                    .missingKey, "example has no 'expect'", at: root.location,
                    help: ["add what the plan must show, for example:\n    expect:\n      includes: [MODULE]\n      max_weeks: 100"])
            }
        }
        guard let profile, diagnostics.errorCount == errorsBefore else { return nil }
        let file = document.file
        var name = file.split(separator: "/").last.map(String.init) ?? file
        for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        return PluginExample(file: file, name: name, profile: profile, expectations: expectations)
    }

    private func decodeExpectations(_ node: YAMLNode, deadline: Bool, diagnostics: inout Diagnostics) -> [PluginExample.Expectation] {
        guard let fields = FieldReader(node, context: "'expect'", allowed: Self.expectKeys, diagnostics: &diagnostics) else { return [] }
        var result: [PluginExample.Expectation] = []
        for id in fields.strings("includes", diagnostics: &diagnostics) {
            result.append(.init(kind: .includes(id.value), location: id.location))
        }
        for id in fields.strings("excludes", diagnostics: &diagnostics) {
            result.append(.init(kind: .excludes(id.value), location: id.location))
        }
        for pair in fields.list("before", diagnostics: &diagnostics) ?? YAMLNode.Children.empty(node.storage) {
            let ids = pair.kind == .sequence
                ? pair.items.compactMap { FieldReader.string($0, what: "each module of a 'before' pair", diagnostics: &diagnostics) }
                : []
            guard pair.kind == .sequence, pair.items.count == 2, ids.count == 2 else {
                if pair.kind != .sequence || pair.items.count != 2 {
                    diagnostics.error(
                        .wrongType, "expected each entry of 'before' to be a pair [A, B], found \(pair.kindDescription)"
                            + (pair.kind == .sequence ? " of \(pair.items.count)" : ""),
                        at: pair.location, help: ["write [A, B] for 'A is finished by the week B starts'"])
                }
                continue
            }
            result.append(.init(kind: .before(ids[0].value, ids[1].value), location: pair.location))
        }
        if let weeks = fields.integer("max_weeks", diagnostics: &diagnostics) {
            if weeks.value >= 1 {
                result.append(.init(kind: .maxWeeks(weeks.value), location: weeks.location))
            } else {
                diagnostics.error(.invalidValue, "'max_weeks' must be at least 1, found \(weeks.value)", at: weeks.location)
            }
        }
        if let feasible = fields.bool("feasible", diagnostics: &diagnostics) {
            if deadline {
                result.append(.init(kind: .feasible(feasible.value), location: feasible.location))
            } else {
                diagnostics.error(
                    .missingKey, "'feasible' needs a 'deadline' in the profile", at: feasible.location,
                    help: ["add 'deadline: YYYY-MM-DD' beside 'start'"])
            }
        }
        if result.isEmpty, !diagnostics.hasErrors {
            diagnostics.error(
                .missingKey, "'expect' holds no expectations", at: node.location,
                help: ["use " + Self.expectKeys.map { "'\($0)'" }.joined(separator: ", ")])
        }
        return result
    }
}
