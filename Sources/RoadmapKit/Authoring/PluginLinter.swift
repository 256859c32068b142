#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `roadmap plugin lint`: every problem the loader and the validator find in a plugin file, plus authoring
/// warnings about what is legal but probably not meant.
///
/// The warnings, each with its code:
/// - `missing-outcomes`, `missing-resources`: a module lists no outcomes, or no resources.
/// - `resource-without-url`: a resource gives no `url`.
/// - `hours-out-of-range`: a module's hours are below half the smallest, or above twice the largest, estimate
///   of the other packages on the catalog path.
/// - `unreachable-module`: nothing in the plugin reaches the module. The entry points are the modules of the
///   plugin's highest stage (the highest stage any of its modules names) and optional modules (electives);
///   a module is reached when an entry point requires it, directly or through other modules of the plugin.
/// - `requires-higher-stage`: a module requires a module of a higher stage than its own.
/// - `redundant-requirement`: a requirement that another requirement of the same module already implies,
///   through the requirements of the whole catalog.
/// - `unsatisfied-requirement`: a version requirement that the newest copy of the package on the catalog path
///   does not meet, though an older one does (when no copy meets it, the validator's `version-conflict`
///   error says so).
/// - `unbounded-requirement`: a version requirement with no upper bound, such as `*` or `>=1.0`.
/// - `folder-mismatch`: `Plugins/NAME/plugin.yaml` whose id is not NAME.
public struct PluginLinter: Sendable {
    public let workspace: PluginWorkspace

    public init(workspace: PluginWorkspace) { self.workspace = workspace }

    /// The diagnostics of the plugin's file: errors of the loader and the validator, then the warnings.
    public func lint() -> Diagnostics {
        var (resolution, diagnostics) = workspace.validate()
        guard let index = workspace.pluginIndex else {
            if !diagnostics.hasErrors {
                diagnostics.error(.fileUnreadable, "no plugin could be read from this file", at: .start(of: workspace.pluginFile))
            }
            return diagnostics
        }
        var checks = Checks(catalog: workspace.catalog, resolution: resolution, index: index)
        checks.modules(&diagnostics)
        checks.reachability(&diagnostics)
        checks.stagesAndRedundancy(&diagnostics)
        checks.hours(&diagnostics)
        checks.versions(&diagnostics)
        checks.folder(&diagnostics)
        return diagnostics
    }

    private struct Checks {
        let catalog: Catalog
        let resolution: CatalogValidator.Resolution
        let index: Int
        var plugin: Package { catalog.packages[index] }
        var lookups: [Int: ModuleLookup] = [:]
        var descendants: [CatalogValidator.ModuleRef: Set<CatalogValidator.ModuleRef>] = [:]

        init(catalog: Catalog, resolution: CatalogValidator.Resolution, index: Int) {
            self.catalog = catalog
            self.resolution = resolution
            self.index = index
        }

        /// The stage ranks the plugin's modules may use.
        var ranks: [String: Int] {
            Dictionary(resolution.stages[index].map { ($0.id, $0.rank) }, uniquingKeysWith: { first, _ in first })
        }

        func module(_ ref: CatalogValidator.ModuleRef) -> Module { catalog.packages[ref.package].modules[ref.module] }

        /// A requirement as written, resolved the way the validator does; nil when it does not resolve (the
        /// validator has said why).
        mutating func resolve(_ text: String) -> CatalogValidator.ModuleRef? {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard (1...2).contains(parts.count), parts.allSatisfy(Identifier.isValid) else { return nil }
            let target: Int
            if parts.count == 1 || parts[0] == plugin.name {
                target = index
            } else if let dependency = resolution.dependencies[index][parts[0]] {
                target = dependency
            } else {
                return nil
            }
            if lookups[target] == nil { lookups[target] = ModuleLookup(catalog.packages[target]) }
            return lookups[target]!.index(of: parts[parts.count - 1]).map { .init(package: target, module: $0) }
        }

        /// Every module `ref` requires, directly or not.
        mutating func below(_ ref: CatalogValidator.ModuleRef) -> Set<CatalogValidator.ModuleRef> {
            if let known = descendants[ref] { return known }
            var seen = Set<CatalogValidator.ModuleRef>()
            var stack = resolution.requirements[ref.package][ref.module]
            while let next = stack.popLast() {
                guard seen.insert(next).inserted else { continue }
                stack += resolution.requirements[next.package][next.module]
            }
            descendants[ref] = seen
            return seen
        }

