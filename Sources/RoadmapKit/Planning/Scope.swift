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
    public var modules: [ModuleID]
    /// Every cause of each module being in the plan.
    public var causes: [ModuleID: [InclusionCause]]
    /// Why each other module of the composition is left out.
    public var exclusions: [ModuleID: ExclusionReason]

    public func contains(_ id: ModuleID) -> Bool { causes[id] != nil }
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
    public static func build(
        _ composition: Composition, targetRank: Int, mastery: Mastery, includeOptional: Bool
    ) -> Scope {
        var exclusions: [ModuleID: ExclusionReason] = [:]
        func masteredReason(_ id: ModuleID) -> ExclusionReason? {
            if let status = mastery.finished[id] { return .journal(status: status) }
            if mastery.gaps.contains(id) { return nil }
            if mastery.known.contains(id) { return .known }
            let module = composition.modules[id]!
            if let current = mastery.currentStageRank, let rank = composition.stageRank(module.stage.value), rank <= current {
                return .masteredStage(module.stage.value)
            }
            return nil
        }
        var causes: [ModuleID: [InclusionCause]] = [:]
        var queue: [ModuleID] = []
        func include(_ id: ModuleID, _ cause: InclusionCause) {
            if let reason = masteredReason(id) {
                exclusions[id] = reason
                return
            }
            if causes[id] == nil { queue.append(id) }
            if !(causes[id]?.contains(cause) ?? false) { causes[id, default: []].append(cause) }
        }
        for id in composition.declarationOrder {
            let module = composition.modules[id]!
            guard let rank = composition.stageRank(module.stage.value) else { continue }
            if rank > targetRank {
                exclusions[id] = .aboveTarget(module.stage.value)
                continue
            }
            if module.optional && !includeOptional {
                exclusions[id] = .optional
                continue
            }
            include(id, id.package == composition.roadmap.name ? .stageTarget(stage: module.stage.value) : .plugin(id.package))
        }
        for id in composition.declarationOrder where mastery.gaps.contains(id) {
            include(id, .gap)
        }
        var head = 0
        while head < queue.count {
            let id = queue[head]
            head += 1
            for requirement in composition.requirements[id] ?? [] {
                include(requirement, .requiredBy(id))
            }
        }
        for id in causes.keys { exclusions[id] = nil }
        let modules = composition.declarationOrder.filter { causes[$0] != nil }
        return Scope(modules: modules, causes: causes, exclusions: exclusions)
    }
}
