/// JSON Schemas (draft 2020-12) of the YAML formats, for editors and for checking files outside roadmap:
/// `roadmap schema roadmap|plugin|profile|journal|example`, kept in `docs/schemas/NAME.schema.json`.
///
/// They follow what the loader accepts. Where YAML and JSON disagree they follow the loader: text fields take
/// plain numbers and booleans too (the loader reads them as their text), lists may be left empty (null), and
/// dates are strings (YAML 1.2 has no timestamps). What a schema cannot say is checked by the loader alone:
/// that a date exists (2027-02-30), that `salary_usd` is [low, high] with low <= high, that a deadline
/// follows the start, that a plugin does not require itself, and every relation between files (stages,
/// module requirements, versions, cycles).
public enum JSONSchemas {
    public enum Format: String, CaseIterable, Sendable {
        case roadmap, plugin, profile, journal, example

        /// The file name in `docs/schemas/`.
        public var fileName: String { "\(rawValue).schema.json" }
    }

    public static func schema(_ format: Format) -> JSONValue {
        switch format {
        case .roadmap: return roadmap
        case .plugin: return plugin
        case .profile: return profile
        case .journal: return journal
        case .example: return example
        }
    }

    public static func text(_ format: Format) -> String { schema(format).pretty }

    // MARK: Patterns

    static let idPattern = "[a-z]([a-z0-9-]*[a-z0-9])?"
    /// A whole id.
    public static let id = "^\(idPattern)$"
    /// `ID` or `PACKAGE/ID`.
    public static let moduleReference = "^\(idPattern)(/\(idPattern))?$"
    static let number = "(0|[1-9][0-9]{0,8})"
    static let prerelease = "-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*"
    /// `MAJOR.MINOR.PATCH[-prerelease]`.
    public static let version = "^\(number)\\.\(number)\\.\(number)(\(prerelease))?$"
    /// `^1.2`, `~1.2`, `>=1.0 <2.0`, `=1.2.3`, `1.2`, `*`: terms apart by spaces or commas.
    public static let versionRequirement: String = {
        let partial = "\(number)(\\.\(number)(\\.\(number)(\(prerelease))?)?)?"
        let term = "(>=|<=|>|<|=|\\^|~)?\(partial)"
        return "^\\s*(\\*|[ ,]*\(term)([ ,]+\(term))*[ ,]*)\\s*$"
    }()
    /// `YYYY-MM-DD`, optionally followed by a time of day: what profiles and journals accept as a date.
    public static let date: String = {
        let year = "(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"
        let day = "\(year)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
        let time = "([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?"
        let zone = "(Z|z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)"
        return "^\\s*\(day)([Tt ]\\s*\(time)\\s*\(zone)?)?\\s*$"
    }()

    // MARK: Building blocks

    static func object(_ pairs: [(String, JSONValue)]) -> JSONValue { .object(pairs) }

