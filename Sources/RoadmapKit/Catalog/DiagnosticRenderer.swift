/// Prints diagnostics the way compilers do, so that editors and people both read them:
/// `path:line:col: error: message [code]`, then `help:` lines and related notes.
public struct DiagnosticRenderer: Sendable {
    public var useColor: Bool

    public init(useColor: Bool = false) { self.useColor = useColor }

    /// One diagnostic; text from files is shown with its control characters escaped.
    public func render(_ diagnostic: Diagnostic) -> String {
        TerminalText.block(renderRaw(diagnostic))
    }

    private func renderRaw(_ diagnostic: Diagnostic) -> String {
        var lines: [String] = []
        let place = diagnostic.location.map { "\($0): " } ?? "roadmap: "
        let label = paint(diagnostic.severity.rawValue + ":", diagnostic.severity)
        lines.append("\(place)\(label) \(diagnostic.message) [\(diagnostic.code)]")
        for help in diagnostic.help {
            let body = help.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  ")
            lines.append("  \(paint("help:", .note)) \(body)")
        }
        for related in diagnostic.related {
            lines.append("\(related.location): \(paint("note:", .note)) \(related.message)")
        }
        return lines.joined(separator: "\n")
    }

    /// All of them, in reading order, one after another.
    public func render(_ diagnostics: Diagnostics) -> String {
        diagnostics.sorted.map(render).joined(separator: "\n")
    }

    private func paint(_ text: String, _ severity: Diagnostic.Severity) -> String {
        guard useColor else { return text }
        let code = severity == .error ? "1;31" : severity == .warning ? "1;35" : "1;36"
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

/// The exit status for a failed run, as documented: 66 when an input file is missing or unreadable,
/// 65 for any other problem with input data.
public enum ExitStatus {
    public static let success: Int32 = 0
    public static let failure: Int32 = 1
    public static let usage: Int32 = 64
    public static let dataError: Int32 = 65
    public static let noInput: Int32 = 66
    public static let cannotCreate: Int32 = 73
    public static let tryAgain: Int32 = 75

    public static func forErrors(_ diagnostics: Diagnostics) -> Int32 {
        let errors = diagnostics.errors
        if errors.isEmpty { return success }
        if errors.allSatisfy({ $0.code == .fileUnreadable }) { return noInput }
        return dataError
    }
}
