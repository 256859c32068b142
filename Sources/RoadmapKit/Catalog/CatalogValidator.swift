/// Checks the relations between packages: stages, requirements across packages, versions and cycles.
///
/// The passes run in this order, each over the output of the one before:
/// 1. `resolveDependencies`: each plugin's `requires:` to one version of each package (needs every package).
/// 2. `checkStages`: module stages against the stages of the roadmaps a package builds on (needs 1).
/// 3. `resolveModules`: every module requirement to a module (needs 1).
/// 4. `findCycles`: requirement cycles in the resolved graph (needs 3).
public struct CatalogValidator: Sendable {
    /// A module's place in the catalog: its package's index and its own index there.
    public struct ModuleRef: Hashable, Sendable, Comparable {
        public var package: Int
        public var module: Int
        public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.package, lhs.module) < (rhs.package, rhs.module) }
    }

    /// What the validator derived, for the planner to reuse.
    public struct Resolution: Sendable {
        /// For each package, the chosen version of each package it builds on, by id.
        public var dependencies: [[String: Int]]
        /// For each package, for each module, the modules it requires.
        public var requirements: [[[ModuleRef]]]
        /// For each package, the stages its modules may use, lowest first.
        public var stages: [[Stage]]
    }

    public let catalog: Catalog
    /// From this many modules, requirements are first resolved on all cores without diagnostics, package by
    /// package; only when one of them is a problem are they resolved again one after another, for the messages.
    var concurrentFrom = 20_000

    public init(catalog: Catalog) { self.catalog = catalog }

    /// Runs every pass over the whole catalog.
    public func validate(diagnostics: inout Diagnostics) -> Resolution {
        let dependencies = resolveDependencies(diagnostics: &diagnostics)
        let stages = stagesAvailable(dependencies: dependencies, diagnostics: &diagnostics)
        checkStages(stages: stages, diagnostics: &diagnostics)
        let requirements = resolveModules(dependencies: dependencies, diagnostics: &diagnostics)
        findCycles(requirements: requirements, diagnostics: &diagnostics)
        return Resolution(dependencies: dependencies, requirements: requirements, stages: stages)
    }

    // MARK: 1. Package requirements

    func resolveDependencies(diagnostics: inout Diagnostics) -> [[String: Int]] {
        let indexByObject = Dictionary(
            catalog.packages.enumerated().map { (PackageKey($0.element), $0.offset) }, uniquingKeysWith: { first, _ in first })
        let ids = catalog.packageIDs
        return catalog.packages.map { package in
            var chosen: [String: Int] = [:]
            for requirement in package.requirements {
                let name = requirement.package.value
                let versions = catalog.versions(of: name)
                if versions.isEmpty {
                    diagnostics.error(
                        .unknownPackage, "\(package.kind.rawValue) '\(package.name)' requires unknown package '\(name)'",
                        at: requirement.location,
                        help: Suggestions.wanted(diagnostics, candidates: ids.count)
                            ? Suggestions.didYouMean(Suggestions.closest(to: name, among: ids)).map { [$0] } ?? [] : [])
                    continue
                }
                if let best = versions.first(where: { requirement.requirement.isSatisfied(by: $0.version) }) {
                    chosen[name] = indexByObject[PackageKey(best)]
                } else {
                    let available = versions.map { $0.version.description }.joined(separator: ", ")
                    diagnostics.error(
                        .versionConflict,
                        "'\(package.name)' \(package.version) requires '\(name)' \(requirement.requirement), but the catalog has only \(available)",
                        at: requirement.location)
                    chosen[name] = indexByObject[PackageKey(versions[0])]
                }
            }
            return chosen
        }
    }

    // MARK: 2. Stages

    func stagesAvailable(dependencies: [[String: Int]], diagnostics: inout Diagnostics) -> [[Stage]] {
        catalog.packages.enumerated().map { index, package in
            if package.kind == .roadmap { return package.stages }
            // Breadth-first in the order requirements are written, so the answer never depends on hashing.
            func ordered(_ package: Int) -> [Int] {
                catalog.packages[package].requirements.compactMap { dependencies[package][$0.package.value] }
            }
            var seen = Set<Int>([index])
            var queue = ordered(index)
            var head = 0
            while head < queue.count {
                let next = queue[head]
                head += 1
                guard seen.insert(next).inserted else { continue }
                if catalog.packages[next].kind == .roadmap { return catalog.packages[next].stages }
                queue += ordered(next)
            }
            // No cascade: a file whose requirements already failed to read has said enough.
            let fileHasErrors = diagnostics.all.contains { $0.severity == .error && $0.location?.file == package.file }
            if !fileHasErrors, package.requirements.allSatisfy({ !catalog.versions(of: $0.package.value).isEmpty }) {
                diagnostics.error(
                    .unknownPackage, "plugin '\(package.name)' builds on no roadmap: none of its requirements leads to one",
                    at: package.id.location, help: ["add the roadmap to 'requires', for example 'ml-research-fellow: ^1.0'"])
            }
            return []
        }
    }

    func checkStages(stages: [[Stage]], diagnostics: inout Diagnostics) {
        for (index, package) in catalog.packages.enumerated() where !stages[index].isEmpty {
            let names = stages[index].map { $0.id }
            let known = Set(names)
            let modules = package.modules
            for position in modules.indices {
                let stage = modules[position].stage.value
                // A ladder has a few stages: comparing with each is cheaper than hashing.
                if names.count <= 8 ? names.contains(stage) : known.contains(stage) { continue }
                let module = modules[position]
                var help: [String] = []
                if Suggestions.wanted(diagnostics, candidates: names.count) {
                    help = Suggestions.didYouMean(Suggestions.closest(to: module.stage.value, among: names)).map { [$0] } ?? []
                    if help.isEmpty, !names.isEmpty { help = ["stages are " + names.map { "'\($0)'" }.joined(separator: ", ")] }
                }
                diagnostics.error(
                    .unknownStage, "module '\(module.id.name)' names unknown stage '\(module.stage.value)'",
                    at: module.stage.location, help: help)
            }
        }
    }

    // MARK: 3. Module requirements

    func resolveModules(dependencies: [[String: Int]], diagnostics: inout Diagnostics) -> [[[ModuleRef]]] {
        let packages = catalog.packages
        let large = packages.count > 1 && packages.reduce(0, { $0 + $1.modules.count }) >= concurrentFrom
        let lookups: [ModuleLookup] = large
            ? .concurrentMap(packages.count) { ModuleLookup(packages[$0]) } : packages.map(ModuleLookup.init)
        if large {
            // The usual catalog has no problem at all: then the packages are independent.
            let validator = self
            let quiet: [[[ModuleRef]]?] = .concurrentMap(packages.count) { packageIndex in
                validator.resolveQuietly(packageIndex, dependencies: dependencies[packageIndex], lookups: lookups)
            }
            if !quiet.contains(where: { $0 == nil }) { return quiet.map { $0! } }
        }
        // One package after another: how much help a diagnostic gets depends on how many came before it.
        return catalog.packages.indices.map { packageIndex in
            let modules = catalog.packages[packageIndex].modules
            let name = catalog.packages[packageIndex].name
            return modules.indices.map { position in
                let requires = modules[position].requires
                var resolved: [ModuleRef] = []
                resolved.reserveCapacity(requires.count)
                for requirement in requires {
                    if let found = resolve(
                        requirement, in: packageIndex, named: name, dependencies: dependencies[packageIndex],
                        lookups: lookups, diagnostics: &diagnostics)
                    {
                        resolved.append(found)
                    }
                }
                return resolved
            }
        }
    }

    /// The requirements of one package's modules when every one is a well-formed id that is found; nil otherwise.
    private func resolveQuietly(_ packageIndex: Int, dependencies: [String: Int], lookups: [ModuleLookup]) -> [[ModuleRef]]? {
        let modules = catalog.packages[packageIndex].modules
        let name = catalog.packages[packageIndex].name
        var result: [[ModuleRef]] = []
        result.reserveCapacity(modules.count)
        for position in modules.indices {
            let requires = modules[position].requires
            var resolved: [ModuleRef] = []
            resolved.reserveCapacity(requires.count)
            for requirement in requires {
                guard let found = Self.resolveWellFormed(
                    requirement.value, in: packageIndex, named: name, dependencies: dependencies, lookups: lookups)
                else { return nil }
                resolved.append(found)
            }
            result.append(resolved)
        }
        return result
    }

    /// A valid `ID` or `PACKAGE/ID` of this package or one it builds on, found without splitting into an array of
    /// new strings; nil for anything else.
    private static func resolveWellFormed(
        _ text: String, in packageIndex: Int, named packageName: String, dependencies: [String: Int],
        lookups: [ModuleLookup]
    ) -> ModuleRef? {
        guard let split = splitModuleID(text) else { return nil }
        let name = split.package == nil ? text : String(split.name)
        guard Identifier.isValid(name) else { return nil }
        if let prefix = split.package {
            let target = String(prefix)
            guard Identifier.isValid(target) else { return nil }
            let targetIndex = target == packageName ? packageIndex : dependencies[target]
            if let targetIndex, let module = lookups[targetIndex].index(of: name) {
                return ModuleRef(package: targetIndex, module: module)
            }
        } else if let module = lookups[packageIndex].index(of: name) {
            return ModuleRef(package: packageIndex, module: module)
        }
        return nil
    }

    /// `ID` or `PACKAGE/ID` split at its slash, nil for text with more than one slash; the parts are not checked.
    static func splitModuleID(_ text: String) -> (package: Substring?, name: Substring)? {
        var slash: String.Index?
        for index in text.utf8.indices where text.utf8[index] == UInt8(ascii: "/") {
            if slash != nil { return nil }
            slash = index
        }
        guard let slash else { return (nil, text[...]) }
        return (text[..<slash], text[text.index(after: slash)...])
    }

    private func resolve(
        _ requirement: Located<String>, in packageIndex: Int, named packageName: String, dependencies: [String: Int],
        lookups: [ModuleLookup], diagnostics: inout Diagnostics
    ) -> ModuleRef? {
        let text = requirement.value
        // The usual case.
        if let found = Self.resolveWellFormed(
            text, in: packageIndex, named: packageName, dependencies: dependencies, lookups: lookups)
        {
            return found
        }
        // Anything else is a problem: the general rules, which also word the diagnostic.
        let package = catalog.packages[packageIndex]
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2, parts.allSatisfy(Identifier.isValid) else {
            diagnostics.error(
                .invalidID, "'\(text)' is not a module id: write ID for a module of this \(package.kind.rawValue), or PACKAGE/ID",
                at: requirement.location)
            return nil
        }
        let (targetName, name) = parts.count == 2 ? (parts[0], parts[1]) : (package.name, parts[0])
        let targetIndex: Int
        if targetName == package.name {
            targetIndex = packageIndex
        } else if let dependency = dependencies[targetName] {
            targetIndex = dependency
        } else if let other = catalog.best(targetName) {
            diagnostics.error(
                .unknownPackage,
                "'\(text)' is in package '\(targetName)', which \(package.kind.rawValue) '\(package.name)' does not require",
                at: requirement.location,
                help: ["add '\(targetName): ^\(other.version.major).\(other.version.minor)' to 'requires'"])
            return nil
        } else {
            let suggestion = Suggestions.wanted(diagnostics, candidates: catalog.packages.count)
                ? Suggestions.closest(to: targetName, among: catalog.packageIDs).first : nil
            diagnostics.error(
                .unknownModule, "unknown module '\(text)' in requires: there is no package '\(targetName)'",
                at: requirement.location, help: suggestion.map { ["did you mean '\($0)/\(name)'?"] } ?? [])
            return nil
        }
        if let module = lookups[targetIndex].index(of: name) {
            return ModuleRef(package: targetIndex, module: module)
        }
        // Suggest close ids of the target package, and the same id in any package it may reach.
        let prefix = parts.count == 2 ? targetName + "/" : ""
        var candidates: [String] = []
        if Suggestions.wanted(diagnostics, candidates: catalog.packages[targetIndex].modules.count) {
            candidates = Suggestions.closest(to: name, among: lookups[targetIndex].names, limit: 2).map { prefix + $0 }
        }
        if candidates.isEmpty {
            for (otherName, otherIndex) in dependencies.sorted(by: { $0.key < $1.key })
            where lookups[otherIndex].index(of: name) != nil {
                candidates.append("\(otherName)/\(name)")
            }
            if parts.count == 2, lookups[packageIndex].index(of: name) != nil { candidates.append(name) }
        }
        diagnostics.error(
            .unknownModule, "unknown module '\(text)' in requires", at: requirement.location,
            help: Suggestions.didYouMean(candidates).map { [$0] } ?? [])
        return nil
    }

    // MARK: 4. Cycles

    func findCycles(requirements: [[[ModuleRef]]], diagnostics: inout Diagnostics) {
        // Modules are numbered package by package: a module's number is its package's offset plus its index.
        var nodes: [ModuleRef] = []
        var offsets: [Int] = []
        for (p, package) in catalog.packages.enumerated() {
            offsets.append(nodes.count)
            for m in package.modules.indices { nodes.append(ModuleRef(package: p, module: m)) }
        }
        var graph = StronglyConnected.Graph(count: nodes.count)
        for ref in nodes {
            for target in requirements[ref.package][ref.module] where target.package < offsets.count
            && target.module < catalog.packages[target.package].modules.count {
                graph.targets.append(offsets[target.package] + target.module)
            }
            graph.closeNode()
        }
        for component in StronglyConnected.cycles(graph) {
            let members = Set(component)
            let start = component.min()!
            let path = StronglyConnected.cycle(from: start, within: members, graph: graph)
            let names = path.map { describe(nodes[$0]) }
            let module = catalog.packages[nodes[start].package].modules[nodes[start].module]
            diagnostics.error(
                .cycle, "requirement cycle: " + (names + [names[0]]).joined(separator: " -> "), at: module.location,
                help: ["remove one of these requirements to break the cycle"])
        }
    }

    private func describe(_ ref: ModuleRef) -> String {
        catalog.packages[ref.package].modules[ref.module].id.description
    }
}

