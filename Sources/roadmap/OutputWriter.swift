import ArgumentParser
import Foundation
import RoadmapKit

/// Writes command output to standard output or, atomically, to a file.
enum OutputWriter {
    static func emit(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
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
