/// Limits on the size of one package, refused with a located diagnostic.
public struct CatalogLimits: Sendable, Hashable {
    /// The most modules in one package.
    public var maxModulesPerPackage = 200_000
    /// The most requirements of one module.
    public var maxRequirementsPerModule = 100
    /// The most hours one module may take; more is a unit too big to schedule, or a typo.
    public var maxHoursPerModule = 1_000.0
    /// The most weeks `min_weeks` may spread a module over (ten years).
    public var maxMinWeeks = 520
    /// The most stages of one roadmap: a career ladder has a handful, and each is looked up by id.
    public var maxStages = 100
    /// The most old ids (`aliases`) of one module; each is compared when a journal or profile names a module.
    public var maxAliasesPerModule = 100

    public init() {}
    public static let `default` = CatalogLimits()
}

/// Turns the located tree of a roadmap or plugin file into a ``Package``, reporting every problem of shape.
///
/// Checks here are local to one file; relations between packages are checked by ``CatalogValidator``.
public struct PackageDecoder: Sendable {
    public static let roadmapKeys = ["roadmap", "title", "version", "summary", "stages", "modules"]
    public static let pluginKeys = ["plugin", "title", "version", "summary", "requires", "modules"]
    public static let stageKeys = ["id", "title", "years", "salary_usd", "summary"]
    public static let moduleKeys = [
        "id", "title", "stage", "track", "hours", "min_weeks", "kind", "requires", "optional", "outcomes",
        "resources", "evidence", "aliases",
    ]
    public static let resourceKeys = ["title", "url", "type"]

    public var limits: CatalogLimits

    public init(limits: CatalogLimits = .default) { self.limits = limits }

    /// Decodes `document` as a package; the kind comes from its first key (`roadmap:` or `plugin:`).
    public func decode(_ document: YAMLDocument, root: CatalogRoot? = nil, diagnostics: inout Diagnostics) -> Package? {
        decode(document, root: root, head: false, diagnostics: &diagnostics)
    }

    /// Decodes `document` as a package's head, its entries before `modules`
    /// (``YAMLReader/readHead(_:file:before:limits:)``): a package with no modules.
    public func decodeHead(_ document: YAMLDocument, root: CatalogRoot? = nil, diagnostics: inout Diagnostics) -> Package? {
        decode(document, root: root, head: true, diagnostics: &diagnostics)
    }

    private func decode(_ document: YAMLDocument, root: CatalogRoot?, head: Bool, diagnostics: inout Diagnostics) -> Package? {
        guard let node = document.root else {
            diagnostics.error(.emptyFile, "file is empty; expected a roadmap or a plugin", at: .start(of: document.file))
            return nil
        }
        guard node.kind == .mapping else {
            diagnostics.error(
                .wrongType, "expected a roadmap or a plugin (a mapping), found \(node.kindDescription)", at: node.location)
            return nil
        }
        let keys = Set(node.keys.compactMap(\.scalar))
        let kind: Package.Kind
        if keys.contains("plugin") {
            kind = .plugin
        } else if keys.contains("roadmap") && (keys.contains("stages") || keys.contains("modules") || head) {
            kind = .roadmap
        } else if keys.contains("roadmap") {
            diagnostics.error(
                .missingKey, "roadmap has no 'stages' and no 'modules'", at: node.location,
                help: ["a roadmap lists its career stages under 'stages:' and its modules under 'modules:'"])
            return nil
        } else {
            diagnostics.error(
                .missingKey, "file is neither a roadmap nor a plugin: it has no 'roadmap:' or 'plugin:' key",
                at: node.location, help: ["a roadmap starts with 'roadmap: ID', a plugin with 'plugin: ID'"])
            return nil
        }
        return decodePackage(node, kind: kind, file: document.file, root: root, head: head, diagnostics: &diagnostics)
    }

