import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The built `roadmap` executable, run as a user would: a separate process, with its output captured.
struct RoadmapBinary {
    /// What one run produced.
    struct Result: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    struct Missing: Error, CustomStringConvertible {
        var searched: [String]
        var description: String {
            "the roadmap executable was not found; build it with `swift build --build-tests` first. Looked in:\n"
                + searched.map { "  \($0)" }.joined(separator: "\n")
        }
    }

    struct TimedOut: Error, CustomStringConvertible {
        var arguments: [String]
        var seconds: Double
        var description: String { "roadmap \(arguments.joined(separator: " ")) ran longer than \(seconds) s and was stopped" }
    }

    let url: URL

    /// The package's folder, for the examples and fixtures the tests read.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Starts `roadmap ARGUMENTS` in `folder`, its output thrown away, and kills it with SIGKILL after
    /// `microseconds`: a crash at a random moment.
    func kill(_ arguments: [String], in folder: URL, after microseconds: UInt32) throws {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(microseconds)
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Finds `roadmap` beside the test bundle: on Linux the test executable and the product share
    /// `.build/<triple>/debug/`; on macOS the `.xctest` bundle sits in that folder.
    static func locate() throws -> RoadmapBinary {
        var folders: [URL] = []
        if let override = ProcessInfo.processInfo.environment["ROADMAP_BINARY"], !override.isEmpty {
            let url = URL(fileURLWithPath: override)
            if FileManager.default.isExecutableFile(atPath: url.path) { return RoadmapBinary(url: url) }
        }
        let starts = [
            Bundle.main.bundleURL,
            Bundle.main.executableURL?.deletingLastPathComponent(),
            CommandLine.arguments.first.map { URL(fileURLWithPath: $0).deletingLastPathComponent() },
        ].compactMap { $0 }
        for start in starts {
            var folder = start.standardizedFileURL
            for _ in 0..<4 {
                folders.append(folder)
                folder = folder.deletingLastPathComponent()
            }
        }
        var searched: [String] = []
        for folder in folders {
            let candidate = folder.appendingPathComponent("roadmap")
            guard !searched.contains(candidate.path) else { continue }
            searched.append(candidate.path)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate.path)
            {
                return RoadmapBinary(url: candidate)
            }
        }
        throw Missing(searched: searched)
    }

    /// Runs `roadmap ARGUMENTS`, stopping it after `timeout` seconds. `ROADMAP_PATH` is removed from the
    /// environment so that only the bundled catalog (and what the arguments name) is seen.
    func run(
        _ arguments: [String], currentDirectory: URL? = nil, environment extra: [String: String] = [:],
        timeout: Double = 30
    ) throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        var environment = ProcessInfo.processInfo.environment
        environment["ROADMAP_PATH"] = nil
        environment["NO_COLOR"] = "1"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice

        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        // Drain both pipes while the process runs, so a chatty process cannot block on a full pipe.
        let stdout = PipeReader(output.fileHandleForReading)
        let stderr = PipeReader(errors.fileHandleForReading)
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            _ = exited.wait(timeout: .now() + 5)
            throw TimedOut(arguments: arguments, seconds: timeout)
        }
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: stdout.data(), as: UTF8.self),
            stderr: String(decoding: stderr.data(), as: UTF8.self))
    }
}

/// Reads a pipe to its end on a background queue.
private final class PipeReader: @unchecked Sendable {
    private let lock = NSLock()
    private var collected = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        DispatchQueue.global().async {
            let data = handle.readDataToEndOfFile()
            self.lock.lock()
            self.collected = data
            self.lock.unlock()
            self.done.signal()
        }
    }

    func data() -> Data {
        done.wait()
        lock.lock()
        defer { lock.unlock() }
        return collected
    }
}
