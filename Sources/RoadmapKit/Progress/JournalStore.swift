#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

extension DiagnosticCode {
    public static let journalTorn: Self = "journal-torn"
    public static let journalLocked: Self = "journal-locked"
    public static let journalUnwritable: Self = "journal-unwritable"
}

/// A journal read from disk, with the place where a torn final entry starts, if there is one.
public struct JournalFile: Sendable {
    public var journal: Journal
    /// The byte offset and line where a final entry torn by a crash begins.
    public var tornTail: (offset: Int, line: Int)?
    /// Problems found; a torn tail is reported as one error.
    public var diagnostics: Diagnostics
}

/// Why a journal operation failed, with the exit status it calls for.
public struct JournalError: Error, Sendable {
    public var diagnostics: Diagnostics
    public var exitStatus: Int32
}

/// Reads and appends to journals so that no check-in is ever lost: each append is one `write` of a whole
/// entry to a file opened with `O_APPEND`, under an exclusive `flock`, followed by `fsync`. A journal that
/// does not parse is never appended to.
public struct JournalStore: Sendable {
    public var path: String
    /// How long a check-in waits for another to release the lock.
    public var lockTimeout: Double

    public init(path: String, lockTimeout: Double = 5) {
        self.path = path
        self.lockTimeout = lockTimeout
    }

    /// The journal beside a profile: `PROFILE.progress.yaml` (the profile's name without `.yaml`).
    public static func defaultPath(forProfile profile: String) -> String {
        var base = profile
        for suffix in [".yaml", ".yml"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
        return base + ".progress.yaml"
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// Reads the journal; a missing file is an empty journal.
    public func read() throws(JournalError) -> JournalFile {
        guard exists else { return JournalFile(journal: Journal(file: DisplayPath.relative(path), entries: []), tornTail: nil, diagnostics: Diagnostics()) }
        let bytes: [UInt8]
        do {
            bytes = try FileInput.read(path, limit: YAMLLimits.default.maxFileBytes)
        } catch {
            let diagnostic = error.diagnostic(file: DisplayPath.relative(path))
            throw JournalError(diagnostics: Diagnostics([diagnostic]), exitStatus: diagnostic.code == .fileUnreadable ? ExitStatus.noInput : ExitStatus.dataError)
        }
        return Self.parse(bytes, file: DisplayPath.relative(path))
    }

    /// Parses journal bytes. When the whole does not parse but everything before the last entry does, the
    /// last entry is reported as torn, and the entries before it are kept.
    public static func parse(_ bytes: [UInt8], file: String) -> JournalFile {
        var diagnostics = Diagnostics()
        if let journal = decode(bytes, file: file, diagnostics: &diagnostics), !diagnostics.hasErrors,
            bytes.isEmpty || bytes.last == UInt8(ascii: "\n")
        {
            return JournalFile(journal: journal, tornTail: nil, diagnostics: diagnostics)
        }
        if let tail = lastEntryStart(bytes), tail.offset > 0 || diagnostics.hasErrors {
            let firstErrorLine = diagnostics.errors.compactMap(\.location?.line).min() ?? Int.max
            let endsCleanly = bytes.last == UInt8(ascii: "\n")
            // A cut can only leave bad syntax or missing keys; a whole entry with a bad value is the
            // person's to fix, not a tear.
            let onlyCutSymptoms = diagnostics.errors.allSatisfy { $0.code == .syntax || $0.code == .missingKey }
            if firstErrorLine >= tail.line && (!endsCleanly || onlyCutSymptoms) {
                var prefixDiagnostics = Diagnostics()
                if let journal = decode(Array(bytes[..<tail.offset]), file: file, diagnostics: &prefixDiagnostics),
                    !prefixDiagnostics.hasErrors
                {
                    var torn = Diagnostics()
                    torn.error(
                        .journalTorn, "the last check-in is incomplete, as if a write was cut short",
                        at: SourceLocation(file: file, line: tail.line, column: 1),
                        help: ["run 'roadmap checkin --profile PROFILE --repair' to move it aside into a backup file"])
                    return JournalFile(journal: journal, tornTail: tail, diagnostics: torn)
                }
            }
        }
        if !diagnostics.hasErrors, bytes.last != UInt8(ascii: "\n") {
            // Parses, but the last line has no end: appending would join two entries.
            let line = bytes.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            diagnostics.error(
                .journalTorn, "the journal does not end with a line break", at: SourceLocation(file: file, line: line, column: 1),
                help: ["add a line break at the end of the file"])
        }
        return JournalFile(journal: Journal(file: file, entries: []), tornTail: nil, diagnostics: diagnostics)
    }

    private static func decode(_ bytes: [UInt8], file: String, diagnostics: inout Diagnostics) -> Journal? {
        do {
            let document = try YAMLReader.read(bytes, file: file)
            return JournalDecoder().decode(document, diagnostics: &diagnostics)
        } catch {
            diagnostics.append(contentsOf: error.diagnostics)
            return nil
        }
    }

    /// Where the last top-level list item (a line starting with `-`) begins.
    static func lastEntryStart(_ bytes: [UInt8]) -> (offset: Int, line: Int)? {
        var result: (Int, Int)?
        var line = 1
        var atLineStart = true
        for (offset, byte) in bytes.enumerated() {
            if atLineStart, byte == UInt8(ascii: "-"),
                offset + 1 >= bytes.count || bytes[offset + 1] == UInt8(ascii: " ") || bytes[offset + 1] == UInt8(ascii: "\n")
            {
                result = (offset, line)
            }
            atLineStart = byte == UInt8(ascii: "\n")
            if atLineStart { line += 1 }
        }
        return result
    }

    // MARK: Writing

    /// Appends one entry, after checking under the lock that the journal as it stands parses.
    /// `header` is written first when the journal is new or empty.
    public func append(_ entry: JournalEntry, header: String) throws(JournalError) {
        let display = DisplayPath.relative(path)
        let descriptor = try openForWriting(display: display)
        defer { close(descriptor) }
        try lock(descriptor, display: display)
        let current = try readAll(descriptor, display: display)
        let parsed = Self.parse(current, file: display)
        if parsed.diagnostics.hasErrors {
            throw JournalError(diagnostics: parsed.diagnostics, exitStatus: ExitStatus.dataError)
        }
        var text = entry.yaml
        if current.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") }) { text = header + text }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        if written != bytes.count {
            let reason = written < 0 ? String(cString: strerror(errno)) : "only \(written) of \(bytes.count) bytes were written (is the disk full?)"
            // Take back a partial entry so the journal stays whole.
            if written > 0 { _ = ftruncate(descriptor, off_t(current.count)) }
            throw failure(.journalUnwritable, "cannot append to the journal: \(reason)", display: display, status: ExitStatus.cannotCreate)
        }
        guard fsync(descriptor) == 0 else {
            throw failure(.journalUnwritable, "cannot flush the journal to disk: \(String(cString: strerror(errno)))", display: display, status: ExitStatus.cannotCreate)
        }
    }

    /// `yyyyMMddTHHmmssZ` in UTC, for the names of backups.
    static func stamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let day = CalendarDate(dayNumber: Int((Double(seconds) / 86_400).rounded(.down)))
        let time = seconds - day.dayNumber * 86_400
        let (year, month, dayOfMonth) = day.components
        return CFormat.string("%04d%02d%02dT%02d%02d%02dZ", year, month, dayOfMonth, time / 3600, time / 60 % 60, time % 60)
    }

