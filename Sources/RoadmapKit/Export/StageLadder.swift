/// The career ladder of a roadmap as text: stage, typical years, salary range and hours of study.
public struct StageLadder: Sendable {
    public let roadmap: Package

    public init(roadmap: Package) { self.roadmap = roadmap }

    public var text: String {
        var lines = ["\(roadmap.title) (\(roadmap.name) \(roadmap.version))", ""]
        let rows = roadmap.stages.map { stage -> [String] in
            let modules = roadmap.modules.filter { $0.stage.value == stage.id }
            let hours = modules.reduce(0) { $0 + $1.hours }
            return [
                "\(stage.rank + 1). \(stage.title)", stage.id, stage.years.map { "\($0) years" } ?? "",
                stage.salaryUSD.map { "\(Self.dollars($0.lowerBound)) - \(Self.dollars($0.upperBound))" } ?? "",
                "\(modules.count) modules, \(format(hours)) h",
            ]
        }
        let headers = ["stage", "id", "experience", "US salary", "study"]
        let widths = headers.indices.map { column in ([headers] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0 + String(repeating: " ", count: max(0, $1 - $0.count)) }.joined(separator: "  ")
                .trimmingSpaces
        }
        lines.append(line(headers))
        lines.append(line(widths.map { String(repeating: "-", count: $0) }))
        lines += rows.map(line)
        for stage in roadmap.stages {
            if let summary = stage.summary { lines += ["", TextLayout.wrap("\(stage.title): \(summary)", width: 80)] }
        }
        return TerminalText.block(lines.joined(separator: "\n"))
    }

    /// `$120,000`: whole dollars with thousands separators.
    static func dollars(_ value: Int) -> String {
        var digits = String(value)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return "$" + groups.joined(separator: ",")
    }
}
