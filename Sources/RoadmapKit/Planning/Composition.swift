/// The roadmap and plugins of one plan, each at one version, and their modules as one graph.
public struct Composition: Sendable {
    /// Why a package is part of the plan.
    public enum PackageReason: Hashable, Sendable {
        case roadmap
        /// Named in the profile's `specializations` or with `--with`.
        case chosen
        /// Pulled in because another package requires it.
        case requiredBy(String)
    }

    /// The roadmap first, then plugins in the order they were chosen or pulled in.
    public var packages: [Package]
    public var reasons: [String: PackageReason]
    /// Every module of every package, keyed by `PACKAGE/ID`, in package order.
    public var modules: [ModuleID: Module]
    /// The order modules were declared in, across packages: the last tie-breaker.
    public var declarationOrder: [ModuleID]
    /// What each module requires, resolved to full ids.
    public var requirements: [ModuleID: [ModuleID]]
    /// The roadmap's stages, lowest first.
    public var stages: [Stage]

    public var roadmap: Package { packages[0] }

    public func stageRank(_ id: String) -> Int? { stages.first { $0.id == id }?.rank }

    /// The module a written id names: `PACKAGE/ID`, or an alias of one; bare ids are looked up in the roadmap
    /// and then in each plugin.
    public func resolve(_ text: String) -> ModuleID? {
        if let id = ModuleID(parsing: text, defaultPackage: nil), modules[id] != nil { return id }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let candidates: [Package]
        let name: String
        if parts.count == 2 {
            candidates = packages.filter { $0.name == parts[0] }
            name = parts[1]
        } else if parts.count == 1 {
            candidates = packages
            name = parts[0]
        } else {
            return nil
        }
        for package in candidates {
            if let module = package.modules.first(where: { $0.id.name == name || $0.aliases.contains { $0.value == name } }) {
                return module.id
            }
        }
        return nil
    }

    /// Ids close to `text`, for "did you mean".
    public func suggestions(for text: String) -> [String] {
        let full = Suggestions.closest(to: text, among: declarationOrder.map(\.description), limit: 2)
        if !full.isEmpty || text.contains("/") { return full }
        // A bare id: compare with the ids alone, and answer with full ids.
        let names = Suggestions.closest(to: text, among: Set(declarationOrder.map(\.name)), limit: 2)
        return declarationOrder.filter { names.contains($0.name) }.prefix(2).map(\.description)
    }
}

/// Builds a ``Composition`` from a catalog and a profile: resolves package versions the way a package
/// manager does, and explains a conflict in plain words.
public struct Composer: Sendable {
    public let catalog: Catalog

    public init(catalog: Catalog) { self.catalog = catalog }

    /// Composes the profile's roadmap with `plugins` (the profile's specializations plus any `--with`).
    public func compose(roadmap: Located<String>, plugins: [Located<String>], diagnostics: inout Diagnostics) -> Composition? {
        let errorsBefore = diagnostics.errors.count
        guard let roadmapPackage = catalog.best(roadmap.value), roadmapPackage.kind == .roadmap else {
            let ids = catalog.roadmaps.map(\.name)
            diagnostics.error(
                .unknownPackage, "unknown roadmap '\(roadmap.value)'", at: roadmap.location,
                help: Suggestions.didYouMean(Suggestions.closest(to: roadmap.value, among: ids)).map { [$0] }
                    ?? ["roadmaps on the catalog path: " + ids.joined(separator: ", ")])
            return nil
        }
        var order = [roadmap.value]
        var reasons: [String: Composition.PackageReason] = [roadmap.value: .roadmap]
        for plugin in plugins {
            guard reasons[plugin.value] == nil || reasons[plugin.value] != .roadmap else { continue }
            let versions = catalog.versions(of: plugin.value)
            guard let first = versions.first, first.kind == .plugin else {
                let ids = catalog.plugins.map(\.name)
                var unique: [String] = []
                for id in ids where !unique.contains(id) { unique.append(id) }
                diagnostics.error(
                    .unknownPlugin, "unknown plugin '\(plugin.value)'", at: plugin.location,
                    help: Suggestions.didYouMean(Suggestions.closest(to: plugin.value, among: unique)).map { [$0] }
                        ?? ["plugins on the catalog path: " + unique.joined(separator: ", ")])
                continue
            }
            if reasons[plugin.value] == nil { order.append(plugin.value) }
            reasons[plugin.value] = .chosen
        }
        guard diagnostics.errors.count == errorsBefore else { return nil }
        guard let selected = resolveVersions(order: &order, reasons: &reasons, at: roadmap.location, diagnostics: &diagnostics)
        else { return nil }
        let packages = order.map { selected[$0]! }
        for package in packages.dropFirst() {
            let roadmaps = package.requirements.compactMap { requirement in
                selected[requirement.package.value].flatMap { $0.kind == .roadmap ? $0.name : nil }
            }
            if let other = roadmaps.first(where: { $0 != roadmap.value }) {
                diagnostics.error(
                    .packageMismatch,
                    "plugin '\(package.name)' builds on roadmap '\(other)', not on '\(roadmap.value)'",
                    at: roadmap.location)
            }
        }
        return buildGraph(packages: packages, reasons: reasons, diagnostics: &diagnostics)
    }

