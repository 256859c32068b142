/// The rules for ids: lowercase letters, digits and hyphens, starting with a letter.
public enum Identifier {
    /// The longest id accepted; longer ones are almost certainly a mistake.
    public static let maxLength = 64

    /// Whether `text` is a valid id of a package, stage or module.
    public static func isValid(_ text: String) -> Bool {
        guard let first = text.utf8.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z"),
            text.utf8.count <= maxLength, text.utf8.last != UInt8(ascii: "-")
        else { return false }
        return text.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
        }
    }

    /// A sentence saying why `text` is not a valid id.
    public static func problem(with text: String) -> String {
        if text.isEmpty { return "id is empty" }
        if text.utf8.count > maxLength { return "id '\(text)' is longer than \(maxLength) characters" }
        return "'\(text)' is not a valid id: use lowercase letters, digits and hyphens, starting with a letter"
    }

    /// A valid id close to `text`, for a help line: lowercased, other characters turned into hyphens.
    public static func suggestion(for text: String) -> String? {
        var result = ""
        for character in text.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber { result.append(character) }
            else if !result.hasSuffix("-") { result.append("-") }
        }
        while result.hasSuffix("-") { result.removeLast() }
        while let first = result.first, !first.isLetter { result.removeFirst() }
        return isValid(result) && result != text ? result : nil
    }
}

/// A module's full name: the package that defines it and its id there, written `PACKAGE/ID`.
public struct ModuleID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public var package: String
    public var name: String

    public init(package: String, name: String) {
        self.package = package
        self.name = name
    }

    /// Reads `PACKAGE/ID`, or a bare `ID` that belongs to `defaultPackage`.
    public init?(parsing text: String, defaultPackage: String?) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let defaultPackage else { return nil }
            self.init(package: defaultPackage, name: text)
        case 2:
            self.init(package: String(parts[0]), name: String(parts[1]))
        default:
            return nil
        }
        guard Identifier.isValid(package), Identifier.isValid(name) else { return nil }
    }

    public var description: String { "\(package)/\(name)" }

    public static func < (lhs: ModuleID, rhs: ModuleID) -> Bool {
        (lhs.package, lhs.name) < (rhs.package, rhs.name)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = ModuleID(parsing: text, defaultPackage: nil) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad id"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Finds the candidates closest to a misspelt name, for "did you mean" lines.
public enum Suggestions {
    /// A run offers "did you mean" while it has reported fewer problems than this.
    public static let maxDiagnosticsWithSuggestions = 50
    /// ... and while the comparisons of those problems' names with their candidates stay below this.
    public static let maxComparisons = 100_000

    /// Whether a new diagnostic may still carry suggestions worked out among `candidates` names, given the
    /// diagnostics reported so far. Each suggestion compares a name with every candidate, so a hostile file
    /// with thousands of unknown names among thousands of ids would otherwise take minutes (unknown names
    /// times candidates); the first problems, the ones people read, keep theirs.
    public static func wanted(_ diagnostics: Diagnostics, candidates: Int) -> Bool {
        let count = diagnostics.all.count
        return count < maxDiagnosticsWithSuggestions && (count + 1) * max(candidates, 1) <= maxComparisons
    }

    /// The best candidates for `text` (at most `limit`), closest first; empty when none is close.
    public static func closest<S: Sequence>(to text: String, among candidates: S, limit: Int = 1) -> [String]
    where S.Element == String {
        let lowered = text.lowercased()
        // Worked out once, not per candidate: `text` may be a long string from a hostile file.
        let length = lowered.count, scalarLength = lowered.unicodeScalars.count
        let words = lowered.split(separator: "-")
        let tail = lowered.split(separator: "/").last.map(String.init) ?? lowered
        var scored: [(distance: Int, candidate: String)] = []
        for candidate in candidates where candidate != text {
            let other = candidate.lowercased()
            let threshold = max(1, min(length, candidate.count) / 3)
            // The distance is at least the difference in length: no table to fill when that is too much.
            if abs(other.unicodeScalars.count - scalarLength) <= threshold, case let distance = editDistance(lowered, other),
                distance <= threshold
            {
                scored.append((distance, candidate))
            } else if isAbbreviation(words, of: candidate) || hasTail(tail, of: candidate) {
                scored.append((threshold + 1, candidate))
            }
        }
        scored.sort { ($0.distance, $0.candidate) < ($1.distance, $1.candidate) }
        return scored.prefix(limit).map(\.candidate)
    }

    /// `lin-alg` abbreviates `linear-algebra`: same number of words, each a prefix of the other's.
    static func isAbbreviation(_ text: String, of candidate: String) -> Bool {
        isAbbreviation(text.split(separator: "-"), of: candidate)
    }

    private static func isAbbreviation(_ words: [Substring], of candidate: String) -> Bool {
        guard words.count > 1 else { return false }
        let full = candidate.split(separator: "-")
        guard words.count == full.count else { return false }
        return zip(words, full).allSatisfy { $1.hasPrefix($0) }
    }

    /// `pkg/id` whose id part is exactly a candidate's id part, in another package.
    static func isTail(_ text: String, of candidate: String) -> Bool {
        hasTail(text.split(separator: "/").last.map(String.init) ?? text, of: candidate)
    }

    private static func hasTail(_ textTail: String, of candidate: String) -> Bool {
        guard let slash = candidate.lastIndex(of: "/") else { return false }
        return candidate[candidate.index(after: slash)...] == textTail
    }

    /// Damerau-Levenshtein distance (optimal string alignment), on Unicode scalars.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let s = Array(a.unicodeScalars), t = Array(b.unicodeScalars)
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var previous2 = [Int](repeating: 0, count: t.count + 1)
        var previous = Array(0...t.count)
        var current = [Int](repeating: 0, count: t.count + 1)
        for i in 1...s.count {
            current[0] = i
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[t.count]
    }

    /// "did you mean 'x'?" or "did you mean 'x' or 'y'?", or nil without candidates.
    public static func didYouMean(_ names: [String]) -> String? {
        switch names.count {
        case 0: return nil
        case 1: return "did you mean '\(names[0])'?"
        default:
            let quoted = names.map { "'\($0)'" }
            return "did you mean \(quoted.dropLast().joined(separator: ", ")) or \(quoted.last!)?"
        }
    }
}
