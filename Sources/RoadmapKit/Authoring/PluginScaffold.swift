#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Why `plugin new` wrote nothing.
public enum ScaffoldError: Error, Sendable, CustomStringConvertible {
    case invalidID(String)
    case exists(String)
    case outsideFolder(String)
    case cannotWrite(String, String)

    public var description: String {
        switch self {
        case .invalidID(let id): return Identifier.problem(with: id)
        case .exists(let path): return "'\(path)' already exists; plugin new never writes over it"
        case .outsideFolder(let path): return "'\(path)' is outside the folder to write in"
        case .cannotWrite(let path, let reason): return "cannot write '\(path)': \(reason)"
        }
    }
}

/// A new plugin folder, `plugin new`: a `plugin.yaml` with commented examples of every key, a `README.md`,
/// and an example profile with expectations, that `plugin lint` and `plugin test` accept as they stand.
public struct PluginScaffold: Sendable {
    public var id: String
    /// The roadmap the plugin builds on; its stages and modules fill the template.
    public var roadmap: Package
    /// The first day of the example's plan.
    public var start: CalendarDate
    /// The example's `max_weeks`; nil leaves it (with `deadline` and `feasible`) commented out.
    public var maxWeeks: Int?
    /// The path of `docs/schemas/` relative to the plugin folder, for the editors' modelines; nil for none.
    public var schemaFolder: String?

    public init(id: String, roadmap: Package, start: CalendarDate, maxWeeks: Int? = nil, schemaFolder: String? = nil) {
        self.id = id
        self.roadmap = roadmap
        self.start = start
        self.maxWeeks = maxWeeks
        self.schemaFolder = schemaFolder
    }

    /// A scaffold whose example's `max_weeks` and deadline come from actually planning it against `catalog`
    /// (with a margin), so that the example passes as generated.
    public static func make(id: String, roadmap: Package, catalog: Catalog, today: CalendarDate, schemaFolder: String? = nil) -> PluginScaffold {
        var scaffold = PluginScaffold(id: id, roadmap: roadmap, start: today.nextMonday, schemaFolder: schemaFolder)
        if let weeks = scaffold.plannedWeeks(catalog: catalog, today: today) {
            scaffold.maxWeeks = max(10, Int((Double(weeks) * 1.2 / 10).rounded(.up)) * 10)
        }
        return scaffold
    }

    /// Weeks the example's plan takes with this scaffold's plugin added to `catalog`; nil when it cannot be made.
    func plannedWeeks(catalog: Catalog, today: CalendarDate) -> Int? {
        var diagnostics = Diagnostics()
        let file = "\(id)/plugin.yaml"
        guard let document = try? YAMLReader.read(Array(pluginYAML.utf8), file: file),
            let plugin = PackageDecoder().decode(document, diagnostics: &diagnostics), !diagnostics.hasErrors,
            let exampleDocument = try? YAMLReader.read(Array(exampleYAML.utf8), file: "\(id)/examples/\(exampleName).yaml"),
            let example = PluginExampleDecoder().decode(exampleDocument, today: today, diagnostics: &diagnostics)
        else { return nil }
        let packages = [plugin] + catalog.packages.filter { $0.name != id }
        let composed = Catalog(packages: packages, files: [file] + catalog.files)
        var profile = example.profile
        profile.specializations.append(Located(id, at: .start(of: file)))
        guard let composition = Composer(catalog: composed).compose(
            roadmap: profile.roadmap, plugins: profile.specializations, diagnostics: &diagnostics),
            let plan = Planner(composition: composition, profile: profile, today: today).plan(diagnostics: &diagnostics)
        else { return nil }
        return plan.finishWeek
    }

    // MARK: What goes in the files

