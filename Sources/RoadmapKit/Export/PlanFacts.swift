/// Sentences about a plan shared by the text, Markdown and HTML views, so they always say the same.
struct PlanFacts {
    let plan: Plan

    var title: String {
        "Study plan" + (plan.profile.name.map { " for \($0)" } ?? "")
    }

    /// "Machine Learning Engineer -> Research Fellow".
    var journey: String {
        let from = plan.currentStage?.title ?? "starting out"
        return "\(from) -> \(plan.targetStage.title)"
    }

    var packages: String {
        let roadmap = plan.composition.roadmap
        var text = "\(roadmap.name) \(roadmap.version)"
        let plugins = plan.plugins.map { package -> String in
            var entry = "\(package.name) \(package.version)"
            if case .requiredBy(let other) = plan.composition.reasons[package.name] { entry += " (for \(other))" }
            return entry
        }
        if !plugins.isEmpty { text += " with " + plugins.joined(separator: ", ") }
        return text
    }

    var pace: String {
        "\(TextLayout.hours(plan.profile.hoursPerWeek.value)) h a week from \(plan.profile.start.value.longDescription), "
            + "at most \(plan.profile.maxParallel.value) at once"
    }

    var work: String {
        "\(TextLayout.hours(plan.totalHours)) h in \(TextLayout.plural(plan.items.count, "module"))"
    }

    var finish: String {
        guard plan.finishWeek > 0 else { return "nothing left to study" }
        return "week \(plan.finishWeek), \(plan.finishDate.longDescription) (lower bound \(TextLayout.plural(plan.lowerBoundWeeks, "week")))"
    }

    /// The deadline verdict and, when it is missed, what would meet it.
    var deadline: [String] {
        guard let feasibility = plan.feasibility else { return [] }
        let date = feasibility.deadline.longDescription
        if feasibility.holds {
            return ["\(date): met with \(TextLayout.plural(feasibility.marginWeeks, "week")) to spare"]
        }
        var lines = ["\(date): missed by \(TextLayout.plural(-feasibility.marginWeeks, "week"))"]
        if let hours = feasibility.requiredHoursPerWeek {
            lines.append("\(TextLayout.hours(hours)) h a week would meet it")
        } else {
            lines.append("no pace would meet it: a chain of modules with minimum weeks is longer than the time left")
        }
        if !feasibility.modulesToDrop.isEmpty {
            lines.append("or leave out: " + feasibility.modulesToDrop.map(\.description).joined(separator: ", "))
        }
        if let stage = feasibility.highestStageByDeadline, let found = plan.composition.stages.first(where: { $0.id == stage }) {
            lines.append("at this pace you can reach \(found.title) by then")
        } else {
            lines.append("at this pace no further stage is complete by then")
        }
        return lines
    }
}