/// Finds a module of one package by id or alias.
struct ModuleLookup {
    private let byName: [String: Int]

    private let modules: [Module]

    /// Every module id of the package, in order (for suggestions).
    var names: [String] { modules.map { $0.id.name } }

    /// Whether every module's id is of this package and no two modules have the same id.
    let idsAreOwnAndUnique: Bool

    /// Ids win over aliases (the last module of a repeated id), and the first module with an alias wins among
    /// aliases.
    init(_ package: Package) {
        let modules = package.modules
        var byName: [String: Int] = [:]
        byName.reserveCapacity(modules.count)
        var ownAndUnique = true
        for index in modules.indices {
            if byName.updateValue(index, forKey: modules[index].id.name) != nil || modules[index].id.package != package.name {
                ownAndUnique = false
            }
        }
        for index in modules.indices where !modules[index].aliases.isEmpty {
            for alias in modules[index].aliases where byName[alias.value] == nil { byName[alias.value] = index }
        }
        self.byName = byName
        self.modules = modules
        idsAreOwnAndUnique = ownAndUnique
    }

    func index(of name: String) -> Int? { byName[name] }
}

/// A package's identity for lookups: its id, version and file.
private struct PackageKey: Hashable {
    let id: String
    let version: Version
    let file: String
    init(_ package: Package) {
        id = package.name
        version = package.version
        file = package.file
    }
}