    /// `quantum-sensing` -> `Quantum Sensing`.
    public var title: String {
        id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    var lowStage: Stage { roadmap.stages[0] }
    var highStage: Stage { roadmap.stages.count > 1 ? roadmap.stages[1] : roadmap.stages[0] }
    var singleStage: Bool { roadmap.stages.count < 2 }

    /// The bare ids of the roadmap modules `name` requires, directly or not.
    private func closure(of name: String) -> Set<String> {
        let byName = Dictionary(roadmap.modules.map { ($0.id.name, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        var stack = [name]
        while let next = stack.popLast() {
            guard seen.insert(next).inserted, let module = byName[next] else { continue }
            stack += module.requires.map(\.value).filter { !$0.contains("/") }
        }
        return seen
    }

    /// A roadmap module of the lowest stage for the first module to build on.
    var foundationModule: Module? {
        let candidates = roadmap.modules.filter { $0.stage.value == lowStage.id && !$0.optional }
        return candidates.first { $0.id.name == "ml-fundamentals" } ?? candidates.last ?? roadmap.modules.first
    }

    /// A roadmap module of the second stage for the second module to build on, one that the first does not
    /// already imply; nil for a roadmap of one stage.
    var methodsModule: Module? {
        guard !singleStage else { return nil }
        let implied = foundationModule.map { closure(of: $0.id.name) } ?? []
        let candidates = roadmap.modules.filter { $0.stage.value == highStage.id && !$0.optional && !implied.contains($0.id.name) }
        return candidates.first { $0.id.name == "experiment-design" } ?? candidates.first
    }

    var foundationsID: String { "\(id)-foundations" }
    var methodsID: String { "\(id)-methods" }
    var projectID: String { "\(id)-project" }
    var readingID: String { "\(id)-reading-group" }

    var exampleName: String { singleStage ? "from-scratch" : "\(lowStage.id)-to-\(highStage.id)" }

    var versionRequirement: String { "^\(roadmap.version.major).\(roadmap.version.minor)" }

    /// The first module, every key shown with a comment in one column.
    var firstModule: String {
        let r = roadmap.name
        let stages = roadmap.stages.map(\.id).joined(separator: ", ")
        let foundationRequires = foundationModule.map { "[\(r)/\($0.id.name)]" } ?? "[]"
        let rows: [(String, String)] = [
            ("- id: \(foundationsID)", "unique within the plugin"),
            ("  title: Foundations of \(title)", ""),
            ("  stage: \(lowStage.id)", "the stage it must be mastered for: \(stages)"),
            ("  track: foundations", "a free grouping, optional"),
            ("  hours: 20", "effort estimate in hours, more than 0"),
            ("  min_weeks: 2", "optional: spread over at least this many weeks"),
            ("  kind: topic", "topic | project | milestone (default topic)"),
            ("  requires: \(foundationRequires)", "bare ids of this plugin, or PACKAGE/ID of a package in 'requires'"),
            ("  optional: false", "optional modules join a plan only when asked for (default false)"),
            ("  outcomes:", "what someone can do afterwards; each one checkable"),
            ("    - Explain the central problems of \(title) and why machine learning helps with them", ""),
            ("    - Reproduce a standard baseline on a public dataset of the field", ""),
            ("  resources:", "cite with a stable URL: a DOI, an arXiv abstract page, a publisher's page"),
            ("    - {title: \"Replace with the textbook or survey of the field\", url: \"https://example.org/replace-with-a-real-link\", type: book}", ""),
            ("    # type: book, course, paper, documentation, article, video, tool or dataset", ""),
            ("  evidence: A notebook that reproduces the baseline, with a short write-up", "what shows it is mastered"),
            ("  # aliases: [old-id]", "earlier ids of this module, so that journals survive a rename"),
        ]
        let column = 40
        let lines = rows.map { code, comment in
            comment.isEmpty ? code : code.count + 2 > column ? code + "  # " + comment : AuthoringText.pad(code, column) + "# " + comment
        }
        return lines.joined(separator: "\n  ")
    }

    public var pluginYAML: String {
        let r = roadmap.name
        let methodsRequires = ([foundationsID] + (methodsModule.map { ["\(r)/\($0.id.name)"] } ?? [])).joined(separator: ", ")
        var lines: [String] = []
        if let schemaFolder { lines.append("# yaml-language-server: $schema=\(schemaFolder)/plugin.schema.json") }
        lines.append(contentsOf: """
            # \(title): a domain plugin for roadmap.
            #
            # Check it with `roadmap plugin lint`, run its examples with `roadmap plugin test`, and write its
            # documentation with `roadmap plugin doc`. docs/authoring-plugins.md explains every key. Keys are
            # snake_case; ids are lowercase letters, digits and hyphens, starting with a letter.

            # The plugin's id: the name of its folder, and PACKAGE in PACKAGE/ID, the way other files and every
            # output name its modules (\(id)/\(foundationsID)).
            plugin: \(id)
            # A short title, shown in plans and listings.
            title: \(title)
            # The plugin's own semantic version, MAJOR.MINOR.PATCH. Bump MAJOR when you remove or rename a module
            # (keep the old id in 'aliases'), MINOR when you add modules, PATCH for wording and estimates.
            version: 0.1.0
            # A sentence or two: what someone who studies this plugin can do afterwards.
            summary: >-
              Describe in a sentence or two what someone who studies this plugin can do, and for whom it is meant.
            # What the plugin builds on: package id -> version requirement. ^1.2 means 1.2 up to (not including)
            # 2.0; ~1.2 means 1.2.x; >=1.0 <2.0 and =1.2.3 work too. The roadmap is required. Other plugins may
            # be too: they are then pulled into every plan that uses this one.
            requires:
              \(r): \(versionRequirement)
              # multimodal: ^1.0

            # The modules, lowest stage first. Within this file a module is named by its bare id; anywhere else
            # (profiles, journals, other plugins, every output) as \(id)/ID.
            modules:
              \(firstModule)

              - id: \(methodsID)
                title: Research methods of \(title)
                stage: \(highStage.id)
                track: methods
                hours: 30
                kind: topic
                requires: [\(methodsRequires)]
                outcomes:
                  - Choose evaluation metrics and baselines that the field accepts, and defend the choice
                  - Summarise the open problems of three recent papers
                resources:
                  - {title: "Replace with a recent survey paper", url: "https://example.org/replace-with-a-real-link", type: paper}
                evidence: An annotated reading list with a one-page summary of open problems

              - id: \(projectID)
                title: "Project: a study in \(title)"
                stage: \(highStage.id)
                track: projects
                hours: 40
                min_weeks: 4
                kind: project
                requires: [\(methodsID)]
                outcomes:
                  - Carry out a small study from question to results, with code others can rerun
                resources:
                  - {title: "Replace with the dataset or benchmark to use", url: "https://example.org/replace-with-a-real-link", type: dataset}
                evidence: A public repository and a short report

              - id: \(readingID)
                title: \(title) reading group
                stage: \(highStage.id)
                track: community
                hours: 15
                kind: topic
                optional: true
                requires: [\(foundationsID)]
                outcomes:
                  - Present and critique two papers of the field to peers
                resources:
                  - {title: "Replace with a venue or workshop of the field", url: "https://example.org/replace-with-a-real-link", type: article}
                evidence: Slides and notes of two presentations
            """.components(separatedBy: "\n"))
        return lines.joined(separator: "\n") + "\n"
    }

    public var exampleYAML: String {
        let r = roadmap.name
        var lines: [String] = []
        if let schemaFolder { lines.append("# yaml-language-server: $schema=../\(schemaFolder)/example.schema.json") }
        lines += [
            "# An example for `roadmap plugin test`: the keys of a profile, and under 'expect' what the plan made",
            "# from it must show. The plugin is added to the profile's specializations for you.",
        ]
        let deadline = maxWeeks.map { start.adding(days: 7 * $0) }
        let comment = maxWeeks == nil ? "# " : ""
        if singleStage {
            lines += [
                "name: Starting out in \(title)",
                "roadmap: \(r)",
                "target_stage: \(lowStage.id)",
            ]
        } else {
            lines += [
                "name: From \(lowStage.title) to \(highStage.title) in \(title)",
                "roadmap: \(r)",
                "current_stage: \(lowStage.id)           # \(lowStage.id) modules count as mastered",
                "target_stage: \(highStage.id)",
            ]
        }
        lines += [
            "hours_per_week: 10",
            "start: \(start)",
            "\(comment)deadline: \(deadline.map(\.description) ?? "2030-01-07")",
            "max_parallel: 2",
            "expect:",
            "  # In the plan. Bare ids are this plugin's modules; write others as PACKAGE/ID.",
        ]
        let core = methodsModule.map { ", \(r)/\($0.id.name)" } ?? ""
        if singleStage {
            lines.append("  includes: [\(foundationsID), \(methodsID), \(projectID)]")
            lines.append("  # Not in the plan: optional modules join only with include_optional: true.")
            lines.append("  excludes: [\(readingID)]")
        } else {
            lines.append("  includes: [\(methodsID), \(projectID)\(core)]")
            lines.append("  # Not in the plan: \(foundationsID) is at the current stage, so mastered, and")
            lines.append("  # \(readingID) is optional.")
            lines.append("  excludes: [\(foundationsID), \(readingID)]")
        }
        lines += [
            "  # [A, B]: A is finished by the week B starts.",
            "  before: [[\(methodsID), \(projectID)]]",
            "  # The plan takes at most this many weeks.",
            "  \(comment)max_weeks: \(maxWeeks ?? 200)",
            "  # The deadline holds (false: it is missed).",
            "  \(comment)feasible: true",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    public var readme: String {
        """
        # \(title)

        A domain plugin for roadmap that builds on `\(roadmap.name)` \(versionRequirement). Describe here who it is
        for, what it covers and who maintains it.

        ## Use it

        Put this folder in the `Plugins/` folder of a catalog, then, from the catalog folder:

        ```sh
        roadmap plan --catalog . --with \(id)
        ```

        or add `\(id)` to the `specializations` of your profile.

        ## Work on it

        ```sh
        roadmap plugin lint Plugins/\(id)                 # loader errors and authoring warnings
        roadmap plugin test Plugins/\(id)                 # runs examples/*.yaml
        roadmap plugin doc \(id) --catalog . --output docs/\(id).md
        ```

        - `plugin.yaml`: the plugin: its requirements and its modules.
        - `examples/`: profiles with what their plans must show; `roadmap plugin test` runs them.

        See docs/authoring-plugins.md in roadmap for the format, naming, versioning and how to cite resources.

        """
    }

    /// The files, by path within the plugin folder.
    public var files: [(path: String, contents: String)] {
        [("plugin.yaml", pluginYAML), ("README.md", readme), ("examples/\(exampleName).yaml", exampleYAML)]
    }

    // MARK: Writing

    /// Writes the plugin as `folder/ID`, creating `folder` if needed. Refuses an invalid id, and a target that
    /// exists in any form (folder, file or symbolic link); never writes outside `folder/ID`. Returns the path
    /// of the new plugin folder.
    ///
    /// The files are written into a hidden folder beside the target, flushed, and the folder renamed into
    /// place, so an interrupted or failed `plugin new` leaves no half-made plugin; on failure the hidden folder
    /// and any folders created on the way to `folder` are removed again.
    @discardableResult
    public func write(into folder: String) throws(ScaffoldError) -> String {
        guard Identifier.isValid(id) else { throw .invalidID(id) }
        let fileManager = FileManager.default
        var created: [String] = []
        if let kind = PathKind.of(folder) {
            guard kind == .folder else { throw .cannotWrite(folder, "it is a file, not a folder") }
        } else {
            // The folders about to be made, deepest first, to take back if writing fails.
            var missing = URL(fileURLWithPath: folder).standardizedFileURL
            while !fileManager.fileExists(atPath: missing.path), missing.path != "/" {
                created.append(missing.path)
                missing = missing.deletingLastPathComponent()
            }
            for path in created.reversed() where mkdir(path, 0o755) != 0 && errno != EEXIST {
                let reason = String(cString: strerror(errno))
                for path in created { rmdir(path) }
                throw .cannotWrite(folder, reason)
            }
        }
        func removeCreated() { for path in created { rmdir(path) } }
        guard let base = realpath(folder, nil).map({ pointer -> String in
            defer { free(pointer) }
            return String(cString: pointer)
        }) else {
            let reason = String(cString: strerror(errno))
            removeCreated()
            throw .cannotWrite(folder, reason)
        }
        let shown = (folder.hasSuffix("/") ? String(folder.dropLast()) : folder) + "/" + id
        let target = (base == "/" ? "" : base) + "/" + id
        var info = stat()
        if lstat(target, &info) == 0 {
            removeCreated()
            throw .exists(shown)
        }
        var staging = (base == "/" ? "" : base) + "/.\(id).\(getpid()).tmp"
        var attempt = 1
        while mkdir(staging, 0o755) != 0 {
            guard errno == EEXIST, attempt < 100 else {
                let reason = String(cString: strerror(errno))
                removeCreated()
                throw .cannotWrite(shown, reason)
            }
            staging = (base == "/" ? "" : base) + "/.\(id).\(getpid())-\(attempt).tmp"
            attempt += 1
        }
        do throws(ScaffoldError) {
            try writeFiles(into: staging, shown: shown)
            if lstat(target, &info) == 0 { throw .exists(shown) }
            guard rename(staging, target) == 0 else {
                if errno == EEXIST || errno == ENOTEMPTY { throw .exists(shown) }
                throw .cannotWrite(shown, String(cString: strerror(errno)))
            }
        } catch {
            try? fileManager.removeItem(atPath: staging)
            removeCreated()
            throw error
        }
        let descriptor = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
        return shown
    }

    /// Writes the files into `staging`, a new empty folder; `shown` is the plugin folder as the user named it.
    private func writeFiles(into staging: String, shown: String) throws(ScaffoldError) {
        var info = stat()
        for (path, contents) in files {
            guard !path.split(separator: "/").contains(".."), !path.hasPrefix("/") else { throw .outsideFolder(path) }
            let full = staging + "/" + path
            let parent = full.lastIndex(of: "/").map { String(full[..<$0]) } ?? staging
            if parent != staging, lstat(parent, &info) != 0, mkdir(parent, 0o755) != 0 {
                throw .cannotWrite(shown + "/" + path, String(cString: strerror(errno)))
            }
            let descriptor = open(full, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                if errno == EEXIST { throw .exists(shown + "/" + path) }
                throw .cannotWrite(shown + "/" + path, String(cString: strerror(errno)))
            }
            defer { close(descriptor) }
            let bytes = Array(contents.utf8)
            var written = 0
            while written < bytes.count {
                let count = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw .cannotWrite(shown + "/" + path, String(cString: strerror(errno)))
                }
                written += count
            }
            guard fsync(descriptor) == 0 else { throw .cannotWrite(shown + "/" + path, String(cString: strerror(errno))) }
        }
    }
}