    /// Moves a torn final entry into a backup file beside the journal and cuts it from the journal.
    /// Returns the backup's path, or nil when nothing was torn.
    public func repair(now: Date = Date()) throws(JournalError) -> String? {
        let display = DisplayPath.relative(path)
        guard exists else { return nil }
        let descriptor = try openForWriting(display: display)
        defer { close(descriptor) }
        try lock(descriptor, display: display)
        let current = try readAll(descriptor, display: display)
        let parsed = Self.parse(current, file: display)
        guard let tail = parsed.tornTail else {
            if parsed.diagnostics.hasErrors {
                throw JournalError(diagnostics: parsed.diagnostics, exitStatus: ExitStatus.dataError)
            }
            return nil
        }
        var backup = path + ".torn-" + Self.stamp(now)
        // Never replace an earlier backup: a second repair in the same second gets its own file.
        var counter = 2
        let stem = backup
        while FileManager.default.fileExists(atPath: backup) {
            backup = "\(stem)-\(counter)"
            counter += 1
        }
        do {
            try AtomicFile.write(Data(current[tail.offset...]), to: backup)
        } catch {
            throw failure(.journalUnwritable, "cannot write the backup '\(backup)': \(error.reason)", display: display, status: ExitStatus.cannotCreate)
        }
        guard ftruncate(descriptor, off_t(tail.offset)) == 0, fsync(descriptor) == 0 else {
            throw failure(.journalUnwritable, "cannot shorten the journal: \(String(cString: strerror(errno)))", display: display, status: ExitStatus.cannotCreate)
        }
        return backup
    }

    private func failure(_ code: DiagnosticCode, _ message: String, display: String, status: Int32, help: [String] = []) -> JournalError {
        JournalError(diagnostics: Diagnostics([.error(code, message, at: .start(of: display), help: help)]), exitStatus: status)
    }

    private func openForWriting(display: String) throws(JournalError) -> Int32 {
        var info = stat()
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR {
                throw failure(.journalUnwritable, "the journal path is a folder", display: display, status: ExitStatus.cannotCreate)
            }
            // Honour a read-only mark even for root, who could write anyway.
            if info.st_mode & 0o222 == 0 {
                throw failure(
                    .journalUnwritable, "the journal is read-only", display: display, status: ExitStatus.cannotCreate,
                    help: ["make it writable (chmod u+w) to check in"])
            }
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw failure(.journalUnwritable, "cannot open the journal for writing: \(String(cString: strerror(errno)))", display: display, status: ExitStatus.cannotCreate)
        }
        return descriptor
    }

    private func lock(_ descriptor: Int32, display: String) throws(JournalError) {
        let deadline = Date().addingTimeInterval(lockTimeout)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                throw failure(
                    .journalLocked, "the journal is locked by another check-in", display: display, status: ExitStatus.tryAgain,
                    help: ["try again in a moment"])
            }
            usleep(20_000)
        }
    }

    private func readAll(_ descriptor: Int32, display: String) throws(JournalError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(.fileUnreadable, "cannot read the journal: \(String(cString: strerror(errno)))", display: display, status: ExitStatus.noInput)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            offset += off_t(count)
            if bytes.count > YAMLLimits.default.maxFileBytes {
                throw failure(.limitExceeded, "the journal is larger than \(YAMLLimits.default.maxFileBytes) bytes", display: display, status: ExitStatus.dataError, help: ["move older entries to an archive file"])
            }
        }
        return bytes
    }
}
