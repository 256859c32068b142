/// Small helpers for laying out plain text in columns that fit a terminal.
enum TextLayout {
    /// Cuts `text` to at most `width` characters, ending with an ellipsis when cut.
    static func truncate(_ text: String, to width: Int) -> String {
        let text = TerminalText.line(text)
        guard text.count > width, width > 1 else { return text }
        return String(text.prefix(width - 1)) + "…"
    }

    /// Pads or cuts `text` to exactly `width` characters.
    static func fit(_ text: String, _ width: Int) -> String {
        let cut = truncate(text, to: width)
        return cut + String(repeating: " ", count: max(0, width - cut.count))
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// Breaks `text` into lines of at most `width` characters at spaces, each after the first indented.
    static func wrap(_ text: String, width: Int, indent: String = "") -> String {
        let text = TerminalText.line(text)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            let prefix = lines.isEmpty ? "" : indent
            if !line.isEmpty, prefix.count + line.count + 1 + word.count > width {
                lines.append(prefix + line)
                line = String(word)
            } else {
                line += (line.isEmpty ? "" : " ") + word
            }
        }
        if !line.isEmpty { lines.append((lines.isEmpty ? "" : indent) + line) }
        return lines.joined(separator: "\n")
    }

    /// `1,234`.
    static func grouped(_ value: Int) -> String {
        var digits = String(abs(value))
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    /// Hours as people write them: `12`, `7.5`, `1,234`.
    static func hours(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return grouped(Int(rounded)) }
        return format(rounded)
    }

    static func plural(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(grouped(count)) \(count == 1 ? singular : plural ?? singular + "s")"
    }
}
