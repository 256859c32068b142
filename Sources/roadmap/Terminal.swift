import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import RoadmapKit

/// The executable's contact with the terminal: output streams, colour and exit statuses.
enum Terminal {
    /// The running binary: `/proc/self/exe` on Linux (whoever asks resolves the link), else as it was invoked.
    static var executablePath: String? {
        PathKind.of("/proc/self/exe") != nil ? "/proc/self/exe" : CommandLine.arguments.first
    }

    /// Whether standard error may carry colour: a terminal, and `NO_COLOR` unset.
    static var stderrColor: Bool {
        isatty(2) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
    }

    static var stdoutColor: Bool {
        isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
    }

    static func printError(_ text: String) {
        var sink = DescriptorSink(descriptor: 2)
        sink.write(text + "\n")
    }

    /// Reports a bad value given on the command line, with a suggestion, and exits 64 (bad usage).
    static func usageError(_ message: String, code: DiagnosticCode, help: String? = nil) -> ExitCode {
        var diagnostic = Diagnostic.error(code, message, at: nil)
        if let help { diagnostic.help = [help] }
        report(Diagnostics([diagnostic]))
        return ExitCode(ExitStatus.usage)
    }

    /// Ends the process with `status` once standard output is flushed, leaving what the command built for the
    /// system to reclaim: freeing a model of 100,000 modules value by value took a tenth of a large command's
    /// time, and nothing runs after a command anyway. For the commands that read whole catalogs.
    static func finish(_ status: Int32 = ExitStatus.success) -> Never {
        fflush(nil)  // every C stream, standard output included
        exit(status)
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