    private func decodePackage(
        _ node: YAMLNode, kind: Package.Kind, file: String, root: CatalogRoot?, head: Bool, diagnostics: inout Diagnostics
    ) -> Package? {
        let context = kind == .roadmap ? "roadmap" : "plugin"
        let errorsBefore = diagnostics.errorCount
        guard let fields = FieldReader(
            node, context: context, allowed: kind == .roadmap ? Self.roadmapKeys : Self.pluginKeys, diagnostics: &diagnostics)
        else { return nil }
        let id = fields.id(context, required: true, diagnostics: &diagnostics)
        let title = fields.string("title", required: true, diagnostics: &diagnostics)
        let version = decodeVersion(fields, diagnostics: &diagnostics)
        let summary = fields.string("summary", diagnostics: &diagnostics)?.value

        var stages: [Stage] = []
        var requirements: [PackageRequirement] = []
        if kind == .roadmap {
            stages = decodeStages(fields, diagnostics: &diagnostics)
        } else {
            requirements = decodeRequirements(fields, packageID: id?.value, diagnostics: &diagnostics)
        }
        let packageName = id?.value ?? "?"
        var modules: [Module] = []
        var names: [String: Int] = [:]
        var repeated: [(position: Int, first: Int)] = []
        if head {
            // The modules were not read.
        } else if !fields.has("modules") {
            diagnostics.error(.missingKey, "\(context) has no 'modules'", at: node.location)
        } else if let items = fields.list("modules", diagnostics: &diagnostics) {
            if items.count > limits.maxModulesPerPackage {
                diagnostics.error(
                    .limitExceeded,
                    "\(context) has \(items.count) modules, more than the limit of \(limits.maxModulesPerPackage)",
                    at: fields.location(of: "modules"))
                return nil
            }
            modules.reserveCapacity(items.count)
            names.reserveCapacity(items.count)
            for item in items {
                if let module = decodeModule(item, package: packageName, index: modules.count, diagnostics: &diagnostics) {
                    // Each id is noted while the module is at hand; repeats are reported after the stages' below.
                    if let first = names.updateValue(modules.count, forKey: module.id.name) {
                        names[module.id.name] = first
                        repeated.append((modules.count, first))
                    }
                    modules.append(module)
                }
            }
        }
        checkDuplicates(in: modules, names: names, repeated: repeated, stages: stages, diagnostics: &diagnostics)
        guard let id, let title, let version, diagnostics.errorCount == errorsBefore else {
            // A package with errors is still returned when its id and version are known, so that
            // relations to it can be checked without a cascade of "unknown package" errors.
            guard let id, let version else { return nil }
            return Package(
                kind: kind, id: id, title: title?.value ?? id.value, version: version.value,
                versionLocation: version.location, summary: summary, stages: stages, requirements: requirements,
                modules: modules, file: file, root: root)
        }
        return Package(
            kind: kind, id: id, title: title.value, version: version.value, versionLocation: version.location,
            summary: summary, stages: stages, requirements: requirements, modules: modules, file: file, root: root)
    }

    private func decodeVersion(_ fields: FieldReader, diagnostics: inout Diagnostics) -> Located<Version>? {
        guard let text = fields.string("version", required: true, diagnostics: &diagnostics) else { return nil }
        guard let version = Version(text.value) else {
            let partial = Version.parse(text.value, allowPartial: true)?.version
            diagnostics.error(
                .invalidVersion, "'\(text.value)' is not a semantic version (MAJOR.MINOR.PATCH)", at: text.location,
                help: partial.map { ["write '\($0)'"] } ?? [])
            return nil
        }
        return Located(version, at: text.location)
    }

    private func decodeStages(_ fields: FieldReader, diagnostics: inout Diagnostics) -> [Stage] {
        guard fields.has("stages") else {
            diagnostics.error(.missingKey, "roadmap has no 'stages'", at: fields.mapping.location)
            return []
        }
        guard let items = fields.list("stages", diagnostics: &diagnostics) else { return [] }
        if items.isEmpty {
            diagnostics.error(.invalidValue, "roadmap has no stages; list at least one", at: fields.location(of: "stages"))
        }
        if items.count > limits.maxStages {
            diagnostics.error(
                .limitExceeded, "roadmap has \(items.count) stages, more than the limit of \(limits.maxStages)",
                at: fields.location(of: "stages"))
            return []
        }
        var stages: [Stage] = []
        for item in items {
            guard let stage = FieldReader(item, context: "stage", allowed: Self.stageKeys, diagnostics: &diagnostics) else { continue }
            let id = stage.id("id", required: true, diagnostics: &diagnostics)
            let title = stage.string("title", required: true, diagnostics: &diagnostics)
            let years = stage.string("years", diagnostics: &diagnostics)?.value
            let summary = stage.string("summary", diagnostics: &diagnostics)?.value
            var salary: ClosedRange<Int>?
            if let range = stage.list("salary_usd", diagnostics: &diagnostics) {
                let numbers = range.compactMap { FieldReader.number($0, what: "each salary", diagnostics: &diagnostics) }
                if range.count != 2 || numbers.count != 2 {
                    diagnostics.error(.invalidValue, "'salary_usd' must be two numbers, [low, high]", at: stage.location(of: "salary_usd"))
                } else if numbers[0].value < 0 || numbers[0].value > numbers[1].value || numbers[1].value > 1e9 {
                    diagnostics.error(
                        .invalidValue, "'salary_usd' must be [low, high] with 0 <= low <= high", at: stage.location(of: "salary_usd"))
                } else {
                    salary = Int(numbers[0].value)...Int(numbers[1].value)
                }
            }
            guard let id else { continue }
            stages.append(Stage(
                id: id.value, title: title?.value ?? id.value, years: years, salaryUSD: salary, summary: summary,
                rank: stages.count, location: item.location))
        }
        return stages
    }

