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

    static func emit(_ text: String, to path: String?) throws {
        guard let path else {
            // Straight from the string's own bytes: a large plan is not copied again on its way out.
            var text = text
            text.withUTF8 { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(1, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return
                    }
                    offset += written
                }
            }
            return
        }
        do {
            try AtomicFile.write(Data(text.utf8), to: path)
        } catch {
            Terminal.printError("roadmap: error: cannot write '\(path)': \(error.reason) [output-unwritable]")
            throw ExitCode(ExitStatus.cannotCreate)
        }
    }
}