    static func ref(_ name: String, _ description: String? = nil) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("$ref", .string("#/$defs/\(name)"))]
        if let description { pairs.append(("description", .string(description))) }
        return .object(pairs)
    }

    static func list(of items: JSONValue, _ description: String, maxItems: Int? = nil) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("description", .string(description)), ("type", ["array", "null"]), ("items", items),
        ]
        if let maxItems { pairs.append(("maxItems", .integer(maxItems))) }
        return .object(pairs)
    }

    static func header(_ title: String, _ description: String) -> [(String, JSONValue)] {
        [
            ("$schema", "https://json-schema.org/draft/2020-12/schema"),
            ("title", .string(title)),
            ("description", .string(description)),
        ]
    }

    static let idDef: JSONValue = object([
        ("description", "An id: lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen, at most 64 characters."),
        ("type", "string"), ("pattern", .string(id)), ("maxLength", .integer(Identifier.maxLength)),
    ])
    static let moduleReferenceDef: JSONValue = object([
        ("description", "A module: its bare id within its own file, or PACKAGE/ID."),
        ("type", "string"), ("pattern", .string(moduleReference)),
    ])
    static let textDef: JSONValue = object([
        ("description", "Text. Plain numbers and true/false are read as their text."),
        ("type", ["string", "number", "boolean"]),
    ])
    static let dateDef: JSONValue = object([
        ("description", "A date, YYYY-MM-DD, optionally followed by a time of day (2027-01-10T18:30:00Z); only the day counts."),
        ("type", "string"), ("pattern", .string(date)),
    ])
    static let versionDef: JSONValue = object([
        ("description", "A semantic version, MAJOR.MINOR.PATCH with an optional -prerelease."),
        ("type", "string"), ("pattern", .string(version)),
    ])

    static let resourceDef: JSONValue = object([
        ("description", "A book, course, paper or tool: {title, url, type}, or just a title."),
        ("anyOf", [
            ref("text"),
            object([
                ("type", "object"),
                ("additionalProperties", false),
                ("required", ["title"]),
                ("properties", object([
                    ("title", ref("text", "What it is: authors, title, year.")),
                    ("url", object([
                        ("description", "A stable link: a DOI, an arXiv abstract page, the publisher's page."),
                        ("type", "string"), ("pattern", "^https?://"),
                    ])),
                    ("type", object([
                        ("description", "What kind of resource it is."),
                        ("enum", .array(Resource.types.map { .string($0) })),
                    ])),
                ])),
            ]),
        ]),
    ])

    static let moduleDef: JSONValue = object([
        ("description", "One unit of study: what to learn, how long it takes and what it builds on."),
        ("type", "object"),
        ("additionalProperties", false),
        ("required", ["id", "title", "stage", "hours"]),
        ("properties", object([
            ("id", ref("id", "Unique within the file; elsewhere the module is PACKAGE/ID.")),
            ("title", ref("text", "A short title.")),
            ("stage", ref("id", "The stage for which the module must be mastered: one of the roadmap's stages.")),
            ("track", ref("text", "A free grouping, such as 'mathematics'.")),
            ("hours", object([
                ("description", "Effort estimate in hours."),
                ("type", "number"), ("exclusiveMinimum", 0), ("maximum", .integer(Int(CatalogLimits.default.maxHoursPerModule))),
            ])),
            ("min_weeks", object([
                ("description", "Spread over at least this many weeks: at most ceil(hours / min_weeks) hours a week."),
                ("type", "integer"), ("minimum", 1), ("maximum", .integer(CatalogLimits.default.maxMinWeeks)),
            ])),
            ("kind", object([
                ("description", "topic (the default), project or milestone."),
                ("enum", .array(ModuleKind.allCases.map { .string($0.rawValue) })),
            ])),
            ("requires", list(
                of: ref("moduleReference"), "Modules to master first: bare ids of this file, or PACKAGE/ID of a package it builds on.",
                maxItems: CatalogLimits.default.maxRequirementsPerModule)),
            ("optional", object([
                ("description", "Optional modules join a plan only when asked for (include_optional)."),
                ("type", "boolean"),
            ])),
            ("outcomes", list(of: ref("text"), "What someone can do after studying the module.")),
            ("resources", list(of: ref("resource"), "Books, courses, papers, tools.")),
            ("evidence", ref("text", "What shows the module is mastered.")),
            ("aliases", list(of: ref("id"), "Earlier ids of the module, so that journals and requirements survive a rename.")),
        ])),
    ])

    static let stageDef: JSONValue = object([
        ("description", "A rung of the career ladder."),
        ("type", "object"),
        ("additionalProperties", false),
        ("required", ["id", "title"]),
        ("properties", object([
            ("id", ref("id")),
            ("title", ref("text")),
            ("years", ref("text", "Typical years of experience, such as \"0-2\" or \"6+\".")),
            ("salary_usd", object([
                ("description", "Typical US salary range in dollars: [low, high], low <= high."),
                ("type", "array"),
                ("prefixItems", [
                    object([("type", "number"), ("minimum", 0), ("maximum", 1_000_000_000)]),
                    object([("type", "number"), ("minimum", 0), ("maximum", 1_000_000_000)]),
                ]),
                ("minItems", 2), ("maxItems", 2),
            ])),
            ("summary", ref("text")),
        ])),
    ])

    static let versionRequirementDef: JSONValue = object([
        ("description", "A version requirement: ^1.2, ~1.2, >=1.0 <2.0, =1.2.3, 1.2 (same as ^1.2) or *."),
        ("anyOf", [
            object([("type", "string"), ("pattern", .string(versionRequirement))]),
            object([("type", "number"), ("minimum", 0)]),
        ]),
    ])

    static func defs(_ names: [String]) -> (String, JSONValue) {
        let all: [(String, JSONValue)] = [
            ("id", idDef), ("moduleReference", moduleReferenceDef), ("text", textDef), ("date", dateDef),
            ("version", versionDef), ("versionRequirement", versionRequirementDef), ("stage", stageDef),
            ("module", moduleDef), ("resource", resourceDef),
        ]
        return ("$defs", .object(all.filter { names.contains($0.0) }))
    }

    // MARK: The formats

    static var roadmap: JSONValue {
        object(header("roadmap", "A roadmap: a career ladder of stages and the modules to master for each (Roadmaps/NAME.yaml).") + [
            ("type", "object"),
            ("additionalProperties", false),
            ("required", ["roadmap", "title", "version", "stages", "modules"]),
            ("properties", object([
                ("roadmap", ref("id", "The roadmap's id: PACKAGE in PACKAGE/ID.")),
                ("title", ref("text")),
                ("version", ref("version")),
                ("summary", ref("text")),
                ("stages", object([
                    ("description", "The stages, lowest first."),
                    ("type", "array"), ("minItems", 1), ("items", ref("stage")),
                ])),
                ("modules", list(of: ref("module"), "The modules.")),
            ])),
            defs(["id", "moduleReference", "text", "version", "stage", "module", "resource"]),
        ])
    }

    static var plugin: JSONValue {
        object(header("plugin", "A domain plugin: modules that build on a roadmap and perhaps other plugins (Plugins/NAME/plugin.yaml).") + [
            ("type", "object"),
            ("additionalProperties", false),
            ("required", ["plugin", "title", "version", "requires", "modules"]),
            ("properties", object([
                ("plugin", ref("id", "The plugin's id: its folder's name, and PACKAGE in PACKAGE/ID.")),
                ("title", ref("text")),
                ("version", ref("version")),
                ("summary", ref("text")),
                ("requires", object([
                    ("description", "What the plugin builds on: package id -> version requirement. The roadmap is required."),
                    ("type", "object"),
                    ("minProperties", 1),
                    ("propertyNames", ref("id")),
                    ("additionalProperties", ref("versionRequirement")),
                ])),
                ("modules", list(of: ref("module"), "The modules.")),
            ])),
            defs(["id", "moduleReference", "text", "version", "versionRequirement", "module", "resource"]),
        ])
    }

    static var profileProperties: [(String, JSONValue)] {
        [
            ("name", ref("text", "Whose profile it is.")),
            ("roadmap", ref("id", "The roadmap to follow (default ml-research-fellow).")),
            ("current_stage", ref("id", "Stages up to and including this one count as mastered.")),
            ("target_stage", ref("id", "The stage to reach (default fellow).")),
            ("specializations", list(of: ref("id"), "Plugins to add to the plan.")),
            ("hours_per_week", object([
                ("description", "Hours a week to study (default 10)."),
                ("type", "number"), ("exclusiveMinimum", 0), ("maximum", .integer(Int(ProfileDefaults.maxHoursPerWeek))),
            ])),
            ("start", ref("date", "The first day of week 1 (default: next Monday).")),
            ("deadline", ref("date", "A date to finish by, after start.")),
            ("known", list(of: ref("text"), "Mastered modules beyond the current stage, as PACKAGE/ID.")),
            ("gaps", list(of: ref("text"), "Modules at or below the current stage still to study, as PACKAGE/ID.")),
            ("include_optional", object([("description", "Plan optional modules too (default false)."), ("type", "boolean")])),
            ("max_parallel", object([
                ("description", "Modules in progress at once (default 2)."),
                ("type", "integer"), ("minimum", 1), ("maximum", 100),
            ])),
        ]
    }

    static var profile: JSONValue {
        object(header("profile", "A person's goals: where they stand, where they want to be, and how much time they can give.") + [
            ("type", "object"),
            ("additionalProperties", false),
            ("properties", .object(profileProperties)),
            defs(["id", "text", "date"]),
        ])
    }

    static var journal: JSONValue {
        object(header("journal", "Progress check-ins (PROFILE.progress.yaml): a list of entries, one per check-in of a module, appended at the end.") + [
            ("type", ["array", "null"]),
            ("items", object([
                ("description", "One check-in. Without 'status' it logs hours only."),
                ("type", "object"),
                ("additionalProperties", false),
                ("required", ["at", "module"]),
                ("anyOf", [object([("required", ["status"])]), object([("required", ["hours"])])]),
                ("properties", object([
                    ("at", ref("date", "When: a date or a date-time.")),
                    ("module", ref("text", "The module, as PACKAGE/ID (a bare id or an old alias works too).")),
                    ("status", object([
                        ("description", "started, done or skipped; absent: hours only."),
                        ("enum", ["started", "done", "skipped"]),
                    ])),
                    ("hours", object([
                        ("description", "Hours spent since the last check-in, at most a week's worth."),
                        ("type", "number"), ("minimum", 0), ("maximum", .integer(Int(JournalDecoder.maxHoursPerEntry))),
                    ])),
                    ("note", ref("text")),
                    ("evidence", ref("text", "What shows the work, such as a link to a repository.")),
                ])),
            ])),
            defs(["text", "date"]),
        ])
    }

    static var example: JSONValue {
        let pair: JSONValue = object([
            ("type", "array"), ("prefixItems", [ref("moduleReference"), ref("moduleReference")]),
            ("minItems", 2), ("maxItems", 2),
        ])
        let expect: JSONValue = object([
            ("description", "What the plan made from this profile, with the plugin added to its specializations, must show."),
            ("type", "object"),
            ("additionalProperties", false),
            ("minProperties", 1),
            ("properties", object([
                ("includes", list(of: ref("moduleReference"), "Modules in the plan: bare ids of the plugin's modules, or PACKAGE/ID.")),
                ("excludes", list(of: ref("moduleReference"), "Modules not in the plan.")),
                ("before", list(of: pair, "Pairs [A, B]: A is finished by the week B starts.")),
                ("max_weeks", object([("description", "The plan takes at most this many weeks."), ("type", "integer"), ("minimum", 1)])),
                ("feasible", object([("description", "Whether the deadline holds; needs 'deadline'."), ("type", "boolean")])),
            ])),
        ])
        return object(header("plugin example", "An example of a plugin (Plugins/NAME/examples/*.yaml): a profile and what its plan must show.") + [
            ("type", "object"),
            ("additionalProperties", false),
            ("required", ["expect"]),
            ("properties", .object(profileProperties + [("expect", expect)])),
            defs(["id", "moduleReference", "text", "date"]),
        ])
    }
}