    private func decodeRequirements(
        _ fields: FieldReader, packageID: String?, diagnostics: inout Diagnostics
    ) -> [PackageRequirement] {
        guard let node = fields.node("requires") else {
            diagnostics.error(
                .missingKey, "plugin has no 'requires'; a plugin must build on a roadmap", at: fields.mapping.location,
                help: ["add, for example:\n    requires:\n      ml-research-fellow: ^1.0"])
            return []
        }
        guard node.kind == .mapping else {
            diagnostics.error(
                .wrongType, "expected 'requires' to map package ids to version requirements, found \(node.kindDescription)",
                at: node.location, help: ["write, for example:\n    requires:\n      ml-research-fellow: ^1.0"])
            return []
        }
        var result: [PackageRequirement] = []
        for (key, value) in node.pairs {
            guard let name = FieldReader.string(key, what: "a package id", diagnostics: &diagnostics),
                let id = FieldReader.checkID(name, diagnostics: &diagnostics)
            else { continue }
            if id.value == packageID {
                diagnostics.error(.selfRequirement, "plugin '\(id.value)' requires itself", at: key.location)
                continue
            }
            guard let text = FieldReader.string(value, what: "the version requirement of '\(id.value)'", diagnostics: &diagnostics)
            else { continue }
            guard let requirement = VersionRequirement(text.value) else {
                diagnostics.error(
                    .invalidRequirement, "'\(text.value)' is not a version requirement", at: text.location,
                    help: ["use a form such as ^1.2, ~1.2, >=1.0 <2.0 or =1.2.3"])
                continue
            }
            result.append(PackageRequirement(package: id, requirement: requirement, location: key.location))
        }
        return result
    }

    private func decodeModule(_ node: YAMLNode, package: String, index: Int, diagnostics: inout Diagnostics) -> Module? {
        guard let fields = FieldReader(node, context: "module", allowed: Self.moduleKeys, diagnostics: &diagnostics) else { return nil }
        let id = fields.id("id", required: true, diagnostics: &diagnostics)
        let title = fields.string("title", required: true, diagnostics: &diagnostics)
        let stage = fields.string("stage", required: true, diagnostics: &diagnostics)
        let track = fields.string("track", diagnostics: &diagnostics)?.value
        var hours = fields.number("hours", required: true, diagnostics: &diagnostics)
        if let value = hours, !(value.value > 0) {
            diagnostics.error(.invalidHours, "'hours' must be a positive number, found \(format(value.value))", at: value.location)
            hours = nil
        } else if let value = hours, value.value > limits.maxHoursPerModule {
            diagnostics.error(
                .invalidHours,
                "'hours' is \(format(value.value)), more than the limit of \(format(limits.maxHoursPerModule)) for one module",
                at: value.location, help: ["split the work into several modules"])
            hours = nil
        }
        var minWeeks: Int?
        if let number = fields.number("min_weeks", diagnostics: &diagnostics) {
            if number.value != number.value.rounded() || number.value < 1 {
                diagnostics.error(
                    .invalidMinWeeks, "'min_weeks' must be a positive whole number, found \(format(number.value))",
                    at: number.location)
            } else if number.value > Double(limits.maxMinWeeks) {
                diagnostics.error(
                    .invalidMinWeeks, "'min_weeks' is \(format(number.value)), more than the limit of \(limits.maxMinWeeks)",
                    at: number.location)
            } else {
                minWeeks = Int(number.value)
            }
        }
        var kind = ModuleKind.topic
        if let text = fields.string("kind", diagnostics: &diagnostics) {
            if let parsed = ModuleKind(rawValue: text.value) {
                kind = parsed
            } else {
                diagnostics.error(
                    .invalidValue, "unknown kind '\(text.value)'; expected topic, project or milestone", at: text.location,
                    help: Suggestions.didYouMean(Suggestions.closest(to: text.value, among: ModuleKind.allCases.map(\.rawValue))).map { [$0] } ?? [])
            }
        }
        let requires = fields.strings("requires", diagnostics: &diagnostics)
        if requires.count > limits.maxRequirementsPerModule {
            diagnostics.error(
                .limitExceeded,
                "module requires \(requires.count) modules, more than the limit of \(limits.maxRequirementsPerModule)",
                at: fields.location(of: "requires"))
        }
        // Each repeat of an earlier entry is warned about; a short list is compared pairwise, with no set.
        if requires.count > 1 {
            if requires.count <= 16 {
                for position in 1..<requires.count
                where requires[0..<position].contains(where: { $0.value == requires[position].value }) {
                    diagnostics.warning(
                        .duplicateID, "'\(requires[position].value)' is listed twice in requires",
                        at: requires[position].location)
                }
            } else {
                var seenRequirements = Set<String>()
                for requirement in requires where !seenRequirements.insert(requirement.value).inserted {
                    diagnostics.warning(.duplicateID, "'\(requirement.value)' is listed twice in requires", at: requirement.location)
                }
            }
        }
        let optional = fields.bool("optional", diagnostics: &diagnostics)?.value ?? false
        let outcomes = fields.strings("outcomes", diagnostics: &diagnostics).map(\.value)
        var resources: [Resource] = []
        if let items = fields.list("resources", diagnostics: &diagnostics) {
            for item in items {
                if item.kind == .scalar, let text = FieldReader.string(item, what: "a resource", diagnostics: &diagnostics) {
                    resources.append(Resource(title: text.value, url: nil, type: nil, location: item.location))
                    continue
                }
                guard let resource = FieldReader(item, context: "resource", allowed: Self.resourceKeys, diagnostics: &diagnostics)
                else { continue }
                let title = resource.string("title", required: true, diagnostics: &diagnostics)
                let url = resource.string("url", diagnostics: &diagnostics)
                if let url, !(url.value.hasPrefix("https://") || url.value.hasPrefix("http://")) {
                    diagnostics.error(.invalidValue, "'url' must start with https:// or http://, found '\(url.value)'", at: url.location)
                }
                let type = resource.string("type", diagnostics: &diagnostics)
                if let type, !Resource.types.contains(type.value) {
                    diagnostics.error(
                        .invalidValue, "unknown resource type '\(type.value)'", at: type.location,
                        help: [Suggestions.didYouMean(Suggestions.closest(to: type.value, among: Resource.types))
                            ?? "use one of " + Resource.types.joined(separator: ", ")])
                }
                if let title {
                    resources.append(Resource(title: title.value, url: url?.value, type: type?.value, location: item.location))
                }
            }
        }
        let evidence = fields.string("evidence", diagnostics: &diagnostics)?.value
        var aliases = fields.strings("aliases", diagnostics: &diagnostics).compactMap {
            FieldReader.checkID($0, diagnostics: &diagnostics)
        }
        if aliases.count > limits.maxAliasesPerModule {
            diagnostics.error(
                .limitExceeded, "module has \(aliases.count) aliases, more than the limit of \(limits.maxAliasesPerModule)",
                at: fields.location(of: "aliases"))
            aliases = []
        }
        guard let id, let title, let stage, let hours else { return nil }
        return Module(
            id: ModuleID(package: package, name: id.value), title: title.value, stage: stage, track: track,
            hours: hours.value, minWeeks: minWeeks, kind: kind, requires: requires, optional: optional,
            outcomes: outcomes, resources: resources, evidence: evidence, aliases: aliases, location: node.location,
            hoursLocation: hours.location, declarationIndex: index)
    }

