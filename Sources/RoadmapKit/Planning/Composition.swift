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
    public var packages: [Package] { didSet { numbered = nil } }
    public var reasons: [String: PackageReason]
    /// Every module of every package, keyed by `PACKAGE/ID`, in package order. With a numbered graph, made from
    /// the packages when first read (the passes over a plan read modules by number).
    public var modules: [ModuleID: Module] {
        get { moduleTable.value }
        set {
            moduleTable.value = newValue
            numbered = nil
        }
        _modify {
            numbered = nil
            yield &moduleTable.value
        }
    }
    /// The order modules were declared in, across packages: the last tie-breaker.
    public var declarationOrder: [ModuleID] { didSet { numbered = nil } }
    /// What each module requires, resolved to full ids. With a numbered graph, made from it when first read.
    public var requirements: [ModuleID: [ModuleID]] {
        get { requirementTable.value }
        set {
            requirementTable.value = newValue
            numbered = nil
        }
        _modify {
            numbered = nil
            yield &requirementTable.value
        }
    }
    private var moduleTable: LazyTable<ModuleID, Module>
    private var requirementTable: LazyTable<ModuleID, [ModuleID]>
    /// The roadmap's stages, lowest first.
    public var stages: [Stage]
    /// The same graph on module numbers, as ``Composer`` built it; nil once any field it reflects changes.
    var numbered: NumberedGraph?

    /// The requirement graph with each module as its number, its position in ``declarationOrder``, for the
    /// passes over every module of a large plan (scope, schedule, analysis): walking arrays instead of hashing
    /// two strings per lookup. Only made when every module id is declared once and the declaration order is
    /// the packages' modules in turn.
    struct NumberedGraph: Sendable {
        /// Module `n` requires the modules numbered `graph.edges(of: n)`, in the order of `requirements`.
        var graph: StronglyConnected.Graph
        /// `requirements` of module `n`, by number.
        var requirements: [[ModuleID]]
    }

    init(
        packages: [Package], reasons: [String: PackageReason], modules: [ModuleID: Module], declarationOrder: [ModuleID],
        requirements: [ModuleID: [ModuleID]], stages: [Stage], numbered: NumberedGraph? = nil
    ) {
        self.packages = packages
        self.reasons = reasons
        self.moduleTable = LazyTable(modules)
        self.declarationOrder = declarationOrder
        self.requirementTable = LazyTable(requirements)
        self.stages = stages
        self.numbered = numbered
    }

    /// A composition whose every module id is declared once, in `declarationOrder` (the packages' modules in
    /// turn), with its graph on numbers: the tables by id are made from them when first read.
    init(
        packages: [Package], reasons: [String: PackageReason], declarationOrder: [ModuleID], stages: [Stage],
        numbered: NumberedGraph
    ) {
        self.packages = packages
        self.reasons = reasons
        self.moduleTable = LazyTable { Composer.moduleTable(packages, total: declarationOrder.count) }
        self.declarationOrder = declarationOrder
        self.requirementTable = LazyTable { Composer.requirementTable(declarationOrder, numbered.requirements) }
        self.stages = stages
        self.numbered = numbered
    }

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
    /// From this many modules, building the module graph works on all cores (lookups, then requirements in
    /// parts).
    var concurrentGraphFrom = 20_000

    public init(catalog: Catalog) { self.catalog = catalog }

    /// Composes the profile's roadmap with `plugins` (the profile's specializations plus any `--with`).
    public func compose(roadmap: Located<String>, plugins: [Located<String>], diagnostics: inout Diagnostics) -> Composition? {
        guard let (packages, reasons) = select(roadmap: roadmap, plugins: plugins, diagnostics: &diagnostics) else { return nil }
        return buildGraph(packages: packages, reasons: reasons, diagnostics: &diagnostics)
    }

    /// The packages a composition of `roadmap` and `plugins` takes, roadmap first, and why each: the versions
    /// resolved, and each plugin checked to build on this roadmap (a mismatch is reported and the packages still
    /// returned). Reads only what packages say of themselves, not their modules.
    func select(
        roadmap: Located<String>, plugins: [Located<String>], diagnostics: inout Diagnostics
    ) -> (packages: [Package], reasons: [String: Composition.PackageReason])? {
        let errorsBefore = diagnostics.errorCount
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
        guard diagnostics.errorCount == errorsBefore else { return nil }
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
        return (packages, reasons)
    }

    /// Picks one version of every package, as a package manager does: a depth-first search that tries each
    /// package's versions from the highest down, and backs up when a choice leaves another package with no
    /// version that meets every requirement. Pulls in the packages that the chosen versions require (and only
    /// those). When no combination works, the explanation comes from ``explainConflict``.
    private func resolveVersions(
        order: inout [String], reasons: inout [String: Composition.PackageReason], at location: SourceLocation,
        diagnostics: inout Diagnostics
    ) -> [String: Package]? {
        struct State {
            var selected: [String: Package] = [:]
            var order: [String] = []
        }
        var budget = 20_000
        func search(_ state: State, pending: [String]) -> State? {
            guard budget > 0 else { return nil }
            budget -= 1
            guard let id = pending.first else { return state }
            let constraints = state.order.flatMap { state.selected[$0]!.requirements.filter { $0.package.value == id } }
            for candidate in catalog.versions(of: id)
            where constraints.allSatisfy({ $0.requirement.isSatisfied(by: candidate.version) }) {
                let fits = candidate.requirements.allSatisfy { requirement in
                    guard !catalog.versions(of: requirement.package.value).isEmpty else { return false }
                    return state.selected[requirement.package.value].map { requirement.requirement.isSatisfied(by: $0.version) } ?? true
                }
                guard fits else { continue }
                var next = state
                next.selected[id] = candidate
                next.order.append(id)
                var rest = Array(pending.dropFirst())
                for requirement in candidate.requirements
                where next.selected[requirement.package.value] == nil && !rest.contains(requirement.package.value) {
                    rest.append(requirement.package.value)
                }
                if let solved = search(next, pending: rest) { return solved }
            }
            return nil
        }
        guard let solved = search(State(), pending: order) else {
            diagnostics.append(explainConflict(order: order, at: location, searchedOut: budget <= 0))
            return nil
        }
        for id in solved.order where reasons[id] == nil {
            if let requirer = solved.order.first(where: { other in
                solved.selected[other]!.requirements.contains { $0.package.value == id }
            }) {
                reasons[id] = .requiredBy(requirer)
            }
        }
        order = solved.order
        return solved.selected
    }

    /// Why no combination of versions works, in plain words: starting from the highest versions, collects
    /// who requires what and names the first package that no version satisfies.
    private func explainConflict(order start: [String], at location: SourceLocation, searchedOut: Bool) -> Diagnostic {
        var order = start
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
                            return .error(
                                .unknownPackage, "\(package.label) requires '\(target)', which is not on the catalog path",
                                at: requirement.location)
                        }
                        selected[target] = newest
                        order.append(target)
                    }
                    constraints[target, default: []].append((package, requirement))
                }
            }
            var changed = false
            for id in order {
                let rules = constraints[id] ?? []
                guard let best = catalog.best(id, satisfying: rules.map(\.requirement.requirement)) else {
                    return .error(
                        .versionConflict, conflictExplanation(id, rules: rules), at: location,
                        help: ["change a version requirement, or add a version of '\(id)' that meets them all to the catalog path"])
                }
                if best != selected[id] {
                    selected[id] = best
                    changed = true
                }
            }
            if !changed { break }
        }
        let names = order.map { "'\($0)'" }.joined(separator: ", ")
        return .error(
            .versionConflict,
            searchedOut
                ? "dependencies could not be resolved: too many combinations of versions of \(names) to try"
                : "dependencies could not be resolved: no combination of versions of \(names) meets every requirement",
            at: location, help: ["run 'roadmap plugin info ID' on each plugin to see what it requires"])
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

    func buildGraph(
        packages: [Package], reasons: [String: Composition.PackageReason], diagnostics: inout Diagnostics
    ) -> Composition? {
        // Modules are numbered in declaration order: a module's number is its package's offset plus its index
        // there, so the graph for the cycle check is built as requirements are resolved, with no lookups by id.
        let total = packages.reduce(0) { $0 + $1.modules.count }
        var declared: [ModuleID] = []
        declared.reserveCapacity(total)
        var starts: [Int] = []
        for package in packages {
            starts.append(declared.count)
            for module in package.modules { declared.append(module.id) }
        }
        let (order, offsets) = (declared, starts)
        let large = total >= concurrentGraphFrom
        let lookups = Lookups(packages, concurrently: large)
        let resolved = large
            ? Self.resolveConcurrently(packages, lookups: lookups, offsets: offsets, total: total)
            : Self.resolve(packages, lookups: lookups, offsets: offsets, total: total)
        // With every id declared once, the tables by id are left to be made when read; otherwise they are made
        // now, and no numbered graph is kept.
        let unique = lookups.idsAreUnique
        let errorsBefore = diagnostics.errorCount
        diagnostics.append(contentsOf: resolved.diagnostics)
        let graph = resolved.graph
        let cycles = StronglyConnected.cycles(graph)
        let composition = unique
            ? Composition(
                packages: packages, reasons: reasons, declarationOrder: order, stages: packages[0].stages,
                numbered: Composition.NumberedGraph(graph: graph, requirements: resolved.requirements))
            : Composition(
                packages: packages, reasons: reasons, modules: Self.moduleTable(packages, total: total), declarationOrder: order,
                requirements: Self.requirementTable(order, resolved.requirements), stages: packages[0].stages)
        // Cycles are refused here too, so that a cycle reached only through a plugin stops the plan.
        for component in cycles {
            let start = component.min()!
            let path = StronglyConnected.cycle(from: start, within: Set(component), graph: graph).map { order[$0].description }
            diagnostics.error(
                .cycle, "requirement cycle: " + (path + [path[0]]).joined(separator: " -> "),
                at: composition.modules[order[start]]!.location, help: ["remove one of these requirements to break the cycle"])
        }
        guard diagnostics.errorCount == errorsBefore else { return nil }
        return composition
    }

    /// Every module by id.
    static func moduleTable(_ packages: [Package], total: Int) -> [ModuleID: Module] {
        var modules: [ModuleID: Module] = [:]
        modules.reserveCapacity(total)
        for package in packages {
            let list = package.modules
            for m in list.indices { modules[list[m].id] = list[m] }
        }
        return modules
    }

    /// The packages' modules by name or alias, and the first package of each name (the one requirements go to).
    private struct Lookups: Sendable {
        var byPackage: [String: ModuleLookup] = [:]
        var firstPackage: [String: Int] = [:]
        /// Whether every module id is declared once: no package named twice, and in each package no id twice and
        /// none of another package.
        var idsAreUnique = true

        /// The packages' lookups, made on all cores when `concurrently` is set.
        init(_ packages: [Package], concurrently: Bool) {
            let made: [ModuleLookup] = concurrently
                ? .concurrentMap(packages.count) { ModuleLookup(packages[$0]) } : packages.map(ModuleLookup.init)
            for (p, package) in packages.enumerated() {
                byPackage[package.name] = made[p]
                if !made[p].idsAreOwnAndUnique { idsAreUnique = false }
                if firstPackage[package.name] == nil { firstPackage[package.name] = p } else { idsAreUnique = false }
            }
        }
    }

    /// What the modules of some packages require: a part of the numbered graph (edges of those modules only, in
    /// order), their requirements by id, and the requirements that name no module.
    private struct ResolvedPart: Sendable {
        var graph: StronglyConnected.Graph
        var requirements: [[ModuleID]]
        var diagnostics = Diagnostics()
    }

    /// What each module requires, by number and by id, and the problems: requirements that name no module,
    /// then modules of stages the roadmap does not have.
    private static func resolve(
        _ packages: [Package], lookups: Lookups, offsets: [Int], total: Int
    ) -> (graph: StronglyConnected.Graph, requirements: [[ModuleID]], diagnostics: Diagnostics) {
        let part = resolve(packages, packages.indices, lookups: lookups, offsets: offsets, total: total)
        var diagnostics = part.diagnostics
        checkStages(packages, diagnostics: &diagnostics)
        return (part.graph, part.requirements, diagnostics)
    }

    /// ``resolve(_:lookups:offsets:total:)`` of a large composition on all cores: the packages' requirements in
    /// eight parts of about equal size (whole packages; more parts than cores, so that none waits long for the
    /// last), joined in order.
    private static func resolveConcurrently(
        _ packages: [Package], lookups: Lookups, offsets: [Int], total: Int
    ) -> (graph: StronglyConnected.Graph, requirements: [[ModuleID]], diagnostics: Diagnostics) {
        // Parts of whole packages, cut where the running count of modules passes each share.
        let count = 8
        var bounds = [0]
        var seen = 0
        for (p, package) in packages.enumerated() {
            seen += package.modules.count
            if seen * count >= total * bounds.count, p + 1 < packages.count { bounds.append(p + 1) }
        }
        bounds.append(packages.count)
        let ranges = zip(bounds, bounds.dropFirst()).map { $0..<$1 }.filter { !$0.isEmpty }
        let parts: [ResolvedPart] = .concurrentMap(ranges.count) { index in
            resolve(packages, ranges[index], lookups: lookups, offsets: offsets, total: total)
        }
        var graph = StronglyConnected.Graph(count: total)
        graph.targets.reserveCapacity(parts.reduce(0) { $0 + $1.graph.targets.count })
        var requirements: [[ModuleID]] = []
        requirements.reserveCapacity(total)
        var diagnostics = Diagnostics()
        for part in parts {
            let base = graph.targets.count
            graph.targets.append(contentsOf: part.graph.targets)
            for start in part.graph.starts.dropFirst() { graph.starts.append(base + start) }
            requirements.append(contentsOf: part.requirements)
            diagnostics.append(contentsOf: part.diagnostics)
        }
        checkStages(packages, diagnostics: &diagnostics)
        return (graph, requirements, diagnostics)
    }

    /// What the modules of `packages[range]` require. With every id declared once, requirements are told apart
    /// by number (a name always leads to the same package and index, so the same number is the same id);
    /// otherwise by id, as two numbers may then carry one id.
    private static func resolve(
        _ packages: [Package], _ range: Range<Int>, lookups: Lookups, offsets: [Int], total: Int
    ) -> ResolvedPart {
        var diagnostics = Diagnostics()
        let modules = range.reduce(0) { $0 + packages[$1].modules.count }
        var requirements: [[ModuleID]] = []
        requirements.reserveCapacity(modules)
        var graph = StronglyConnected.Graph(count: modules)
        var positions: [Int] = []
        for package in packages[range] {
            let list = package.modules
            // Most requirements are bare ids of the package itself: its lookup is found once.
            let own = lookups.byPackage[package.name]
            let ownFirst = lookups.firstPackage[package.name]
            for m in list.indices {
                var resolved: [ModuleID] = []
                positions.removeAll(keepingCapacity: true)
                for requirement in list[m].requires {
                    let text = requirement.value
                    let found: (package: Int, index: Int)?
                    if !text.utf8.contains(UInt8(ascii: "/")), let own, let ownFirst {
                        found = own.index(of: text).map { (ownFirst, $0) }
                    } else {
                        let (target, name) = split(text, in: package.name)
                        if let lookup = lookups.byPackage[target], let index = lookup.index(of: name),
                            let first = lookups.firstPackage[target]
                        {
                            found = (first, index)
                        } else {
                            found = nil
                        }
                    }
                    if let (first, index) = found {
                        let position = offsets[first] + index
                        let isNew = lookups.idsAreUnique
                            ? !positions.contains(position) : !resolved.contains(packages[first].modules[index].id)
                        if isNew {
                            resolved.append(packages[first].modules[index].id)
                            positions.append(position)
                        }
                    } else {
                        diagnostics.error(.unknownModule, "unknown module '\(requirement.value)' in requires", at: requirement.location)
                    }
                }
                requirements.append(resolved)
                graph.targets.append(contentsOf: positions)
                graph.closeNode()
            }
        }
        return ResolvedPart(graph: graph, requirements: requirements, diagnostics: diagnostics)
    }

    /// Modules of stages the roadmap (the first package) does not have.
    private static func checkStages(_ packages: [Package], diagnostics: inout Diagnostics) {
        let stageNames = packages[0].stages.map { $0.id }
        let knownStages = Set(stageNames)
        for package in packages {
            let list = package.modules
            for m in list.indices {
                let stage = list[m].stage.value
                if stageNames.count <= 8 ? stageNames.contains(stage) : knownStages.contains(stage) { continue }
                diagnostics.error(
                    .unknownStage, "module '\(list[m].id.name)' names unknown stage '\(stage)'",
                    at: list[m].stage.location)
            }
        }
    }

    /// What each module requires, by id (the last of a repeated id wins, as a dictionary built in order does).
    static func requirementTable(_ order: [ModuleID], _ byNumber: [[ModuleID]]) -> [ModuleID: [ModuleID]] {
        var requirements: [ModuleID: [ModuleID]] = [:]
        requirements.reserveCapacity(order.count)
        for (number, id) in order.enumerated() { requirements[id] = byNumber[number] }
        return requirements
    }

    /// A written requirement as (package, id): `PACKAGE/ID` split at its slash, anything else an id of `package`.
    /// Empty parts are dropped first, so `a//b` is `a/b`, and `/b` or `a/b/c` stay whole as an id (that will not
    /// be found).
    static func split(_ text: String, in package: String) -> (String, String) {
        var slashes = 0
        for byte in text.utf8 where byte == UInt8(ascii: "/") { slashes += 1 }
        if slashes == 0 { return (package, text) }
        if slashes == 1, let slash = text.utf8.firstIndex(of: UInt8(ascii: "/")) {
            let before = text[..<slash], after = text[text.utf8.index(after: slash)...]
            return before.isEmpty || after.isEmpty ? (package, text) : (String(before), String(after))
        }
        let parts = text.split(separator: "/").map(String.init)
        return parts.count == 2 ? (parts[0], parts[1]) : (package, text)
    }
}

