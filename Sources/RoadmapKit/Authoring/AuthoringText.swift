/// Small text helpers of the authoring commands: numbers, plurals, columns and wrapping.
enum AuthoringText {
    /// Hours as people write them: `12`, `7.5`, `1,234`.
    static func hours(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        guard rounded == rounded.rounded(), abs(rounded) < 1e15 else { return format(rounded) }
        var digits = String(abs(Int(rounded)))
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return (rounded < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    static func plural(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// Lines of at most `width` characters (unless a word is longer), each starting with `indent`.
    static func wrap(_ text: String, width: Int, indent: String) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if !line.isEmpty, indent.count + line.count + 1 + word.count > width {
                lines.append(indent + line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(indent + line) }
        return lines
    }

    /// Rows laid out in columns two spaces apart; `right` holds the indices of right-aligned columns.
    static func table(_ rows: [[String]], right: Set<Int> = [], indent: String = "") -> [String] {
        guard let columns = rows.map(\.count).max() else { return [] }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            var cells: [String] = []
            for (index, cell) in row.enumerated() {
                let last = index == row.count - 1
                cells.append(right.contains(index) ? padLeft(cell, widths[index]) : last ? cell : pad(cell, widths[index]))
            }
            var line = indent + cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}