/// Tarjan's algorithm without recursion, so that long chains cannot overflow the stack.
enum StronglyConnected {
    /// A graph in one flat list of edges: node `i`'s targets are `targets[starts[i]..<starts[i + 1]]`.
    struct Graph: Sendable {
        var starts: [Int] = [0]
        var targets: [Int] = []

        init(count: Int) {
            starts.reserveCapacity(count + 1)
        }

        /// Ends the edge list of the next node: the targets appended since the last call are its own.
        mutating func closeNode() { starts.append(targets.count) }

        var count: Int { starts.count - 1 }

        func edges(of node: Int) -> ArraySlice<Int> { targets[starts[node]..<starts[node + 1]] }
    }

    /// The components of `graph` that hold a cycle (more than one node, or one that requires itself), in the
    /// order ``components(count:edges:)`` lists them; the others cost no array.
    static func cycles(_ graph: Graph) -> [[Int]] {
        let count = graph.count
        var index = [Int](repeating: -1, count: count)
        var low = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count)
        var stack: [Int] = []
        var result: [[Int]] = []
        var next = 0
        var work: [(node: Int, edge: Int)] = []
        for root in 0..<count where index[root] < 0 {
            work.append((root, graph.starts[root]))
            index[root] = next; low[root] = next; next += 1
            stack.append(root); onStack[root] = true
            while let (node, edge) = work.last {
                if edge < graph.starts[node + 1] {
                    work[work.count - 1].edge += 1
                    let target = graph.targets[edge]
                    if index[target] < 0 {
                        index[target] = next; low[target] = next; next += 1
                        stack.append(target); onStack[target] = true
                        work.append((target, graph.starts[target]))
                    } else if onStack[target] {
                        low[node] = min(low[node], index[target])
                    }
                } else {
                    work.removeLast()
                    if let parent = work.last { low[parent.node] = min(low[parent.node], low[node]) }
                    if low[node] == index[node] {
                        if stack.last == node {
                            stack.removeLast()
                            onStack[node] = false
                            if graph.edges(of: node).contains(node) { result.append([node]) }
                            continue
                        }
                        var component: [Int] = []
                        while let member = stack.popLast() {
                            onStack[member] = false
                            component.append(member)
                            if member == node { break }
                        }
                        result.append(component)
                    }
                }
            }
        }
        return result
    }

    /// A shortest cycle through `start` that stays within `members`, as the list of its nodes.
    static func cycle(from start: Int, within members: Set<Int>, graph: Graph) -> [Int] {
        if graph.edges(of: start).contains(start) { return [start] }
        var parent: [Int: Int] = [:]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for target in graph.edges(of: node) where members.contains(target) {
                if target == start {
                    var path = [node]
                    while let previous = parent[path[path.count - 1]] { path.append(previous) }
                    return path.reversed()
                }
                if parent[target] == nil, target != start {
                    parent[target] = node
                    queue.append(target)
                }
            }
        }
        return [start]
    }
}
