/// Codes of the authoring checks: `roadmap plugin lint` warnings and `roadmap plugin test` results.
///
/// Like every diagnostic code they never change once published; docs/authoring-plugins.md lists them.
extension DiagnosticCode {
    // plugin lint: warnings
    /// A module lists no `outcomes`.
    public static let missingOutcomes: Self = "missing-outcomes"
    /// A module lists no `resources`.
    public static let missingResources: Self = "missing-resources"
    /// A resource has no `url`.
    public static let resourceWithoutURL: Self = "resource-without-url"
    /// A module's `hours` is far outside the range of the rest of the catalog.
    public static let hoursOutOfRange: Self = "hours-out-of-range"
    /// No module of the plugin leads to this one, and it is not an entry point.
    public static let unreachableModule: Self = "unreachable-module"
    /// A module requires one of a higher stage.
    public static let requiresHigherStage: Self = "requires-higher-stage"
    /// A requirement that another requirement of the same module already implies.
    public static let redundantRequirement: Self = "redundant-requirement"
    /// A version requirement that the newest copy of the package on the catalog path does not meet.
    public static let unsatisfiedRequirement: Self = "unsatisfied-requirement"
    /// A version requirement without an upper bound (`*`, `>=1.0`).
    public static let unboundedRequirement: Self = "unbounded-requirement"
    /// `Plugins/NAME/plugin.yaml` whose id is not NAME.
    public static let folderMismatch: Self = "folder-mismatch"

    // plugin test
    /// An expectation of a plugin example that the plan does not meet.
    public static let expectationFailed: Self = "expectation-failed"
    /// An example that is not a profile with expectations, or whose plan cannot be made.
    public static let invalidExample: Self = "invalid-example"
}
