/// Makes text from files safe to print on a terminal: no escape sequences, no stray line breaks.
public enum TerminalText {
    /// Whether a scalar is a control character a terminal would act on (C0, DEL, C1, line and paragraph
    /// separators, bidirectional overrides).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value) || value == 0x2028 || value == 0x2029
            || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }

    /// One line: every control character, line breaks included, becomes a space.
    public static func line(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { out.append(isControl(scalar) ? " " : scalar) }
        return String(out)
    }

    /// Whole output: line breaks kept, every other control character shown as `\u{XX}`.
    public static func block(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) && $0 != "\n" }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar == "\n" || !isControl(scalar) { out.unicodeScalars.append(scalar) }
            else { out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}" }
        }
        return out
    }
}