    /// Picks one version of every package: the highest that meets every requirement of the others,
    /// repeated until nothing changes. Pulls in the packages that plugins require.
    private func resolveVersions(
        order: inout [String], reasons: inout [String: Composition.PackageReason], at location: SourceLocation,
        diagnostics: inout Diagnostics
    ) -> [String: Package]? {
        var selected: [String: Package] = [:]
        for id in order { selected[id] = catalog.versions(of: id).first }
        for _ in 0..<(catalog.packages.count + 4) {
            var constraints: [String: [(by: Package, requirement: PackageRequirement)]] = [:]
            for id in order {
                guard let package = selected[id] else { continue }
                for requirement in package.requirements {
                    let target = requirement.package.value
                    if selected[target] == nil {
                        guard let newest = catalog.versions(of: target).first else {
                            diagnostics.error(
                                .unknownPackage, "\(package.label) requires '\(target)', which is not on the catalog path",
                                at: requirement.location)
                            return nil
                        }
                        selected[target] = newest
                        order.append(target)
                        reasons[target] = .requiredBy(package.name)
                    }
                    constraints[target, default: []].append((package, requirement))
                }
            }
            var changed = false
            for id in order {
                let rules = constraints[id] ?? []
                guard let best = catalog.best(id, satisfying: rules.map(\.requirement.requirement)) else {
                    diagnostics.error(
                        .versionConflict, conflictExplanation(id, rules: rules), at: location,
                        help: ["change a version requirement, or add a version of '\(id)' that meets them all to the catalog path"])
                    return nil
                }
                if best != selected[id] {
                    selected[id] = best
                    changed = true
                }
            }
            if !changed { return selected }
        }
        return selected
    }

    /// SwiftPM's manner: "dependencies could not be resolved because 'a' 1.0.0 requires 'x' ^2.0 and ...".
    func conflictExplanation(_ id: String, rules: [(by: Package, requirement: PackageRequirement)]) -> String {
        let versions = catalog.versions(of: id).map { $0.version.description }
        let clauses = rules.map { "\($0.by.label) requires '\(id)' \($0.requirement.requirement)" }
        let list: String
        switch clauses.count {
        case 0: list = "nothing requires it"
        case 1: list = clauses[0]
        default: list = clauses.dropLast().joined(separator: ", ") + " and " + clauses.last!
        }
        let available = versions.isEmpty ? "no version" : "only " + versions.joined(separator: ", ")
        let verdict = rules.count > 1 ? "no version of '\(id)' meets all of them" : "no version of '\(id)' meets it"
        return "dependencies could not be resolved because \(list); the catalog has \(available) of '\(id)', and \(verdict)"
    }

    private func buildGraph(
        packages: [Package], reasons: [String: Composition.PackageReason], diagnostics: inout Diagnostics
    ) -> Composition? {
        var modules: [ModuleID: Module] = [:]
        var order: [ModuleID] = []
        var lookups: [String: ModuleLookup] = [:]
        for package in packages {
            lookups[package.name] = ModuleLookup(package)
            for module in package.modules {
                modules[module.id] = module
                order.append(module.id)
            }
        }
        let errorsBefore = diagnostics.errors.count
        var requirements: [ModuleID: [ModuleID]] = [:]
        for package in packages {
            for module in package.modules {
                var resolved: [ModuleID] = []
                for requirement in module.requires {
                    let parts = requirement.value.split(separator: "/").map(String.init)
                    let (target, name) = parts.count == 2 ? (parts[0], parts[1]) : (package.name, requirement.value)
                    if let lookup = lookups[target], let index = lookup.index(of: name),
                        let found = packages.first(where: { $0.name == target })?.modules[index].id
                    {
                        if !resolved.contains(found) { resolved.append(found) }
                    } else {
                        diagnostics.error(.unknownModule, "unknown module '\(requirement.value)' in requires", at: requirement.location)
                    }
                }
                requirements[module.id] = resolved
            }
        }
        let roadmap = packages[0]
        let knownStages = Set(roadmap.stages.map(\.id))
        for package in packages {
            for module in package.modules where !knownStages.contains(module.stage.value) {
                diagnostics.error(
                    .unknownStage, "module '\(module.id.name)' names unknown stage '\(module.stage.value)'",
                    at: module.stage.location)
            }
        }
        // Cycles are refused here too, so that a cycle reached only through a plugin stops the plan.
        let index = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        let edges = order.map { id in (requirements[id] ?? []).compactMap { index[$0] } }
        for component in StronglyConnected.components(count: order.count, edges: edges) {
            let start = component.min()!
            guard component.count > 1 || edges[start].contains(start) else { continue }
            let path = StronglyConnected.cycle(from: start, within: Set(component), edges: edges).map { order[$0].description }
            diagnostics.error(
                .cycle, "requirement cycle: " + (path + [path[0]]).joined(separator: " -> "),
                at: modules[order[start]]!.location, help: ["remove one of these requirements to break the cycle"])
        }
        guard diagnostics.errors.count == errorsBefore else { return nil }
        return Composition(
            packages: packages, reasons: reasons, modules: modules, declarationOrder: order, requirements: requirements,
            stages: roadmap.stages)
    }
}
