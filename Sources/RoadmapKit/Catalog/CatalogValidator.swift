/// Checks the relations between packages: stages, requirements across packages, versions and cycles.
///
/// The passes run in this order, each over the output of the one before:
/// 1. `resolveDependencies`: each plugin's `requires:` to one version of each package (needs every package).
/// 2. `checkStages`: module stages against the stages of the roadmaps a package builds on (needs 1).
/// 3. `resolveModules`: every module requirement to a module (needs 1).
/// 4. `findCycles`: requirement cycles in the resolved graph (needs 3).
public struct CatalogValidator {
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
                        help: Suggestions.didYouMean(Suggestions.closest(to: name, among: ids)).map { [$0] } ?? [])
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
            let names = stages[index].map(\.id)
            let known = Set(names)
            for module in package.modules where !known.contains(module.stage.value) {
                var help = Suggestions.didYouMean(Suggestions.closest(to: module.stage.value, among: names)).map { [$0] } ?? []
                if help.isEmpty, !names.isEmpty { help = ["stages are " + names.map { "'\($0)'" }.joined(separator: ", ")] }
                diagnostics.error(
                    .unknownStage, "module '\(module.id.name)' names unknown stage '\(module.stage.value)'",
                    at: module.stage.location, help: help)
            }
        }
    }

    // MARK: 3. Module requirements

    func resolveModules(dependencies: [[String: Int]], diagnostics: inout Diagnostics) -> [[[ModuleRef]]] {
        let lookups = catalog.packages.map(ModuleLookup.init)
        return catalog.packages.enumerated().map { packageIndex, package in
            package.modules.map { module in
                module.requires.compactMap { requirement in
                    resolve(
                        requirement, in: packageIndex, dependencies: dependencies[packageIndex], lookups: lookups,
                        diagnostics: &diagnostics)
                }
            }
        }
    }

    private func resolve(
        _ requirement: Located<String>, in packageIndex: Int, dependencies: [String: Int], lookups: [ModuleLookup],
        diagnostics: inout Diagnostics
    ) -> ModuleRef? {
        let package = catalog.packages[packageIndex]
        let text = requirement.value
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
            let suggestion = Suggestions.closest(to: targetName, among: catalog.packageIDs).first
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
        var candidates = Suggestions.closest(to: name, among: lookups[targetIndex].names, limit: 2).map { prefix + $0 }
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
        var nodes: [ModuleRef] = []
        var number: [ModuleRef: Int] = [:]
        for (p, package) in catalog.packages.enumerated() {
            for m in package.modules.indices {
                number[ModuleRef(package: p, module: m)] = nodes.count
                nodes.append(ModuleRef(package: p, module: m))
            }
        }
        let edges = nodes.map { ref in requirements[ref.package][ref.module].compactMap { number[$0] } }
        for component in StronglyConnected.components(count: nodes.count, edges: edges) {
            let members = Set(component)
            let start = component.min()!
            guard component.count > 1 || edges[start].contains(start) else { continue }
            let path = StronglyConnected.cycle(from: start, within: members, edges: edges)
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
    let names: [String]

    init(_ package: Package) {
        var byName: [String: Int] = [:]
        byName.reserveCapacity(package.modules.count)
        for (index, module) in package.modules.enumerated() {
            for alias in module.aliases where byName[alias.value] == nil { byName[alias.value] = index }
        }
        for (index, module) in package.modules.enumerated() { byName[module.id.name] = index }
        self.byName = byName
        self.names = package.modules.map(\.id.name)
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
    static func components(count: Int, edges: [[Int]]) -> [[Int]] {
        var index = [Int](repeating: -1, count: count)
        var low = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count)
        var stack: [Int] = []
        var result: [[Int]] = []
        var next = 0
        var work: [(node: Int, edge: Int)] = []
        for root in 0..<count where index[root] < 0 {
            work.append((root, 0))
            index[root] = next; low[root] = next; next += 1
            stack.append(root); onStack[root] = true
            while let (node, edge) = work.last {
                if edge < edges[node].count {
                    work[work.count - 1].edge += 1
                    let target = edges[node][edge]
                    if index[target] < 0 {
                        index[target] = next; low[target] = next; next += 1
                        stack.append(target); onStack[target] = true
                        work.append((target, 0))
                    } else if onStack[target] {
                        low[node] = min(low[node], index[target])
                    }
                } else {
                    work.removeLast()
                    if let parent = work.last { low[parent.node] = min(low[parent.node], low[node]) }
                    if low[node] == index[node] {
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
    static func cycle(from start: Int, within members: Set<Int>, edges: [[Int]]) -> [Int] {
        if edges[start].contains(start) { return [start] }
        var parent: [Int: Int] = [:]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for target in edges[node] where members.contains(target) {
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
