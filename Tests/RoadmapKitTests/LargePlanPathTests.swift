import Foundation
import PropertyBased
import Testing

@testable import RoadmapKit

/// The paths taken only by large plans (rules scheduled on all cores, JSON items written on all cores, the
/// composition's numbered graph) give exactly what the plain paths give. The thresholds are lowered or raised
/// here so that small inputs take each path.
struct LargePlanPathTests {
    typealias Support = PlanningTestSupport

    /// The bundled examples' profiles, planned on the bundled catalog.
    static func examplePlans() throws -> [(name: String, plan: Plan)] {
        let catalog = try Support.bundledCatalog()
        let folder = Support.packageRoot.appendingPathComponent("examples")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yaml") && !$0.contains(".progress.") }.sorted()
        #expect(names.count >= 3)
        return try names.map { name in
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            return (name, try Support.plan(catalog, Support.profile(text, file: name)))
        }
    }

    @Test func rulesScheduledAtOnceGiveTheSameSchedule() async throws {
        // New plans only: those are the ones that try more than one rule.
        let newPlans = SchedulerPropertyTests.cases.map { input in
            var copy = input
            for index in copy.tasks.indices {
                copy.tasks[index].inProgress = false
                copy.tasks[index].previousRank = nil
            }
            return copy
        }
        await propertyCheck(count: 100, input: newPlans) { input in
            var oneAtATime = Scheduler(capacityMinutes: input.capacity, maxParallel: input.maxParallel)
            oneAtATime.concurrentRulesFrom = .max
            var atOnce = oneAtATime
            atOnce.concurrentRulesFrom = 0
            let (plain, concurrent) = (try oneAtATime.schedule(input.tasks), try atOnce.schedule(input.tasks))
            #expect(plain == concurrent, "\(input)")
            // The graph a schedule carries for the analysis is not part of what it is.
            var bare = plain
            bare.graph = ([], [])
            #expect(bare == plain && bare.hashValue == plain.hashValue)
        }
    }

    @Test func itemsWrittenOnAllCoresGiveTheSameJSON() throws {
        for (name, plan) in try Self.examplePlans() {
            let plain = try PlanJSONRenderer().render(plan)
            for block in [1, 5, 64, 4_096] {
                var renderer = PlanJSONRenderer()
                renderer.concurrentElementsFrom = 0
                renderer.itemBlock = block
                #expect(try renderer.render(plan) == plain, "\(name), blocks of \(block)")
                var pieces: [UInt8] = []
                renderer.write(plan, pieceSize: 1_000) { pieces.append(contentsOf: $0) }
                #expect(String(decoding: pieces, as: UTF8.self) == plain, "\(name), streamed in blocks of \(block)")
            }
        }
    }

