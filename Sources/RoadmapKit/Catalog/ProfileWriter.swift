/// Writes a profile as commented YAML, the way `roadmap init` leaves it for a person to edit.
public struct ProfileWriter: Sendable {
    public init() {}

    public func yaml(for profile: Profile, stages: [Stage], plugins: [Package]) -> String {
        var lines = ["# A roadmap profile: where you stand, where you want to be, and how much time you can give."]
        lines.append("# Plan with: roadmap plan --profile THIS_FILE    Check in with: roadmap checkin --profile THIS_FILE ...")
        lines.append("")
        if let name = profile.name { lines.append("name: \(YAMLText.scalar(name))") }
        lines.append("roadmap: \(profile.roadmap.value)")
        lines.append("")
        lines.append("# The career ladder: " + stages.map(\.id).joined(separator: " -> "))
        lines.append("# Stages up to and including the current one count as mastered.")
        if let current = profile.currentStage {
            lines.append("current_stage: \(current.value)")
        } else {
            lines.append("# current_stage: engineer       # leave out to start from the beginning")
        }
        lines.append("target_stage: \(profile.targetStage.value)")
        lines.append("")
        lines.append("# Domain plugins: " + plugins.map(\.name).joined(separator: ", "))
        lines.append("specializations: [" + profile.specializations.map(\.value).joined(separator: ", ") + "]")
        lines.append("")
        lines.append("hours_per_week: \(format(profile.hoursPerWeek.value))    # more than 0, at most 168")
        lines.append("start: \(profile.start.value)              # the first day of week 1")
        if let deadline = profile.deadline {
            lines.append("deadline: \(deadline.value)           # the plan says whether it holds")
        } else {
            lines.append("# deadline: 2028-09-01          # optional: the plan says whether it holds")
        }
        lines.append("")
        lines.append("# Modules you have mastered beyond your stage, and modules at or below it still to study (PACKAGE/ID).")
        lines.append("known: [" + profile.known.map(\.value).joined(separator: ", ") + "]")
        lines.append("gaps: [" + profile.gaps.map(\.value).joined(separator: ", ") + "]")
        lines.append("include_optional: \(profile.includeOptional)       # plan optional modules too")
        lines.append("max_parallel: \(profile.maxParallel.value)               # modules in progress at once")
        return lines.joined(separator: "\n") + "\n"
    }
}
