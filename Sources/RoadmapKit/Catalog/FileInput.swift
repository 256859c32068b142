#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Why a file could not be read.
public enum FileInputError: Error, Sendable {
    case missing(String)
    case notAFile(String)
    case unreadable(String, String)
    case tooLarge(String, Int, Int)

    /// The problem as a diagnostic at the start of the file.
    public func diagnostic(file: String) -> Diagnostic {
        switch self {
        case .missing:
            return .error(.fileUnreadable, "no such file", at: .start(of: file))
        case .notAFile:
            return .error(.fileUnreadable, "is a folder, not a file", at: .start(of: file))
        case .unreadable(_, let reason):
            return .error(.fileUnreadable, "cannot read the file: \(reason)", at: .start(of: file))
        case .tooLarge(_, let size, let limit):
            return .error(
                .limitExceeded, "file is \(size) bytes, more than the limit of \(limit) bytes", at: .start(of: file))
        }
    }
}

/// Reads whole files, refusing folders and files over a size limit before reading them.
///
/// A named pipe is opened without waiting for a writer (opening one waits forever otherwise, so a pipe
/// planted in a catalog would hang every command); with no writer it reads as empty. A device is read up to
/// the limit.
public enum FileInput {
    public static func read(_ path: String, limit: Int) throws(FileInputError) -> [UInt8] {
        guard let kind = PathKind.of(path) else { throw .missing(path) }
        if kind == .folder { throw .notAFile(path) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        defer { close(descriptor) }
        // Back to blocking reads, so that a pipe with a writer is read to its end.
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        if Int(info.st_size) > limit { throw .tooLarge(path, Int(info.st_size), limit) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path, String(cString: strerror(errno)))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit { throw .tooLarge(path, bytes.count, limit) }
        }
        return bytes
    }
}
