import Foundation

/// The plan as JSON, with the same snake_case names as the YAML formats.
public struct PlanJSONRenderer: Sendable {
    public init() {}

    struct Document: Encodable {
        struct PackageRef: Encodable {
            var id: String
            var version: String
            var title: String
            var reason: String?
        }
        struct ProfileView: Encodable {
            var name: String?
            var roadmap: String
            var current_stage: String?
            var target_stage: String
            var specializations: [String]
            var hours_per_week: Double
            var start: String
            var deadline: String?
            var include_optional: Bool
            var max_parallel: Int
        }
        struct WeekHours: Encodable {
            var week: Int
            var hours: Double
        }
        struct Item: Encodable {
            var id: String
            var title: String
            var package: String
            var stage: String
            var kind: String
            var track: String?
            var optional: Bool
            var hours: Double
            var estimate_hours: Double
            var logged_hours: Double
            var in_progress: Bool
            var requires: [String]
            var start_week: Int
            var end_week: Int
            var start_date: String
            var end_date: String
            var hours_by_week: [WeekHours]
            var slack_weeks: Int
            var critical: Bool
            var why: [String]
        }
        struct Allocation: Encodable {
            var id: String
            var hours: Double
        }
        struct Week: Encodable {
            var week: Int
            var start_date: String
            var hours: Double
            var allocations: [Allocation]
        }
        struct MilestoneView: Encodable {
            var stage: String
            var title: String
            var week: Int
            var date: String
        }
        struct Summary: Encodable {
            var total_hours: Double
            var modules: Int
            var weeks: Int
            var lower_bound_weeks: Int
            var finish_date: String
            var deadline: String?
            var feasible: Bool?
            var margin_weeks: Int?
            var required_hours_per_week: Double?
            var drop_to_meet_deadline: [String]?
            var highest_stage_by_deadline: String?
            var today: String
            var moved_modules: Int?
        }
        var roadmap: PackageRef
        var plugins: [PackageRef]
        var profile: ProfileView
        var items: [Item]
        var weeks: [Week]
        var milestones: [MilestoneView]
        var summary: Summary
    }

    public func render(_ plan: Plan) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(document(plan))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    func document(_ plan: Plan) -> Document {
        let roadmap = plan.composition.roadmap
        let profile = plan.profile
        func reason(_ package: Package) -> String? {
            switch plan.composition.reasons[package.name] {
            case .chosen: return "chosen"
            case .requiredBy(let other): return "required by \(other)"
            case .roadmap, nil: return nil
            }
        }
        let items = plan.items.map { item in
            Document.Item(
                id: item.id.description, title: item.module.title, package: item.id.package, stage: item.stage.id,
                kind: item.module.kind.rawValue, track: item.module.track, optional: item.module.optional,
                hours: Self.round(item.hours), estimate_hours: Self.round(item.module.hours),
                logged_hours: Self.round(item.loggedHours), in_progress: item.inProgress,
                requires: item.requires.map(\.description), start_week: item.startWeek, end_week: item.endWeek,
                start_date: item.startDate.description, end_date: item.endDate.description,
                hours_by_week: item.hoursByWeek.map { .init(week: $0.week, hours: Self.round($0.hours)) },
                slack_weeks: item.slackWeeks, critical: item.critical,
                why: Explainer(plan: plan).chains(for: item.id, limit: 3).map { $0.text })
        }
        let feasibility = plan.feasibility
        return Document(
            roadmap: .init(id: roadmap.name, version: roadmap.version.description, title: roadmap.title, reason: nil),
            plugins: plan.plugins.map { .init(id: $0.name, version: $0.version.description, title: $0.title, reason: reason($0)) },
            profile: .init(
                name: profile.name, roadmap: profile.roadmap.value, current_stage: profile.currentStage?.value,
                target_stage: profile.targetStage.value,
                specializations: plan.plugins.filter { plan.composition.reasons[$0.name] == .chosen }.map(\.name),
                hours_per_week: profile.hoursPerWeek.value, start: profile.start.value.description,
                deadline: profile.deadline?.value.description, include_optional: profile.includeOptional,
                max_parallel: profile.maxParallel.value),
            items: items,
            weeks: plan.weeks.map { week in
                .init(
                    week: week.week, start_date: week.startDate.description, hours: Self.round(week.hours),
                    allocations: week.allocations.map { .init(id: $0.module.description, hours: Self.round($0.hours)) })
            },
            milestones: plan.milestones.map {
                .init(stage: $0.stage.id, title: $0.stage.title, week: $0.week, date: $0.date.description)
            },
            summary: .init(
                total_hours: Self.round(plan.totalHours), modules: plan.items.count, weeks: plan.finishWeek,
                lower_bound_weeks: plan.lowerBoundWeeks, finish_date: plan.finishDate.description,
                deadline: feasibility?.deadline.description, feasible: feasibility?.holds,
                margin_weeks: feasibility?.marginWeeks, required_hours_per_week: feasibility?.requiredHoursPerWeek,
                drop_to_meet_deadline: feasibility.map { $0.modulesToDrop.map(\.description) },
                highest_stage_by_deadline: feasibility?.highestStageByDeadline, today: plan.today.description,
                moved_modules: plan.movedModules))
    }
}
