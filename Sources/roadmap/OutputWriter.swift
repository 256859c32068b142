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

/// Writes command output to standard output or, atomically, to a file.
enum OutputWriter {
    /// Writes what `produce` hands to its sink, piece by piece, to standard output or atomically to a file.
    static func stream(to path: String?, _ produce: (inout DescriptorSink) -> Void) throws {
        guard let path else {
            var sink = DescriptorSink(descriptor: 1)
            produce(&sink)
            return
        }
        do {
            try AtomicFile.write(to: path, produce)
        } catch {
            Terminal.printError("roadmap: error: cannot write '\(path)': \(error.reason) [output-unwritable]")
            throw ExitCode(ExitStatus.cannotCreate)
        }
    }

    /// Writes `text` whole, to standard output or atomically to a file.
    static func emit(_ text: String, to path: String?) throws {
        try stream(to: path) { $0.write(text) }
    }
}
