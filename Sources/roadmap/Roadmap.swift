import ArgumentParser
import RoadmapKit

@main
struct Roadmap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roadmap",
        abstract: "Plan a move into machine learning research, week by week, and keep the plan honest.",
        discussion: """
            roadmap reads a career path written in YAML, composes domain plugins into one dependency-ordered
            study plan, and schedules it week by week.
            """,
        version: RoadmapKitVersion.current,
        subcommands: [PlanCommand.self, Checkin.self, Status.self, Explain.self, Validate.self, Stages.self, Init.self, Schema.self, PluginCommand.self]
    )
}
