import ArgumentParser
import Foundation
import RoadmapKit

/// The executable's contact with the terminal: output streams, colour and exit statuses.
enum Terminal {
    static var executablePath: String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
    }

    /// Whether standard error may carry colour: a terminal, and `NO_COLOR` unset.
    static var stderrColor: Bool {
        isatty(2) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
    }

    static var stdoutColor: Bool {
        isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Reports a bad value given on the command line, with a suggestion, and exits 64 (bad usage).
    static func usageError(_ message: String, code: DiagnosticCode, help: String? = nil) -> ExitCode {
        var diagnostic = Diagnostic.error(code, message, at: nil)
        if let help { diagnostic.help = [help] }
        report(Diagnostics([diagnostic]))
        return ExitCode(ExitStatus.usage)
    }

    /// Prints diagnostics to standard error.
    static func report(_ diagnostics: Diagnostics) {
        guard !diagnostics.isEmpty else { return }
        printError(DiagnosticRenderer(useColor: stderrColor).render(diagnostics))
    }

    /// Prints the diagnostics and stops with the documented exit status when any is an error.
    static func failIfErrors(_ diagnostics: Diagnostics) throws {
        guard diagnostics.hasErrors else { return }
        report(diagnostics)
        throw ExitCode(ExitStatus.forErrors(diagnostics))
    }
}