        /// A shortest chain of requirements from `start` down to `goal`, both included.
        func chain(from start: CatalogValidator.ModuleRef, to goal: CatalogValidator.ModuleRef) -> [CatalogValidator.ModuleRef] {
            var parent: [CatalogValidator.ModuleRef: CatalogValidator.ModuleRef] = [:]
            var queue = [start]
            var head = 0
            while head < queue.count {
                let node = queue[head]
                head += 1
                if node == goal { break }
                for next in resolution.requirements[node.package][node.module] where parent[next] == nil && next != start {
                    parent[next] = node
                    queue.append(next)
                }
            }
            var path = [goal]
            while let previous = parent[path[path.count - 1]] { path.append(previous) }
            return path.reversed()
        }

        func name(_ ref: CatalogValidator.ModuleRef) -> String {
            ref.package == index ? module(ref).id.name : module(ref).id.description
        }

        func modules(_ diagnostics: inout Diagnostics) {
            for module in plugin.modules {
                if module.outcomes.isEmpty {
                    diagnostics.warning(
                        .missingOutcomes, "module '\(module.id.name)' lists no outcomes", at: module.location,
                        help: ["add 'outcomes:', what someone can do after studying it, such as 'Derive the normal equations of least squares'"])
                }
                if module.resources.isEmpty {
                    diagnostics.warning(
                        .missingResources, "module '\(module.id.name)' lists no resources", at: module.location,
                        help: ["add 'resources:', each {title: ..., url: https://..., type: book}"])
                }
                for resource in module.resources where resource.url == nil {
                    diagnostics.warning(
                        .resourceWithoutURL, "resource '\(resource.title)' of module '\(module.id.name)' has no URL",
                        at: resource.location,
                        help: ["add 'url:' with a stable link: a DOI (https://doi.org/...), an arXiv abstract page or the publisher's page"])
                }
            }
        }

        mutating func reachability(_ diagnostics: inout Diagnostics) {
            let ranks = self.ranks
            let moduleRanks = plugin.modules.map { ranks[$0.stage.value] }
            guard let top = moduleRanks.compactMap({ $0 }).max() else { return }
            let topStage = resolution.stages[index].first { $0.rank == top }?.id ?? ""
            var reached = Set<Int>()
            var stack = plugin.modules.indices.filter { moduleRanks[$0] == top || plugin.modules[$0].optional }
            var requiredBy: [Int: [Int]] = [:]
            for (position, module) in plugin.modules.enumerated() {
                for requirement in module.requires {
                    if let ref = resolve(requirement.value), ref.package == index { requiredBy[ref.module, default: []].append(position) }
                }
            }
            while let next = stack.popLast() {
                guard reached.insert(next).inserted else { continue }
                stack += resolution.requirements[index][next].filter { $0.package == index }.map(\.module)
            }
            for (position, module) in plugin.modules.enumerated() where !reached.contains(position) && moduleRanks[position] != nil {
                let users = requiredBy[position] ?? []
                let why = users.isEmpty
                    ? "no module of the plugin requires it"
                    : "only modules that are not reached either require it (" + users.map { "'\(plugin.modules[$0].id.name)'" }.joined(separator: ", ") + ")"
                diagnostics.warning(
                    .unreachableModule,
                    "module '\(module.id.name)' is not reached: \(why), and its stage '\(module.stage.value)' is below the plugin's highest stage '\(topStage)'",
                    at: module.location,
                    help: ["require it from the module that builds on it, move it to stage '\(topStage)', or mark it 'optional: true' if it is an elective"])
            }
        }

