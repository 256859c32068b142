/// A stable identifier of a kind of problem, printed in brackets after each message.
///
/// Codes never change once published, so that scripts and editors can match on them.
public struct DiagnosticCode: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension DiagnosticCode {
    // Reading files
    public static let fileUnreadable: Self = "file-unreadable"
    public static let encoding: Self = "encoding"
    public static let syntax: Self = "syntax"
    public static let emptyFile: Self = "empty-file"
    public static let multipleDocuments: Self = "multiple-documents"
    public static let duplicateKey: Self = "duplicate-key"
    public static let aliasExpansion: Self = "alias-expansion"
    public static let recursiveAlias: Self = "recursive-alias"
    public static let unknownAnchor: Self = "unknown-anchor"
    public static let limitExceeded: Self = "limit-exceeded"
    // Shape of the data
    public static let unknownKey: Self = "unknown-key"
    public static let missingKey: Self = "missing-key"
    public static let wrongType: Self = "wrong-type"
    public static let invalidValue: Self = "invalid-value"
    public static let invalidID: Self = "invalid-id"
    public static let duplicateID: Self = "duplicate-id"
    public static let invalidHours: Self = "invalid-hours"
    public static let invalidMinWeeks: Self = "invalid-min-weeks"
    public static let invalidDate: Self = "invalid-date"
    public static let invalidVersion: Self = "invalid-version"
    public static let invalidRequirement: Self = "invalid-version-requirement"
    // Relations between things
    public static let unknownStage: Self = "unknown-stage"
    public static let unknownModule: Self = "unknown-module"
    public static let unknownPackage: Self = "unknown-package"
    public static let unknownPlugin: Self = "unknown-plugin"
    public static let cycle: Self = "cycle"
    public static let selfRequirement: Self = "self-requirement"
    public static let aliasCollision: Self = "alias-collision"
    public static let duplicatePackage: Self = "duplicate-package"
    public static let versionConflict: Self = "version-conflict"
    public static let stageOrder: Self = "stage-order"
    public static let packageMismatch: Self = "package-mismatch"
    // Files
    public static let unsafePath: Self = "unsafe-path"
}

/// One problem found in the input, with where it is and how to fix it.
public struct Diagnostic: Hashable, Sendable {
    public enum Severity: String, Hashable, Sendable, Comparable {
        case error, warning, note
        private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
    }

    /// A second place that helps to understand the problem, such as an earlier definition.
    public struct Related: Hashable, Sendable {
        public var location: SourceLocation
        public var message: String
        public init(_ message: String, at location: SourceLocation) {
            self.message = message
            self.location = location
        }
    }

    public var severity: Severity
    public var code: DiagnosticCode
    public var message: String
    public var location: SourceLocation?
    /// Suggestions printed as `help:` lines, such as "did you mean 'x'?".
    public var help: [String]
    public var related: [Related]

    public init(
        _ severity: Severity, _ code: DiagnosticCode, _ message: String, at location: SourceLocation?,
        help: [String] = [], related: [Related] = []
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.help = help
        self.related = related
    }

    public static func error(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation?, help: [String] = [],
        related: [Related] = []
    ) -> Diagnostic {
        Diagnostic(.error, code, message, at: location, help: help, related: related)
    }

    public static func warning(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation?, help: [String] = [],
        related: [Related] = []
    ) -> Diagnostic {
        Diagnostic(.warning, code, message, at: location, help: help, related: related)
    }
}

/// The problems of one run, in the order they were found.
public struct Diagnostics: Sendable, Hashable {
    public private(set) var all: [Diagnostic] = []
    /// How many of them are errors, kept as they are added: decoders compare it before and after each entry,
    /// and counting afresh every time made a file with thousands of bad entries take seconds.
    public private(set) var errorCount = 0

    public init(_ diagnostics: [Diagnostic] = []) {
        all = diagnostics
        errorCount = diagnostics.reduce(0) { $0 + ($1.severity == .error ? 1 : 0) }
    }

    public var errors: [Diagnostic] { all.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { all.filter { $0.severity == .warning } }
    public var hasErrors: Bool { errorCount > 0 }
    public var isEmpty: Bool { all.isEmpty }

    public mutating func append(_ diagnostic: Diagnostic) {
        all.append(diagnostic)
        if diagnostic.severity == .error { errorCount += 1 }
    }

    public mutating func append(contentsOf other: Diagnostics) {
        all.append(contentsOf: other.all)
        errorCount += other.errorCount
    }

    public mutating func append(contentsOf other: [Diagnostic]) { append(contentsOf: Diagnostics(other)) }

    public mutating func error(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation?, help: [String] = [],
        related: [Diagnostic.Related] = []
    ) {
        append(.error(code, message, at: location, help: help, related: related))
    }

    public mutating func warning(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation?, help: [String] = [],
        related: [Diagnostic.Related] = []
    ) {
        append(.warning(code, message, at: location, help: help, related: related))
    }

    /// The diagnostics sorted by file and position, duplicates removed; the order people read them in.
    public var sorted: [Diagnostic] {
        var seen = Set<Diagnostic>()
        return all.filter { seen.insert($0).inserted }.enumerated().sorted { a, b in
            let la = a.element.location, lb = b.element.location
            switch (la, lb) {
            case let (x?, y?) where x != y: return x < y
            case (nil, _?): return true
            case (_?, nil): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }
}

/// A failure that carries the diagnostics explaining it.
public struct DiagnosticError: Error, Sendable {
    public var diagnostics: Diagnostics
    public init(_ diagnostics: Diagnostics) { self.diagnostics = diagnostics }
    public init(_ diagnostic: Diagnostic) { self.diagnostics = Diagnostics([diagnostic]) }
}
