/// Why a module is in a plan: the first link of each chain that "why is this here" follows.
public enum InclusionCause: Hashable, Sendable {
    /// A roadmap module of a stage up to the target.
    case stageTarget(stage: String)
    /// A module of a plugin the person chose or that a chosen plugin requires.
    case plugin(String)
    /// Listed in the profile's `gaps`.
    case gap
    /// Required by another module in the plan.
    case requiredBy(ModuleID)
}

/// Why a module of the composition is not in a plan.
public enum ExclusionReason: Hashable, Sendable {
    /// Its stage is at or below the current stage.
    case masteredStage(String)
    /// Listed in the profile's `known`.
    case known
    /// Done or skipped in the journal.
    case journal(status: String)
    /// Optional, and optional modules were not asked for.
    case optional
    /// Its stage is above the target and nothing in the plan requires it.
    case aboveTarget(String)
}

/// The modules a plan must cover, with the cause of each, derived from a composition and a profile by
/// the design's scope rules.
public struct Scope: Sendable {
    /// In the plan, in declaration order.
    public var modules: [ModuleID] { didSet { positions = nil } }
    /// The numbers of `modules` in a composition with a numbered graph (``Composition/numbered``).
    var positions: [Int]?
    /// Every cause of each module being in the plan. A scope built on a numbered graph makes this table from
    /// its causes by number the first time it is read (a large plan's JSON never needs it).
    public var causes: [ModuleID: [InclusionCause]] {
        get { causeTable.value }
        set {
            causeTable.value = newValue
            numberedCauses = nil
        }
        _modify {
            numberedCauses = nil
            yield &causeTable.value
        }
    }
    /// The same causes by module number, when the composition has a numbered graph: for following "required by"
    /// links without looking ids up.
    var numberedCauses: NumberedCauses?
    private var causeTable: LazyTable<ModuleID, [InclusionCause]>
    /// Why each other module of the composition is left out.
    public var exclusions: [ModuleID: ExclusionReason]

    public func contains(_ id: ModuleID) -> Bool { causes[id] != nil }

    init(
        modules: [ModuleID], positions: [Int]?, causes: [ModuleID: [InclusionCause]],
        exclusions: [ModuleID: ExclusionReason]
    ) {
        self.modules = modules
        self.positions = positions
        self.causeTable = LazyTable(causes)
        self.exclusions = exclusions
    }

    /// A scope on a numbered graph: `positions` are the numbers of `modules`, and `ids` the id of each number.
    init(
        modules: [ModuleID], positions: [Int], numberedCauses: NumberedCauses, ids: [ModuleID],
        exclusions: [ModuleID: ExclusionReason]
    ) {
        self.modules = modules
        self.positions = positions
        self.numberedCauses = numberedCauses
        self.causeTable = LazyTable {
            var table: [ModuleID: [InclusionCause]] = [:]
            table.reserveCapacity(positions.count)
            for number in positions { table[ids[number]] = numberedCauses.causes(of: number, ids: ids) }
            return table
        }
        self.exclusions = exclusions
    }
}

/// A scope's causes by module number (position in the composition's declaration order). A module's causes, in
/// the order the scope rules add them, are its own root (a stage up to the target, or a plugin), then `.gap`,
/// then "required by" each of its parents: all roots come before the search through requirements.
struct NumberedCauses: Sendable {
    /// Each number's root cause of its own, if it has one.
    var primary: [InclusionCause?]
    /// Whether each number is in the plan as a gap.
    var gap: [Bool]
    /// The numbers of the modules that require each number, in the order they were reached:
    /// `parents[parentStarts[n]..<parentStarts[n + 1]]`.
    var parentStarts: [Int]
    var parents: [Int]

    /// The causes of module `number`, as ``Scope/causes`` lists them; `ids` gives the id of each number.
    func causes(of number: Int, ids: [ModuleID]) -> [InclusionCause] {
        var list: [InclusionCause] = []
        list.reserveCapacity(parentStarts[number + 1] - parentStarts[number] + 2)
        if let root = primary[number] { list.append(root) }
        if gap[number] { list.append(.gap) }
        for k in parentStarts[number]..<parentStarts[number + 1] { list.append(.requiredBy(ids[parents[k]])) }
        return list
    }
}

/// What counts as mastered, beyond the stages up to the current one.
public struct Mastery: Sendable {
    public var currentStageRank: Int?
    public var known: Set<ModuleID>
    public var gaps: Set<ModuleID>
    /// Modules done or skipped in the journal, with the status.
    public var finished: [ModuleID: String]

    public init(currentStageRank: Int?, known: Set<ModuleID> = [], gaps: Set<ModuleID> = [], finished: [ModuleID: String] = [:]) {
        self.currentStageRank = currentStageRank
        self.known = known
        self.gaps = gaps
        self.finished = finished
    }
}