/// Where each module of a composition's declaration order is among its packages, so that modules can be read
/// by position instead of looked up by id in ``Composition/modules``. Only made when the declaration order is
/// exactly the packages' modules in turn with no id twice, as ``Composer`` builds it; the lookups by id give
/// the same modules then.
struct DeclarationIndex {
    /// Each package's modules, and where they start in the declaration order.
    let modules: [[Module]]
    let offsets: [Int]
    let order: [ModuleID]

    init?(_ composition: Composition) {
        var modules: [[Module]] = []
        var offsets: [Int] = []
        var position = 0
        let order = composition.declarationOrder
        // A numbered graph is only made for such an order, and dropped when the order or the packages change.
        let known = composition.numbered != nil
        for package in composition.packages {
            let list = package.modules
            offsets.append(position)
            guard position + list.count <= order.count else { return nil }
            if !known {
                for index in list.indices where list[index].id != order[position + index] { return nil }
            }
            position += list.count
            modules.append(list)
        }
        guard position == order.count, known || composition.modules.count == order.count else { return nil }
        self.modules = modules
        self.offsets = offsets
        self.order = order
    }

    /// The package and index of the module at `position`: the last package that starts at or before it (an
    /// empty package starts where the next does). With a hint `from` at or before that package, by searching
    /// forward from it (positions asked in increasing order cost nothing to find); otherwise by halving.
    func place(of position: Int, from: Int? = nil) -> (package: Int, index: Int) {
        var package: Int
        if let from, from >= 0, from < offsets.count, offsets[from] <= position {
            package = from
            while package + 1 < offsets.count, offsets[package + 1] <= position { package += 1 }
        } else {
            // The last offset at or before `position`.
            var (low, high) = (0, offsets.count - 1)
            while low < high {
                let middle = (low + high + 1) / 2
                if offsets[middle] <= position { low = middle } else { high = middle - 1 }
            }
            package = low
        }
        return (package, position - offsets[package])
    }

    /// The positions in declaration order of `ids`, when they are in that order (a subsequence of it, as
    /// scopes are); nil otherwise.
    func positions(of ids: [ModuleID]) -> [Int]? {
        var result: [Int] = []
        result.reserveCapacity(ids.count)
        var next = 0
        for id in ids {
            while next < order.count, order[next] != id { next += 1 }
            guard next < order.count else { return nil }
            result.append(next)
            next += 1
        }
        return result
    }
}

