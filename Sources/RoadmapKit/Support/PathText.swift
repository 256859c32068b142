#if canImport(Glibc)
import Glibc
#endif

/// File paths as text, without `URL`: the few path operations that every command does on every catalog file
/// (a tenth of a small plan's time went to building and standardizing URLs).
enum PathText {
    /// An absolute path with `.` and `..` segments and repeated or trailing slashes removed, as
    /// `URL(fileURLWithPath:).standardizedFileURL.path` gives it; links are not followed.
    static func standardized(_ absolute: String) -> String {
        var segments: [Substring] = []
        for segment in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        return "/" + segments.joined(separator: "/")
    }

    /// `path` made absolute against the working directory `cwd`, then standardized.
    static func standardized(_ path: String, in cwd: String) -> String {
        standardized(path.hasPrefix("/") ? path : cwd + "/" + path)
    }

    /// The path with every link resolved (`realpath`); nil when it does not exist or cannot be read.
    static func real(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Where a link that leads nowhere (its target missing) points: the target, made absolute against the
    /// link's folder (resolved) and standardized; nil when `path` is not such a link.
    static func danglingLinkTarget(_ path: String, in cwd: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let length = buffer.withUnsafeMutableBufferPointer { readlink(path, $0.baseAddress!, $0.count - 1) }
        guard length > 0 else { return nil }
        let target = String(decoding: buffer[..<length], as: UTF8.self)
        if target.hasPrefix("/") { return standardized(target) }
        let folder = parent(standardized(path, in: cwd))
        return standardized((real(folder) ?? folder) + "/" + target)
    }

    /// The folder holding `path` (a standardized absolute path); `/` for `/`.
    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// The working directory.
    static var currentDirectory: String {
        guard let buffer = getcwd(nil, 0) else { return "/" }
        defer { free(buffer) }
        return String(cString: buffer)
    }
}