        mutating func stagesAndRedundancy(_ diagnostics: inout Diagnostics) {
            let ranks = self.ranks
            for (position, module) in plugin.modules.enumerated() {
                let refs = module.requires.map { resolve($0.value) }
                if let own = ranks[module.stage.value] {
                    for (requirement, ref) in zip(module.requires, refs) {
                        guard let ref, let rank = ranks[self.module(ref).stage.value], rank > own else { continue }
                        diagnostics.warning(
                            .requiresHigherStage,
                            "module '\(module.id.name)' of stage '\(module.stage.value)' requires '\(requirement.value)' of the higher stage '\(self.module(ref).stage.value)'",
                            at: requirement.location,
                            help: ["a module can only be mastered at its stage if what it requires is too: move '\(module.id.name)' up to stage '\(self.module(ref).stage.value)', or drop the requirement"])
                    }
                }
                let me = CatalogValidator.ModuleRef(package: index, module: position)
                for (i, requirement) in module.requires.enumerated() {
                    guard let target = refs[i], target != me else { continue }
                    for (j, other) in module.requires.enumerated() where j != i {
                        guard let via = refs[j], via != me else { continue }
                        if via == target {
                            // The same module written twice in different ways (an alias, or with and without
                            // the package): the later one is the redundant one. Same text is the decoder's.
                            if j < i, other.value != requirement.value {
                                diagnostics.warning(
                                    .redundantRequirement,
                                    "'\(requirement.value)' names the same module as '\(other.value)', required earlier",
                                    at: requirement.location, help: ["remove '\(requirement.value)'"])
                                break
                            }
                            continue
                        }
                        if below(via).contains(target), !below(target).contains(via) {
                            let path = chain(from: via, to: target).map(name).joined(separator: " -> ")
                            diagnostics.warning(
                                .redundantRequirement,
                                "'\(requirement.value)' is already required through '\(other.value)' (\(path))",
                                at: requirement.location, help: ["remove '\(requirement.value)' from the requires of '\(module.id.name)'"])
                            break
                        }
                    }
                }
            }
        }

        func hours(_ diagnostics: inout Diagnostics) {
            let others = catalog.packages.filter { $0.name != plugin.name }.flatMap(\.modules).map(\.hours)
            guard let low = others.min(), let high = others.max() else { return }
            let range = "\(AuthoringText.hours(low)) to \(AuthoringText.hours(high)) hours"
            for module in plugin.modules {
                if module.hours > high * 2 {
                    diagnostics.warning(
                        .hoursOutOfRange,
                        "module '\(module.id.name)' takes \(AuthoringText.hours(module.hours)) hours, far above the \(range) of the other modules on the catalog path",
                        at: module.hoursLocation, help: ["check the estimate, or split the module into several"])
                } else if module.hours < low / 2 {
                    diagnostics.warning(
                        .hoursOutOfRange,
                        "module '\(module.id.name)' takes \(AuthoringText.hours(module.hours)) hours, far below the \(range) of the other modules on the catalog path",
                        at: module.hoursLocation, help: ["check the estimate, or fold the module into a related one"])
                }
            }
        }

        func versions(_ diagnostics: inout Diagnostics) {
            for requirement in plugin.requirements {
                let name = requirement.package.value
                let versions = catalog.versions(of: name)
                guard let newest = versions.first else { continue }
                let rule = requirement.requirement
                let suggestion = "^\(newest.version.major).\(newest.version.minor)"
                if !rule.isSatisfied(by: newest.version), let used = versions.first(where: { rule.isSatisfied(by: $0.version) }) {
                    diagnostics.warning(
                        .unsatisfiedRequirement,
                        "'\(name)' \(rule) is not met by the newest \(newest.kind.rawValue) '\(name)' on the catalog path, \(newest.version) (\(newest.file)); plans with this plugin will use \(used.version)",
                        at: requirement.location,
                        help: ["once the plugin works with \(newest.version), require '\(suggestion)'"])
                }
                let bounded = rule.comparators.contains { [.less, .lessOrEqual, .equal].contains($0.op) }
                if !bounded {
                    diagnostics.warning(
                        .unboundedRequirement,
                        "'\(name)' \(rule) has no upper bound, so a future major version that renames or drops modules would be accepted",
                        at: requirement.location, help: ["write '\(name): \(suggestion)'"])
                }
            }
        }

        func folder(_ diagnostics: inout Diagnostics) {
            let url = URL(fileURLWithPath: plugin.file)
            guard url.lastPathComponent == "plugin.yaml" else { return }
            let folder = url.deletingLastPathComponent().lastPathComponent
            guard !folder.isEmpty, folder != ".", folder != plugin.name else { return }
            diagnostics.warning(
                .folderMismatch, "plugin '\(plugin.name)' is in folder '\(folder)'; name the folder after the plugin",
                at: plugin.id.location, help: ["rename the folder to '\(plugin.name)'"])
        }
    }
}
