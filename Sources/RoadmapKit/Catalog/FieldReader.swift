/// Reads the fields of one YAML mapping by key, reporting unknown keys, missing keys and wrong types.
///
/// Fields are kept as node indices in a slot per allowed key (no dictionary per mapping): a catalog has a
/// mapping per module, and this runs for each of them.
struct FieldReader {
    let mapping: YAMLNode
    /// What the mapping is, for messages: "module", "stage", "roadmap".
    let context: String
    private let allowed: [String]
    /// For the i-th allowed key, the index of its value node, or -1; the first 16 keys.
    private var slots = Slots()
    /// The same for the keys after the 16th.
    private var more: [Int: Int32] = [:]

    private struct Slots {
        var values: (
            Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32,
            Int32
        ) = (-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1)

        subscript(slot: Int) -> Int32 {
            get { withUnsafeBytes(of: values) { $0.load(fromByteOffset: slot * 4, as: Int32.self) } }
            set { withUnsafeMutableBytes(of: &values) { $0.storeBytes(of: newValue, toByteOffset: slot * 4, as: Int32.self) } }
        }
    }

    /// The fields by key, for callers that want them all.
    var fields: [String: YAMLNode] {
        var result: [String: YAMLNode] = [:]
        for (slot, key) in allowed.enumerated() {
            if let node = node(slot: slot) { result[key] = node }
        }
        return result
    }

    /// Checks that `node` is a mapping whose keys are all among `allowed`; nil (with a diagnostic) otherwise.
    init?(_ node: YAMLNode, context: String, allowed: [String], diagnostics: inout Diagnostics) {
        guard node.kind == .mapping else {
            diagnostics.error(
                .wrongType, "expected \(context) to be a mapping of keys to values, found \(node.kindDescription)",
                at: node.location)
            return nil
        }
        mapping = node
        self.context = context
        self.allowed = allowed
        let storage = node.storage
        let start = Int(storage.payload[Int(node.index)])
        let pairs = Int(storage.counts[Int(node.index)]) / 2
        for pair in 0..<pairs {
            let key = storage.children[start + 2 * pair]
            guard storage.kinds[Int(key)] == .scalar else {
                diagnostics.error(
                    .wrongType, "keys of \(context) must be plain names",
                    at: YAMLNode(storage: storage, index: key).location)
                continue
            }
            let name = storage.scalars[Int(storage.payload[Int(key)])]
            if let slot = Self.slot(of: name, in: allowed) {
                let value = storage.children[start + 2 * pair + 1]
                if slot < 16 { slots[slot] = value } else { more[slot] = value }
            } else {
                var help: [String] = []
                if Suggestions.wanted(diagnostics, candidates: allowed.count) {
                    help = [Suggestions.didYouMean(Suggestions.closest(to: name, among: allowed))
                        ?? "valid keys are " + allowed.map { "'\($0)'" }.joined(separator: ", ")]
                }
                diagnostics.error(
                    .unknownKey, "unknown key '\(name)' in \(context)", at: YAMLNode(storage: storage, index: key).location,
                    help: help)
            }
        }
    }

    /// The position of `key` among `allowed`; keys of another length are passed over without comparing text.
    private static func slot(of key: String, in allowed: [String]) -> Int? {
        let length = key.utf8.count
        for index in allowed.indices where allowed[index].utf8.count == length && allowed[index] == key {
            return index
        }
        return nil
    }

    private func node(slot: Int) -> YAMLNode? {
        let index = slot < 16 ? slots[slot] : (more[slot] ?? -1)
        return index < 0 ? nil : YAMLNode(storage: mapping.storage, index: index)
    }

    /// The value of `key`, nil when absent (or not an allowed key).
    func node(_ key: String) -> YAMLNode? {
        guard let slot = Self.slot(of: key, in: allowed) else { return nil }
        return node(slot: slot)
    }

    func has(_ key: String) -> Bool { node(key) != nil }

    /// Where a key's value is, or the mapping's own place when the key is absent.
    func location(of key: String) -> SourceLocation { node(key)?.location ?? mapping.location }

    private func missing(_ key: String, _ diagnostics: inout Diagnostics) {
        diagnostics.error(.missingKey, "\(context) has no '\(key)'", at: mapping.location)
    }

    /// A text value. Plain numbers and booleans are taken as their text; null, lists and mappings are not.
    func string(_ key: String, required: Bool = false, diagnostics: inout Diagnostics) -> Located<String>? {
        guard let node = node(key) else {
            if required { missing(key, &diagnostics) }
            return nil
        }
        return FieldReader.string(node, what: "'\(key)'", diagnostics: &diagnostics)
    }

    static func string(_ node: YAMLNode, what: @autoclosure () -> String, diagnostics: inout Diagnostics) -> Located<String>? {
        guard node.kind == .scalar, !node.isNull, let text = node.scalar else {
            diagnostics.error(.wrongType, "expected \(what()) to be text, found \(node.kindDescription)", at: node.location)
            return nil
        }
        return Located(text, at: node.location)
    }

