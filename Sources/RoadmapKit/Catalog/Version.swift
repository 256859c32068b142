/// A semantic version, `MAJOR.MINOR.PATCH` with an optional `-prerelease` part.
public struct Version: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int
    public var prerelease: [String]

    public init(_ major: Int, _ minor: Int, _ patch: Int, prerelease: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
    }

    /// Reads a full semantic version such as `1.2.3` or `2.0.0-beta.1`.
    public init?(_ text: String) {
        guard let parsed = Version.parse(text, allowPartial: false) else { return nil }
        self = parsed.version
    }

    /// Reads `1`, `1.2` or `1.2.3[-pre]`; `components` tells how many numbers were written.
    static func parse(_ text: String, allowPartial: Bool) -> (version: Version, components: Int)? {
        var core = Substring(text)
        var prerelease: [String] = []
        if let dash = text.firstIndex(of: "-") {
            core = text[..<dash]
            let tail = text[text.index(after: dash)...]
            prerelease = tail.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !prerelease.isEmpty,
                prerelease.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") } })
            else { return nil }
        }
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        guard (allowPartial ? 1...3 : 3...3).contains(parts.count) else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 9, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part == "0" || !part.hasPrefix("0"), let value = Int(part)
            else { return nil }
            numbers.append(value)
        }
        if !prerelease.isEmpty, numbers.count < 3 { return nil }
        while numbers.count < 3 { numbers.append(0) }
        return (Version(numbers[0], numbers[1], numbers[2], prerelease: prerelease), parts.count)
    }

    public var description: String {
        "\(major).\(minor).\(patch)" + (prerelease.isEmpty ? "" : "-" + prerelease.joined(separator: "."))
    }

    public static func < (lhs: Version, rhs: Version) -> Bool {
        if (lhs.major, lhs.minor, lhs.patch) != (rhs.major, rhs.minor, rhs.patch) {
            return (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
        }
        // A prerelease comes before its release; identifiers compare numerically when both are numbers.
        switch (lhs.prerelease.isEmpty, rhs.prerelease.isEmpty) {
        case (true, true), (true, false): return false
        case (false, true): return true
        case (false, false):
            for (a, b) in zip(lhs.prerelease, rhs.prerelease) where a != b {
                switch (Int(a), Int(b)) {
                case let (x?, y?): return x < y
                case (_?, nil): return true
                case (nil, _?): return false
                case (nil, nil): return a < b
                }
            }
            return lhs.prerelease.count < rhs.prerelease.count
        }
    }
}

/// A requirement on a package's version: `^1.2`, `~1.2`, `>=1.0 <2.0`, `=1.2.3`, a bare `1.2` (same as
/// `^1.2`), or `*`.
public struct VersionRequirement: Hashable, Sendable, CustomStringConvertible {
    public enum Operator: String, Sendable, Hashable { case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "=" }

    public struct Comparator: Hashable, Sendable {
        public var op: Operator
        public var version: Version
        func isSatisfied(by candidate: Version) -> Bool {
            switch op {
            case .less: return candidate < version
            case .lessOrEqual: return candidate <= version
            case .greater: return candidate > version
            case .greaterOrEqual: return candidate >= version
            case .equal: return candidate == version
            }
        }
    }

    /// The requirement as written.
    public var text: String
    /// All must hold.
    public var comparators: [Comparator]

    public init?(_ written: String) {
        let text = written.trimmingSpaces
        guard !text.isEmpty else { return nil }
        self.text = text
        if text == "*" {
            comparators = []
            return
        }
        var result: [Comparator] = []
        let terms = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        for term in terms {
            guard let parsed = VersionRequirement.comparators(for: term) else { return nil }
            result += parsed
        }
        guard !result.isEmpty else { return nil }
        comparators = result
    }

    private static func comparators(for term: String) -> [Comparator]? {
        for (prefix, op) in [(">=", Operator.greaterOrEqual), ("<=", .lessOrEqual), (">", .greater), ("<", .less), ("=", .equal)]
        where term.hasPrefix(prefix) {
            guard let parsed = Version.parse(String(term.dropFirst(prefix.count)), allowPartial: true) else { return nil }
            return [Comparator(op: op, version: parsed.version)]
        }
        var body = term
        var tilde = false
        if term.hasPrefix("^") { body = String(term.dropFirst()) }
        else if term.hasPrefix("~") { body = String(term.dropFirst()); tilde = true }
        guard let (lower, components) = Version.parse(body, allowPartial: true) else { return nil }
        let upper: Version
        if tilde {
            upper = components == 1 ? Version(lower.major + 1, 0, 0) : Version(lower.major, lower.minor + 1, 0)
        } else if lower.major > 0 || components == 1 {
            upper = Version(lower.major + 1, 0, 0)
        } else if lower.minor > 0 || components == 2 {
            upper = Version(0, lower.minor + 1, 0)
        } else {
            upper = Version(0, 0, lower.patch + 1)
        }
        return [Comparator(op: .greaterOrEqual, version: lower), Comparator(op: .less, version: upper)]
    }

    /// Whether `version` meets the requirement. Prereleases meet it only when a comparator names one.
    public func isSatisfied(by version: Version) -> Bool {
        if !version.prerelease.isEmpty,
            !comparators.contains(where: { !$0.version.prerelease.isEmpty })
        {
            return false
        }
        return comparators.allSatisfy { $0.isSatisfied(by: version) }
    }

    public var description: String { text }
}

extension String {
    /// The text without white space (spaces, tabs, line breaks) at either end.
    public var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
