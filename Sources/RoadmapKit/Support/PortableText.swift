#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// printf-style formatting of numbers, with the C library's own rounding: the same text `String(format:)`
/// gives, without the Foundation (and ICU) that `String(format:)` needs. roadmap links only
/// FoundationEssentials, which starts in about half the time.
public enum CFormat {
    /// `format` (a C format string such as `"%.2f"` or `"%04d"`) applied to `arguments`.
    public static func string(_ format: String, _ arguments: CVarArg...) -> String {
        var capacity = 64
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let length = withVaList(arguments) { list in vsnprintf(&buffer, capacity, format, list) }
            guard length >= 0 else { return "" }
            if Int(length) < capacity {
                return String(decoding: buffer[..<Int(length)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            capacity = Int(length) + 1
        }
    }
}

/// What is at a path, following symbolic links.
public enum PathKind: Sendable {
    case folder
    /// A regular file, a device, a pipe or a socket.
    case notAFolder

    /// Nil when nothing is there (or it cannot be looked at).
    public static func of(_ path: String) -> PathKind? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT == S_IFDIR ? .folder : .notAFolder
    }
}