    /// An id: text that follows the id rules.
    func id(_ key: String, required: Bool = false, diagnostics: inout Diagnostics) -> Located<String>? {
        guard let text = string(key, required: required, diagnostics: &diagnostics) else { return nil }
        return FieldReader.checkID(text, diagnostics: &diagnostics)
    }

    static func checkID(_ text: Located<String>, diagnostics: inout Diagnostics) -> Located<String>? {
        guard Identifier.isValid(text.value) else {
            diagnostics.error(
                .invalidID, Identifier.problem(with: text.value), at: text.location,
                help: Identifier.suggestion(for: text.value).map { ["try '\($0)'"] } ?? [])
            return nil
        }
        return text
    }

    /// A number written as a plain scalar.
    func number(_ key: String, required: Bool = false, diagnostics: inout Diagnostics) -> Located<Double>? {
        guard let node = node(key) else {
            if required { missing(key, &diagnostics) }
            return nil
        }
        return FieldReader.number(node, what: "'\(key)'", diagnostics: &diagnostics)
    }

    static func number(_ node: YAMLNode, what: @autoclosure () -> String, diagnostics: inout Diagnostics) -> Located<Double>? {
        guard node.kind == .scalar, !node.isQuoted, let text = node.scalar, let value = parseNumber(text) else {
            diagnostics.error(.wrongType, "expected \(what()) to be a number, found \(node.kindDescription)", at: node.location)
            return nil
        }
        return Located(value, at: node.location)
    }

    /// YAML 1.2 core-schema numbers, plus `_` separators; nil for anything else, including `.inf` and `.nan`.
    static func parseNumber(_ text: String) -> Double? {
        // The usual cases first, with the same results as the general rules below: plain whole numbers
        // (`40`) and plain decimals (`2.5`).
        var digits = 0, dots = 0, value = 0, simple = true
        for byte in text.utf8 {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if dots == 0 { value = value &* 10 &+ Int(byte &- UInt8(ascii: "0")) }
                digits += 1
            } else if byte == UInt8(ascii: "."), dots == 0, digits > 0 {
                dots = 1
            } else {
                simple = false
                break
            }
        }
        if simple, digits > 0, digits <= 15 {
            if dots == 0 { return Double(value) }
            if text.utf8.last != UInt8(ascii: "."), let decimal = Double(text), decimal.isFinite { return decimal }
        }
        let cleaned = text.utf8.contains(UInt8(ascii: "_")) ? text.replacing("_", with: "") : text
        guard let first = cleaned.first, first.isNumber || first == "-" || first == "+" || first == "." else { return nil }
        if let integer = Int(cleaned) { return Double(integer) }
        guard cleaned.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }), let value = Double(cleaned),
            value.isFinite
        else { return nil }
        return value
    }

    /// A whole number.
    func integer(_ key: String, required: Bool = false, diagnostics: inout Diagnostics) -> Located<Int>? {
        guard let number = number(key, required: required, diagnostics: &diagnostics) else { return nil }
        guard number.value == number.value.rounded(), abs(number.value) < 1e15 else {
            diagnostics.error(.wrongType, "expected '\(key)' to be a whole number, found \(format(number.value))", at: number.location)
            return nil
        }
        return Located(Int(number.value), at: number.location)
    }

    /// `true` or `false`.
    func bool(_ key: String, diagnostics: inout Diagnostics) -> Located<Bool>? {
        guard let node = node(key) else { return nil }
        guard node.kind == .scalar, !node.isQuoted, let text = node.scalar, ["true", "false", "True", "False", "TRUE", "FALSE"].contains(text)
        else {
            diagnostics.error(
                .wrongType, "expected '\(key)' to be true or false, found \(node.kindDescription)"
                    + (node.scalar.map { " '\($0)'" } ?? ""), at: node.location)
            return nil
        }
        return Located(text.lowercased() == "true", at: node.location)
    }

    /// A list; a lone scalar is not taken for a list of one.
    func list(_ key: String, diagnostics: inout Diagnostics) -> YAMLNode.Children? {
        guard let node = node(key) else { return nil }
        if node.isNull { return node.items }
        guard node.kind == .sequence else {
            diagnostics.error(
                .wrongType, "expected '\(key)' to be a list, found \(node.kindDescription)", at: node.location,
                help: node.kind == .scalar ? ["write a one-item list as [\(node.scalar ?? "")]"] : [])
            return nil
        }
        return node.items
    }

    /// A list of texts.
    func strings(_ key: String, diagnostics: inout Diagnostics) -> [Located<String>] {
        guard let items = list(key, diagnostics: &diagnostics) else { return [] }
        return items.compactMap { FieldReader.string($0, what: "each entry of '\(key)'", diagnostics: &diagnostics) }
    }
}

/// A number as people write it: no trailing `.0`, at most two decimals.
public func format(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    var text = CFormat.string("%.2f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}