public enum ScopeBuilder {
    /// Applies the scope rules: every non-optional module up to the target stage (optional ones too when
    /// asked), everything they require, minus what is mastered, plus gaps.
    ///
    /// Works on module numbers (positions in declaration order) and builds the dictionaries of the result once
    /// at the end; the order of every step is the one the rules give, so the result is the same as applying
    /// them module by module.
    public static func build(
        _ composition: Composition, targetRank: Int, mastery: Mastery, includeOptional: Bool
    ) -> Scope {
        let order = composition.declarationOrder
        let numbered = composition.numbered
        // Each id's number: its first position (ids are unique in a valid composition). A composition from
        // `Composer` has its numbers already, and each position is its own module's.
        var number: [ModuleID: Int] = [:]
        let count = order.count
        // The number of the module at each position: the position itself unless the id came earlier.
        var slotOf = Array(0..<count)
        if numbered == nil {
            number.reserveCapacity(order.count)
            for position in order.indices {
                if let earlier = number.updateValue(position, forKey: order[position]) {
                    number[order[position]] = earlier
                    slotOf[position] = earlier
                }
            }
        }
        // What the rules need of each module, read once.
        var stage = [String](repeating: "", count: count)
        var rank = [Int?](repeating: nil, count: count)
        var optional = [Bool](repeating: false, count: count)
        let declaration = DeclarationIndex(composition)
        var package = 0
        // Modules of a package mostly share a few stages: the last one looked up is asked first.
        var lastStage: (name: String, rank: Int?)?
        for position in 0..<count where slotOf[position] == position {
            if let declaration {
                let place = declaration.place(of: position, from: package)
                package = place.package
                let list = declaration.modules[place.package]
                stage[position] = list[place.index].stage.value
                optional[position] = list[place.index].optional
                if let lastStage, lastStage.name == stage[position] {
                    rank[position] = lastStage.rank
                } else {
                    rank[position] = composition.stageRank(stage[position])
                    lastStage = (stage[position], rank[position])
                }
                continue
            }
            let module = composition.modules[order[position]]!
            stage[position] = module.stage.value
            rank[position] = composition.stageRank(module.stage.value)
            optional[position] = module.optional
        }
        let masteredByID = !mastery.finished.isEmpty || !mastery.gaps.isEmpty || !mastery.known.isEmpty
        func masteredReason(_ slot: Int) -> ExclusionReason? {
            if masteredByID {
                let id = order[slot]
                if !mastery.finished.isEmpty, let status = mastery.finished[id] { return .journal(status: status) }
                if !mastery.gaps.isEmpty, mastery.gaps.contains(id) { return nil }
                if !mastery.known.isEmpty, mastery.known.contains(id) { return .known }
            }
            if let current = mastery.currentStageRank, let rank = rank[slot], rank <= current {
                return .masteredStage(stage[slot])
            }
            return nil
        }
        var exclusion = [ExclusionReason?](repeating: nil, count: count)
        // Causes as lists (without the numbered graph), or as roots and links between numbers (with it).
        var causes = [[InclusionCause]](repeating: [], count: numbered == nil ? count : 0)
        var primary = [InclusionCause?](repeating: nil, count: numbered == nil ? 0 : count)
        var gap = [Bool](repeating: false, count: numbered == nil ? 0 : count)
        var included = [Bool](repeating: false, count: count)
        var queue: [Int] = []
        // "Required by" links as (module, parent) numbers, in the order they are reached.
        var links: [(slot: Int, parent: Int)] = []
        func include(_ slot: Int, _ cause: @autoclosure () -> InclusionCause, parent: Int = -1) {
            if let reason = masteredReason(slot) {
                exclusion[slot] = reason
                return
            }
            if !included[slot] {
                included[slot] = true
                queue.append(slot)
            }
            // With the numbered graph a cause cannot come twice (each module is a root once, its requirements are
            // distinct and each module is expanded once), so no list is searched, and a parent is kept as a number.
            guard numbered == nil else {
                if parent >= 0 {
                    links.append((slot, parent))
                } else if case .gap = cause() {
                    gap[slot] = true
                } else {
                    primary[slot] = cause()
                }
                return
            }
            let cause = cause()
            if !causes[slot].contains(cause) { causes[slot].append(cause) }
        }
        let roadmapName = composition.roadmap.name
        for position in 0..<count {
            let slot = slotOf[position]
            guard let moduleRank = rank[slot] else { continue }
            if moduleRank > targetRank {
                exclusion[slot] = .aboveTarget(stage[slot])
                continue
            }
            if optional[slot] && !includeOptional {
                exclusion[slot] = .optional
                continue
            }
            let id = order[position]
            include(slot, id.package == roadmapName ? .stageTarget(stage: stage[slot]) : .plugin(id.package))
        }
        if !mastery.gaps.isEmpty {
            for position in 0..<count where mastery.gaps.contains(order[position]) {
                include(slotOf[position], .gap)
            }
        }
        var head = 0
        while head < queue.count {
            let slot = queue[head]
            head += 1
            let id = order[slot]
            if let numbered {
                for requirement in numbered.graph.edges(of: slot) { include(requirement, .requiredBy(id), parent: slot) }
                continue
            }
            for requirement in composition.requirements[id] ?? [] {
                include(number[requirement]!, .requiredBy(id))
            }
        }
        var exclusions: [ModuleID: ExclusionReason] = [:]
        for slot in 0..<count where slotOf[slot] == slot && !included[slot] {
            if let reason = exclusion[slot] { exclusions[order[slot]] = reason }
        }
        let positions = (0..<count).filter { included[slotOf[$0]] }
        if numbered != nil {
            // Each number's parents together, in the order they were reached.
            var starts = [Int](repeating: 0, count: count + 1)
            for link in links { starts[link.slot + 1] += 1 }
            for slot in 0..<count { starts[slot + 1] += starts[slot] }
            var next = starts
            var parents = [Int](repeating: 0, count: links.count)
            for link in links {
                parents[next[link.slot]] = link.parent
                next[link.slot] += 1
            }
            return Scope(
                modules: positions.map { order[$0] }, positions: positions,
                numberedCauses: NumberedCauses(primary: primary, gap: gap, parentStarts: starts, parents: parents),
                ids: order, exclusions: exclusions)
        }
        var causesByID: [ModuleID: [InclusionCause]] = [:]
        causesByID.reserveCapacity(queue.count)
        for slot in 0..<count where slotOf[slot] == slot && included[slot] { causesByID[order[slot]] = causes[slot] }
        return Scope(modules: positions.map { order[$0] }, positions: nil, causes: causesByID, exclusions: exclusions)
    }
}