    /// The bundled examples' profiles with their compositions: as composed (with the numbered graph) and with
    /// the numbered graph dropped (planned by id).
    static func exampleCompositions() throws -> [(name: String, profile: Profile, composition: Composition, byID: Composition)] {
        let catalog = try Support.bundledCatalog()
        let folder = Support.packageRoot.appendingPathComponent("examples")
        return try ["engineer-biomedical-equity.yaml", "graduate-multimodal.yaml", "scientist-wireless.yaml"].map { name in
            let profile = try Support.profile(String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8), file: name)
            var diagnostics = Diagnostics()
            let composition = try #require(Support.compose(catalog, profile, diagnostics: &diagnostics))
            var byID = composition
            byID.numbered = nil
            return (name, profile, composition, byID)
        }
    }

    @Test func numberedGraphGivesTheSamePlan() throws {
        for (name, profile, composition, byID) in try Self.exampleCompositions() {
            var diagnostics = Diagnostics()
            #expect(composition.numbered != nil, "\(name): Composer numbers its graph")
            for (label, progress) in [("new", PlanningProgress.none), ("replanned", Self.someProgress(composition))] {
                let numbered = Planner(composition: composition, profile: profile, progress: progress, today: Support.today)
                    .plan(diagnostics: &diagnostics)
                let plain = Planner(composition: byID, profile: profile, progress: progress, today: Support.today)
                    .plan(diagnostics: &diagnostics)
                #expect(!diagnostics.hasErrors)
                let (a, b) = (try #require(numbered), try #require(plain))
                #expect(a.itemNumbers != nil && a.scope.numberedCauses != nil, "\(name): the why chains follow numbers")
                #expect(b.itemNumbers == nil && b.scope.numberedCauses == nil)
                #expect(try PlanJSONRenderer().render(a) == PlanJSONRenderer().render(b), "\(name), \(label)")
                #expect(a.scope.causes == b.scope.causes && a.scope.exclusions == b.scope.exclusions, "\(name), \(label)")
            }
        }
    }

    /// Weeks and items made at once, the items in parts: the same plan.
    @Test func analysisOnAllCoresGivesTheSamePlan() throws {
        for (name, profile, composition, byID) in try Self.exampleCompositions() {
            var diagnostics = Diagnostics()
            for (label, progress) in [("new", PlanningProgress.none), ("replanned", Self.someProgress(composition))] {
                for composition in [composition, byID] {
                    var plain = Planner(composition: composition, profile: profile, progress: progress, today: Support.today)
                    plain.concurrentAnalysisFrom = .max
                    var atOnce = plain
                    atOnce.concurrentAnalysisFrom = 0
                    let (a, b) = (try #require(plain.plan(diagnostics: &diagnostics)), try #require(atOnce.plan(diagnostics: &diagnostics)))
                    #expect(a.items == b.items && a.weeks == b.weeks && a.itemNumbers == b.itemNumbers, "\(name), \(label)")
                    #expect(try PlanJSONRenderer().render(a) == PlanJSONRenderer().render(b), "\(name), \(label)")
                }
            }
        }
    }

    /// Progress on the first few modules: done, logged, in progress, and a previous order.
    static func someProgress(_ composition: Composition) -> PlanningProgress {
        let ids = composition.declarationOrder
        return PlanningProgress(
            finished: [ids[0]: "done", ids[3]: "skipped"], loggedHours: [ids[1]: 3, ids[5]: 1.5], inProgress: [ids[1]],
            previousOrder: Array(ids.reversed()))
    }

    @Test func changingAFieldDropsTheNumberedGraph() throws {
        let catalog = try Support.bundledCatalog()
        var diagnostics = Diagnostics()
        let profile = try Support.profile("roadmap: ml-research-fellow\ntarget_stage: fellow\n")
        let composition = try #require(Support.compose(catalog, profile, diagnostics: &diagnostics))
        var changed = composition
        changed.requirements[composition.declarationOrder[0]] = []
        #expect(changed.numbered == nil)
        changed = composition
        changed.declarationOrder.reverse()
        #expect(changed.numbered == nil)
        changed = composition
        changed.reasons["x"] = .chosen
        #expect(changed.numbered != nil, "reasons are not part of the graph")
        var scope = ScopeBuilder.build(composition, targetRank: 2, mastery: Mastery(currentStageRank: nil), includeOptional: false)
        #expect(scope.positions != nil)
        scope.modules.removeLast()
        #expect(scope.positions == nil)
        #expect(scope.numberedCauses != nil)
        scope.causes[composition.declarationOrder[0]] = nil
        #expect(scope.numberedCauses == nil)
        var plan = try #require(Planner(composition: composition, profile: profile, today: Support.today).plan(diagnostics: &diagnostics))
        #expect(plan.itemNumbers != nil)
        plan.items.removeLast()
        #expect(plan.itemNumbers == nil)
        plan = try #require(Planner(composition: composition, profile: profile, today: Support.today).plan(diagnostics: &diagnostics))
        plan.composition = changed
        #expect(plan.itemNumbers == nil)
    }

    /// Building the module graph on two threads: the same composition, and the same diagnostics in the same
    /// order (unknown modules, then unknown stages, then cycles).
    @Test func graphBuiltOnTwoThreadsIsTheSame() throws {
        let broken = ComposerTests.plugin(
            "broken", version: "1.0.0",
            modules: """
                  - {id: a, title: A, stage: scientist, hours: 6, requires: [b, core/basics, nowhere]}
                  - {id: b, title: B, stage: scientist, hours: 6, requires: [a]}
                  - {id: c, title: C, stage: nowhere, hours: 6, requires: [core/missing]}
                """)
        for plugins in [["vision"], ["broken"], ["vision", "broken"]] {
            let catalog = try ComposerTests.catalog([ComposerTests.plugin("vision", version: "1.0.0"), broken])
            let here = ComposerTests.here
            var results: [(Composition?, Diagnostics)] = []
            for threshold in [Int.max, 0] {
                var composer = Composer(catalog: catalog)
                composer.concurrentGraphFrom = threshold
                var diagnostics = Diagnostics()
                let composition = composer.compose(
                    roadmap: Located("core", at: here), plugins: plugins.map { Located($0, at: here) }, diagnostics: &diagnostics)
                results.append((composition, diagnostics))
            }
            let (one, two) = (results[0], results[1])
            #expect(one.1.all == two.1.all, "\(plugins)")
            #expect((one.0 == nil) == (two.0 == nil), "\(plugins)")
            if let a = one.0, let b = two.0 {
                #expect(a.modules == b.modules && a.declarationOrder == b.declarationOrder && a.requirements == b.requirements)
                #expect(a.numbered?.requirements == b.numbered?.requirements)
                #expect(a.numbered?.graph.targets == b.numbered?.graph.targets && a.numbered?.graph.starts == b.numbered?.graph.starts)
            }
            if plugins.contains("broken") {
                #expect(one.1.all.map(\.code) == [.unknownModule, .unknownModule, .unknownStage, .cycle], "\(plugins)")
            }
        }
    }

    /// A composition with its numbered graph makes its tables by id when they are first read: the same tables
    /// as reading every package's modules in turn.
    @Test func tablesByIDAreMadeWhenRead() throws {
        let catalog = try Support.bundledCatalog()
        var diagnostics = Diagnostics()
        let profile = try Support.profile("roadmap: ml-research-fellow\ntarget_stage: fellow\nspecializations: [biomedical-ai]\n")
        let composition = try #require(Support.compose(catalog, profile, diagnostics: &diagnostics))
        let numbered = try #require(composition.numbered)
        var modules: [ModuleID: Module] = [:]
        for package in composition.packages { for module in package.modules { modules[module.id] = module } }
        #expect(composition.modules == modules)
        #expect(composition.requirements.count == composition.declarationOrder.count)
        for (number, id) in composition.declarationOrder.enumerated() {
            #expect(composition.requirements[id] == numbered.requirements[number], "\(id)")
        }
        var changed = composition
        changed.modules = [:]
        #expect(changed.modules.isEmpty && changed.numbered == nil && composition.modules == modules)
    }

    /// Ids win over aliases (the last module of a repeated id), the first alias wins among aliases, and a
    /// repeated id leaves the composition without a numbered graph.
    @Test func repeatedIdsAreSeenAndLeaveNoNumberedGraph() throws {
        let plugin = ComposerTests.plugin(
            "dup", version: "1.0.0",
            modules: """
                  - {id: a, title: A, stage: scientist, hours: 6, aliases: [x]}
                  - {id: b, title: B, stage: scientist, hours: 6, aliases: [a, x, y], requires: [a, x]}
                  - {id: a, title: A again, stage: scientist, hours: 6, aliases: [y]}
                """)
        // Decoded despite its errors, as a broken package stays in a catalog.
        let document = try YAMLReader.read(Array(plugin.text.utf8), file: plugin.file)
        var problems = Diagnostics()
        let package = try #require(PackageDecoder().decode(document, root: nil, diagnostics: &problems))
        #expect(problems.all.map(\.code).contains(.duplicateID))
        let core = try ComposerTests.catalog([])
        let catalog = Catalog(packages: core.packages + [package], files: core.files + [plugin.file])
        let lookup = ModuleLookup(package)
        #expect(!lookup.idsAreOwnAndUnique)
        #expect(lookup.index(of: "a") == 2 && lookup.index(of: "b") == 1 && lookup.index(of: "x") == 0 && lookup.index(of: "y") == 1)
        #expect(ModuleLookup(try #require(catalog.packages.first { $0.name == "core" })).idsAreOwnAndUnique)
        for threshold in [Int.max, 0] {
            var composer = Composer(catalog: catalog)
            composer.concurrentGraphFrom = threshold
            var diagnostics = Diagnostics()
            let composition = try #require(composer.compose(
                roadmap: Located("core", at: ComposerTests.here), plugins: [Located("dup", at: ComposerTests.here)],
                diagnostics: &diagnostics))
            #expect(composition.numbered == nil)
            #expect(composition.modules[ModuleID(package: "dup", name: "a")]?.title == "A again")
            // `a` is the last module of that id, `x` an alias of the first: two modules, one id, listed once.
            #expect(composition.requirements[ModuleID(package: "dup", name: "b")] == [ModuleID(package: "dup", name: "a")])
        }
        // A module whose id names another package (possible only when made by hand) leaves no numbered graph.
        var roadmap = try #require(catalog.packages.first { $0.name == "core" })
        roadmap.modules[0].id = ModuleID(package: "elsewhere", name: roadmap.modules[0].id.name)
        #expect(!ModuleLookup(roadmap).idsAreOwnAndUnique)
        var diagnostics = Diagnostics()
        let odd = Composer(catalog: Catalog(packages: [roadmap], files: [roadmap.file]))
            .compose(roadmap: Located("core", at: ComposerTests.here), plugins: [], diagnostics: &diagnostics)
        #expect(odd?.numbered == nil)
    }

    /// Changing a table by id in place drops the numbered graph and leaves copies that shared the table as they
    /// were; the plan drops its item numbers when its scope changes; a module is placed the same with a hint or by
    /// halving.
    @Test func tablesChangedInPlaceKeepValueSemantics() throws {
        let catalog = try Support.bundledCatalog()
        var diagnostics = Diagnostics()
        let profile = try Support.profile("roadmap: ml-research-fellow\ntarget_stage: fellow\nspecializations: [biomedical-ai]\n")
        let composition = try #require(Support.compose(catalog, profile, diagnostics: &diagnostics))
        let first = composition.declarationOrder[0]
        var changed = composition
        changed.modules[first] = nil
        changed.requirements[first] = [first]
        #expect(changed.numbered == nil && changed.modules[first] == nil && changed.requirements[first] == [first])
        #expect(composition.numbered != nil && composition.modules[first] != nil && composition.requirements[first] != [first])
        var alone = Support.compose(catalog, profile, diagnostics: &diagnostics)!
        alone.modules[first] = nil
        #expect(alone.modules.count == composition.modules.count - 1)
        let index = try #require(DeclarationIndex(composition))
        var hint = 0
        for position in composition.declarationOrder.indices {
            let hinted = index.place(of: position, from: hint)
            hint = hinted.package
            let halved = index.place(of: position)
            #expect(hinted == halved && index.modules[halved.package][halved.index].id == composition.declarationOrder[position])
        }
        var plan = try #require(Planner(composition: composition, profile: profile, today: Support.today).plan(diagnostics: &diagnostics))
        #expect(plan.itemNumbers != nil)
        var scope = plan.scope
        scope.causes[first] = nil
        plan.scope = scope
        #expect(plan.itemNumbers == nil)
        var scopeCopy = plan.scope
        scopeCopy.causes[first] = [.gap]
        #expect(plan.scope.causes[first] == nil && scopeCopy.causes[first] == [.gap])
    }

    /// The eight-bytes-at-a-time test agrees with looking at each byte, for every byte value at every place of
    /// texts of every length up to 24, and on random texts.
    @Test func wordTestForEscapesAgreesWithBytes() {
        func naive(_ bytes: [UInt8]) -> Bool { !bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C } }
        for length in 0...24 {
            for place in 0..<max(1, length) {
                for value in UInt8.min...UInt8.max {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    if length > 0 { bytes[place] = value }
                    let fast = bytes.withUnsafeBufferPointer { JSONOutput.needsNoEscape($0) }
                    if fast != naive(bytes) { Issue.record("\(bytes)") }
                }
            }
        }
        var generator = SplitMix64(seed: 7)
        for _ in 0..<20_000 {
            let bytes = (0..<Int(generator.next() % 40)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            #expect(bytes.withUnsafeBufferPointer { JSONOutput.needsNoEscape($0) } == naive(bytes), "\(bytes)")
        }
        var out = JSONOutput()
        out.string("tab\there \"quoted\" back\\slash é \u{1}")
        #expect(out.finish() == #""tab\there \"quoted\" back\\slash é \u0001""#)
    }

    /// Validation resolves a large catalog's requirements on all cores first: the same requirements and the same
    /// diagnostics, in the same order, on the bundled catalog and on every catalog folder among the diagnostics'
    /// fixtures (those with a bad requirement take the way back to one package after another).
    @Test func validationOnAllCoresIsTheSame() throws {
        var catalogs = [try Support.bundledCatalog()]
        let fixtures = try #require(CatalogDiagnosticsTests.fixtures)
        for name in try FileManager.default.contentsOfDirectory(atPath: fixtures.path).sorted() {
            var isDirectory: ObjCBool = false
            let path = fixtures.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            var ignored = Diagnostics()
            catalogs.append(CatalogLoader().load(
                CatalogSearchPath(roots: [CatalogRoot(path: path, origin: .option)]), diagnostics: &ignored))
        }
        #expect(catalogs.count > 3)
        for catalog in catalogs {
            var results: [(CatalogValidator.Resolution, Diagnostics)] = []
            for threshold in [Int.max, 0] {
                var validator = CatalogValidator(catalog: catalog)
                validator.concurrentFrom = threshold
                var diagnostics = Diagnostics()
                results.append((validator.validate(diagnostics: &diagnostics), diagnostics))
            }
            #expect(results[0].1.all == results[1].1.all, "\(catalog.files)")
            #expect(results[0].0.requirements == results[1].0.requirements, "\(catalog.files)")
        }
    }

    /// The JSON writer's own byte buffer: growth, insertion (a negative zero gets its sign in front of the digit
    /// written), blocks handed over and appended.
    @Test func byteBufferKeepsEveryByte() {
        var buffer = ByteBuffer(capacity: 1)
        var expected: [UInt8] = []
        for value in 0..<1_000 {
            let byte = UInt8(truncatingIfNeeded: value)
            buffer.append(byte)
            expected.append(byte)
        }
        buffer.insert(7, at: 0)
        expected.insert(7, at: 0)
        buffer.insert(9, at: 500)
        expected.insert(9, at: 500)
        buffer.insert(11, at: buffer.count)
        expected.insert(11, at: expected.count)
        let block = buffer.take(reserving: 4)
        #expect(Array(block.bytes) == expected && buffer.count == 0)
        buffer.append(block)
        buffer.append(block)
        #expect(buffer.withUnsafeBytes { Array($0) } == expected + expected)
        var numbers = JSONOutput()
        numbers.double(-0.0)
        numbers.raw(" ")
        numbers.double(2)
        numbers.raw(" ")
        numbers.double(1.25)
        numbers.raw(" ")
        numbers.int(-42)
        #expect(numbers.finish() == "-0 2 1.25 -42")
    }

    @Test func concurrentMapKeepsTheOrder() {
        let squares: [Int] = .concurrentMap(1_000) { $0 * $0 }
        #expect(squares == (0..<1_000).map { $0 * $0 })
        #expect([Int].concurrentMap(0) { $0 }.isEmpty)
    }
}
