#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Why a file could not be written.
public struct FileWriteError: Error, Sendable {
    public var path: String
    public var reason: String
}

/// Writes whole files so that a reader sees the old content or the new, never half of either: the data go
/// to a temporary file in the same folder, are flushed to disk, and the temporary file is renamed over the
/// target. Nothing is left behind on failure, and a file marked read-only is refused.
///
/// A target that is a symbolic link to a file has the file it points to replaced, and stays a link. A
/// target that is not a file at all, such as `/dev/null`, `/dev/stdout` or a named pipe, is written to in
/// place: renaming a file over it would replace the device itself.
public enum AtomicFile {
    /// Writes `data` as the whole new content of `path`.
    public static func write(_ data: Data, to path: String) throws(FileWriteError) {
        try write(to: path) { sink in data.withUnsafeBytes { sink.write($0) } }
    }

    /// Writes, as the whole new content of `path`, what `produce` hands to the sink piece by piece, so that
    /// a large output need not be held in memory at once. The same guarantees as ``write(_:to:)``: if a
    /// piece cannot be written, the target is left as it was.
    public static func write(to path: String, _ produce: (inout DescriptorSink) -> Void) throws(FileWriteError) {
        guard !path.isEmpty else { throw FileWriteError(path: path, reason: "no file name given") }
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists {
            switch info.st_mode & S_IFMT {
            case S_IFDIR: throw FileWriteError(path: path, reason: "it is a folder")
            case S_IFREG:
                // Renaming would replace even a file marked read-only, and root may write to it anyway:
                // honour the mark, as the journal does.
                if info.st_mode & 0o222 == 0 { throw FileWriteError(path: path, reason: "it is read-only") }
            default: return try writeInPlace(to: path, produce)
            }
        }
        var target = path
        var linkInfo = stat()
        if exists, lstat(path, &linkInfo) == 0, linkInfo.st_mode & S_IFMT == S_IFLNK, let real = realpath(path, nil) {
            target = String(cString: real)
            free(real)
        }
        let url = URL(fileURLWithPath: target)
        let folder = url.deletingLastPathComponent().path
        // A name of our own beside the target: hidden, with the process id, and never one that exists
        // already (a crash of an earlier process with the same id may have left one behind).
        var temporary = folder + "/.\(url.lastPathComponent).\(getpid()).tmp"
        var descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        var attempt = 1
        while descriptor < 0, errno == EEXIST, attempt < 100 {
            temporary = folder + "/.\(url.lastPathComponent).\(getpid())-\(attempt).tmp"
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            attempt += 1
        }
        guard descriptor >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
        // The new file keeps the permissions of the one it replaces.
        if exists { _ = fchmod(descriptor, info.st_mode & 0o7777) }
        var sink = DescriptorSink(descriptor: descriptor)
        produce(&sink)
        var failure = sink.failure
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        if close(descriptor) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if failure == nil, rename(temporary, target) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw FileWriteError(path: path, reason: failure)
        }
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// Writes to a device, pipe or socket as it is.
    private static func writeInPlace(to path: String, _ produce: (inout DescriptorSink) -> Void) throws(FileWriteError) {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
        var sink = DescriptorSink(descriptor: descriptor)
        produce(&sink)
        var failure = sink.failure
        if close(descriptor) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if let failure { throw FileWriteError(path: path, reason: failure) }
    }
}

/// Bytes on their way to an open file descriptor: every byte is written, going on after short writes and
/// interruptions. After the first failure the rest is dropped and ``failure`` says why.
public struct DescriptorSink {
    public let descriptor: Int32
    /// Why writing stopped, nil while all is well.
    public private(set) var failure: String?

    public init(descriptor: Int32) { self.descriptor = descriptor }

    public mutating func write(_ buffer: UnsafeRawBufferPointer) {
        guard failure == nil, let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, base + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                return
            }
            if written == 0 {
                failure = "the device accepts no more data"
                return
            }
            offset += written
        }
    }

    public mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }
}