    /// Stages defined twice, then module ids defined twice (`repeated`: each repeat's position and its first's,
    /// in order; `names`: each id's first position), then aliases that collide.
    private func checkDuplicates(
        in modules: [Module], names: [String: Int], repeated: [(position: Int, first: Int)], stages: [Stage],
        diagnostics: inout Diagnostics
    ) {
        var stageIDs: [String: SourceLocation] = [:]
        for stage in stages {
            if let first = stageIDs[stage.id] {
                diagnostics.error(
                    .duplicateID, "stage '\(stage.id)' is defined twice", at: stage.location,
                    related: [.init("first defined here", at: first)])
            } else {
                stageIDs[stage.id] = stage.location
            }
        }
        for (position, first) in repeated {
            diagnostics.error(
                .duplicateID, "module '\(modules[position].id.name)' is defined twice", at: modules[position].location,
                related: [.init("first defined here", at: modules[first].location)])
        }
        var aliases: [String: SourceLocation] = [:]
        for position in modules.indices where !modules[position].aliases.isEmpty {
            let module = modules[position]
            for alias in module.aliases {
                if alias.value == module.id.name {
                    diagnostics.error(
                        .aliasCollision, "alias '\(alias.value)' of module '\(module.id.name)' is its own id",
                        at: alias.location, help: ["an alias is an earlier id of the module; remove this one"])
                } else if let other = names[alias.value] {
                    diagnostics.error(
                        .aliasCollision, "alias '\(alias.value)' of module '\(module.id.name)' is the id of another module",
                        at: alias.location,
                        related: [.init("module '\(alias.value)' is defined here", at: modules[other].location)])
                } else if let first = aliases[alias.value] {
                    diagnostics.error(
                        .aliasCollision, "alias '\(alias.value)' is used by two modules", at: alias.location,
                        related: [.init("first used here", at: first)])
                } else {
                    aliases[alias.value] = alias.location
                }
            }
        }
    }
}
