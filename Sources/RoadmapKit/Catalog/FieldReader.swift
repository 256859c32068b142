/// Reads the fields of one YAML mapping by key, reporting unknown keys, missing keys and wrong types.
struct FieldReader {
    let mapping: YAMLNode
    /// What the mapping is, for messages: "module", "stage", "roadmap".
    let context: String
    private(set) var fields: [String: YAMLNode] = [:]

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
        for (key, value) in node.pairs {
            guard let name = key.scalar, key.kind == .scalar else {
                diagnostics.error(.wrongType, "keys of \(context) must be plain names", at: key.location)
                continue
            }
            if allowed.contains(name) {
                fields[name] = value
            } else {
                let suggestion = Suggestions.didYouMean(Suggestions.closest(to: name, among: allowed))
                diagnostics.error(
                    .unknownKey, "unknown key '\(name)' in \(context)", at: key.location,
                    help: suggestion.map { [$0] } ?? ["valid keys are " + allowed.map { "'\($0)'" }.joined(separator: ", ")])
            }
        }
    }

    func has(_ key: String) -> Bool { fields[key] != nil }

    /// Where a key's value is, or the mapping's own place when the key is absent.
    func location(of key: String) -> SourceLocation { fields[key]?.location ?? mapping.location }

    private func missing(_ key: String, _ diagnostics: inout Diagnostics) {
        diagnostics.error(.missingKey, "\(context) has no '\(key)'", at: mapping.location)
    }

    /// A text value. Plain numbers and booleans are taken as their text; null, lists and mappings are not.
    func string(_ key: String, required: Bool = false, diagnostics: inout Diagnostics) -> Located<String>? {
        guard let node = fields[key] else {
            if required { missing(key, &diagnostics) }
            return nil
        }
        return FieldReader.string(node, what: "'\(key)'", diagnostics: &diagnostics)
    }

    static func string(_ node: YAMLNode, what: String, diagnostics: inout Diagnostics) -> Located<String>? {
        guard node.kind == .scalar, !node.isNull, let text = node.scalar else {
            diagnostics.error(.wrongType, "expected \(what) to be text, found \(node.kindDescription)", at: node.location)
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
        guard let node = fields[key] else {
            if required { missing(key, &diagnostics) }
            return nil
        }
        return FieldReader.number(node, what: "'\(key)'", diagnostics: &diagnostics)
    }

    static func number(_ node: YAMLNode, what: String, diagnostics: inout Diagnostics) -> Located<Double>? {
        guard node.kind == .scalar, !node.isQuoted, let text = node.scalar, let value = parseNumber(text) else {
            diagnostics.error(.wrongType, "expected \(what) to be a number, found \(node.kindDescription)", at: node.location)
            return nil
        }
        return Located(value, at: node.location)
    }

    /// YAML 1.2 core-schema numbers, plus `_` separators; nil for anything else, including `.inf` and `.nan`.
    static func parseNumber(_ text: String) -> Double? {
        let cleaned = text.replacingOccurrences(of: "_", with: "")
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
        guard let node = fields[key] else { return nil }
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
        guard let node = fields[key] else { return nil }
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
    var text = String(format: "%.2f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}
