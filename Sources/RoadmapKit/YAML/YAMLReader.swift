import CYAML
#if canImport(Glibc)
import Glibc
#endif

/// Reads YAML text into a ``YAMLDocument`` through libyaml's event API.
///
/// Refuses, with a located diagnostic: bytes that are not UTF-8, syntax errors, duplicate mapping keys,
/// aliases that are unknown, recursive or expand beyond the budget, more than one document, and anything
/// beyond ``YAMLLimits``.
public enum YAMLReader {
    /// Parses `bytes`, naming them `file` in diagnostics. Returns a document with no root for an empty file.
    public static func read(
        _ bytes: [UInt8], file: String, limits: YAMLLimits = .default
    ) throws(DiagnosticError) -> YAMLDocument {
        if bytes.count > limits.maxFileBytes {
            throw DiagnosticError(.error(
                .limitExceeded,
                "file is \(bytes.count) bytes, more than the limit of \(limits.maxFileBytes) bytes",
                at: .start(of: file)))
        }
        if let problem = EncodingCheck.firstProblem(in: bytes, file: file) {
            throw DiagnosticError(problem)
        }
        var builder = TreeBuilder(file: file, limits: limits, bytes: bytes)
        return try builder.run()
    }
}

extension YAMLReader {
    /// The entries of a file's top-level mapping that come before its key `key`, as a document of their own,
    /// without parsing the rest: for a catalog file, everything but its modules. Only when that is sure to be
    /// the whole of the file's other entries: the mapping is in block style and no line after the key starts at
    /// the first column, except blank lines, comments and the `- ` of a sequence (a later key of the mapping
    /// would have to), lines being ended by line feeds and carriage returns only (none of Unicode's NEL, LS or
    /// PS, which libyaml also takes for line breaks, after the key). Nil when the file has no such key or this
    /// cannot be told, and when anything read has a problem: read the whole file then, which finds and reports it.
    public static func readHead(
        _ bytes: [UInt8], file: String, before key: String, limits: YAMLLimits = .default
    ) -> YAMLDocument? {
        guard bytes.count <= limits.maxFileBytes, EncodingCheck.firstProblem(in: bytes, file: file) == nil else { return nil }
        // The parser is given the text up to the end of the first line that starts with the key, so that it
        // does not read (and decode) what follows; it must then stop at that very key.
        let marker = Array((key + ":").utf8)
        return bytes.withUnsafeBufferPointer { buffer -> YAMLDocument? in
            guard let (keyStart, lineEnd) = firstLine(in: buffer, startingWith: marker) else { return nil }
            guard !containsUnicodeLineBreak(UnsafeBufferPointer(rebasing: buffer[keyStart...])),
                onlyIndentedLines(UnsafeBufferPointer(rebasing: buffer[lineEnd...]))
            else { return nil }
            var builder = TreeBuilder(file: file, limits: limits, bytes: Array(buffer[..<lineEnd]), stopKey: key)
            guard let document = try? builder.run(),
                builder.stoppedAt == characterIndex(ofByte: keyStart, in: buffer)
            else { return nil }
            return document
        }
    }

    /// Where libyaml places byte `offset` (which starts a character): it counts characters, not bytes, and
    /// not a byte-order mark at the start.
    private static func characterIndex(ofByte offset: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
        var characters = 0
        for index in 0..<offset where text[index] & 0xC0 != 0x80 { characters += 1 }
        let byteOrderMark = text.count >= 3 && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF
        return byteOrderMark ? characters - 1 : characters
    }

    /// Whether `text` holds one of the line breaks libyaml knows beyond line feed and carriage return:
    /// NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029). A line after one of them is
    /// not seen by ``onlyIndentedLines(_:)``.
    static func containsUnicodeLineBreak(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !EncodingCheck.isASCII(text) else { return false }
        for index in text.indices {
            switch text[index] {
            case 0xC2:
                if index + 1 < text.count, text[index + 1] == 0x85 { return true }
            case 0xE2:
                if index + 2 < text.count, text[index + 1] == 0x80, text[index + 2] == 0xA8 || text[index + 2] == 0xA9 {
                    return true
                }
            default:
                continue
            }
        }
        return false
    }

    /// Where the first line that starts with `marker` starts and ends (before its line break).
    private static func firstLine(in text: UnsafeBufferPointer<UInt8>, startingWith marker: [UInt8]) -> (Int, Int)? {
        var start = 0
        let count = text.count
        while start < count {
            var end = start
            while end < count, text[end] != 0x0A, text[end] != 0x0D { end += 1 }
            if end - start >= marker.count, marker.indices.allSatisfy({ text[start + $0] == marker[$0] }) { return (start, end) }
            start = end + 1
        }
        return nil
    }

    /// Whether every line of `text` (which starts at a line break) is blank, a comment, indented, or a `- `
    /// entry of a sequence.
    static func onlyIndentedLines(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress, !text.isEmpty else { return true }
        let count = text.count
        // Line feeds only (no carriage return anywhere): jump from one to the next with memchr.
        if memchr(base, 0x0D, count) == nil {
            var next = 0
            while next < count, let found = memchr(base + next, 0x0A, count - next) {
                let start = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found)) + 1
                guard start < count else { return true }
                if !lineMayFollowModules(text, at: start) { return false }
                next = start
            }
            return true
        }
        return onlyIndentedLinesScanning(text)
    }

    /// Whether the line that starts at `start` may come after a top-level key's value in block style.
    private static func lineMayFollowModules(_ text: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        switch text[start] {
        case UInt8(ascii: " "), UInt8(ascii: "#"), 0x0A, 0x0D:
            return true
        case UInt8(ascii: "-"):
            let next = start + 1 < text.count ? text[start + 1] : 0x0A
            return next == UInt8(ascii: " ") || next == 0x0A || next == 0x0D
        default:
            return false
        }
    }

    /// ``onlyIndentedLines(_:)`` byte by byte, for text with carriage returns (which also end lines).
    private static func onlyIndentedLinesScanning(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var lineStart = true
        for index in text.indices {
            let byte = text[index]
            if byte == 0x0A || byte == 0x0D {
                lineStart = true
            } else if lineStart {
                lineStart = false
                if !lineMayFollowModules(text, at: index) { return false }
            }
        }
        return true
    }
}

/// Finds the first place where a file is not UTF-8 text.
enum EncodingCheck {
    static func firstProblem(in bytes: [UInt8], file: String) -> Diagnostic? {
        if bytes.count >= 2, (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE) {
            return .error(
                .encoding, "file is UTF-16; save it as UTF-8", at: .start(of: file),
                help: ["roadmap reads UTF-8 text, with or without a byte-order mark"])
        }
        // Most files are ASCII throughout: eight bytes at a time, nothing to check.
        if isASCII(bytes) { return nil }
        return firstProblemScanning(bytes, file: file)
    }

    /// Whether every byte is below 0x80.
    static func isASCII(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isASCII($0) }
    }

    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        let count = raw.count
        var index = 0
        var high: UInt64 = 0
        while index + 8 <= count {
            high |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < count {
            high |= UInt64(raw[index])
            index += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// The byte-by-byte check, counting lines and columns for the message.
    private static func firstProblemScanning(_ bytes: [UInt8], file: String) -> Diagnostic? {
        var line = 1, column = 1, i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                // LF, CR LF and a lone CR each end a line, as libyaml counts them.
                if b == 0x0A || (b == 0x0D && (i + 1 >= n || bytes[i + 1] != 0x0A)) {
                    line += 1
                    column = 1
                } else if b != 0x0D {
                    column += 1
                }
                i += 1
                continue
            }
            let length: Int
            if b & 0xE0 == 0xC0, b >= 0xC2 { length = 2 }
            else if b & 0xF0 == 0xE0 { length = 3 }
            else if b & 0xF8 == 0xF0, b <= 0xF4 { length = 4 }
            else { length = 0 }
            var valid = length > 0 && i + length <= n
            if valid {
                for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { valid = false }
            }
            if valid, length == 3 {
                let c1 = bytes[i + 1]
                if (b == 0xE0 && c1 < 0xA0) || (b == 0xED && c1 >= 0xA0) { valid = false }
            }
            if valid, length == 4 {
                let c1 = bytes[i + 1]
                if (b == 0xF0 && c1 < 0x90) || (b == 0xF4 && c1 >= 0x90) { valid = false }
            }
            if !valid {
                let hex = String(b, radix: 16, uppercase: true)
                return .error(
                    .encoding, "byte 0x\(hex.count == 1 ? "0" + hex : hex) is not valid UTF-8",
                    at: SourceLocation(file: file, line: line, column: column),
                    help: ["save the file as UTF-8"])
            }
            column += 1
            i += length
        }
        return nil
    }
}

/// Turns parser events into the flat node arrays of a ``YAMLDocument``.
///
/// Open containers live on plain stacks (`openNodes`, `openStarts`) and their finished children on one
/// shared `pending` stack, so no array is copied per event. An event costs a few appends: places are kept as
/// line and column numbers and turned into a ``SourceLocation`` only for a diagnostic, and the expanded size
/// that bounds aliases is worked out only for the nodes an alias refers to.
private struct TreeBuilder {
    let file: String
    let limits: YAMLLimits
    let bytes: [UInt8]

    var kinds: [YAMLNode.Kind] = []
    var lines: [Int32] = []
    var columns: [Int32] = []
    var payload: [Int32] = []
    var counts: [Int32] = []
    var scalars: [String] = []
    var quoted: [Bool] = []
    var children: [Int32] = []
    var tags: [Int32: String] = [:]
    /// Nodes counted with aliases expanded, for the nodes whose size an alias needed.
    var expandedSizes: [Int32: Int] = [:]
    var anchors: [String: Int32] = [:]
    var aliasExpansion = 0

    var openNodes: [Int32] = []
    var openStarts: [Int] = []
    var pending: [Int32] = []
    var root: Int32?
    var documents = 0
    /// With a key here, reading stops at that key of a top-level block mapping, which is closed there
    /// (``YAMLReader/readHead(_:file:before:limits:)``); `stoppedAt` is then the key's byte offset.
    let stopKey: String?
    private(set) var stoppedAt: Int?
    private var rootIsBlockMapping = false

    init(file: String, limits: YAMLLimits, bytes: [UInt8], stopKey: String? = nil) {
        self.file = file
        self.limits = limits
        self.bytes = bytes
        self.stopKey = stopKey
        // A guess from the size of the file (about one node per 12 bytes), to spare most regrowth.
        let nodes = min(bytes.count / 12 + 16, limits.maxNodes)
        kinds.reserveCapacity(nodes)
        lines.reserveCapacity(nodes)
        columns.reserveCapacity(nodes)
        payload.reserveCapacity(nodes)
        counts.reserveCapacity(nodes)
        children.reserveCapacity(nodes)
        scalars.reserveCapacity(nodes)
        quoted.reserveCapacity(nodes)
    }

    mutating func run() throws(DiagnosticError) -> YAMLDocument {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw DiagnosticError(.error(.fileUnreadable, "could not start the YAML parser", at: .start(of: file)))
        }
        defer { yaml_parser_delete(&parser) }
        var failure: DiagnosticError?
        bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    failure = DiagnosticError(syntaxError(parser))
                    return
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return }
                do throws(DiagnosticError) {
                    if stopKey != nil, isStopKey(event) {
                        stoppedAt = Int(event.start_mark.index)
                        try close()
                        return
                    }
                    try handle(event)
                } catch {
                    failure = error
                    return
                }
            }
        }
        if let failure { throw failure }
        return YAMLDocument(
            storage: .init(
                file: file, kinds: kinds, lines: lines, columns: columns, payload: payload, counts: counts,
                scalars: scalars, quoted: quoted, children: children, tags: tags),
            rootIndex: root)
    }

    /// Whether `event` is `stopKey` as a key of the top-level block mapping.
    private mutating func isStopKey(_ event: yaml_event_t) -> Bool {
        if event.type == YAML_MAPPING_START_EVENT, openNodes.isEmpty {
            rootIsBlockMapping = event.data.mapping_start.style == YAML_BLOCK_MAPPING_STYLE
        }
        guard event.type == YAML_SCALAR_EVENT, rootIsBlockMapping, openNodes.count == 1,
            (pending.count - openStarts[0]) % 2 == 0, let stopKey
        else { return false }
        let data = event.data.scalar
        guard Int(data.length) == stopKey.utf8.count, let value = data.value else { return false }
        return stopKey.utf8.elementsEqual(UnsafeBufferPointer(start: value, count: Int(data.length)))
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private mutating func handle(_ event: yaml_event_t) throws(DiagnosticError) {
        let mark = event.start_mark
        switch event.type {
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            if Int(data.length) > limits.maxScalarBytes {
                throw DiagnosticError(.error(
                    .limitExceeded,
                    "text of \(data.length) bytes is longer than the limit of \(limits.maxScalarBytes) bytes",
                    at: location(mark)))
            }
            let text = data.value.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: Int(data.length)), as: UTF8.self)
            } ?? ""
            let index = try newNode(.scalar, at: mark, anchor: data.anchor, tag: data.tag)
            payload[Int(index)] = Int32(scalars.count)
            scalars.append(text)
            quoted.append(data.style != YAML_PLAIN_SCALAR_STYLE && data.style != YAML_ANY_SCALAR_STYLE)
            attach(index)
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            try open(.mapping, at: mark, anchor: data.anchor, tag: data.tag)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            try open(.sequence, at: mark, anchor: data.anchor, tag: data.tag)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            try close()
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw DiagnosticError(.error(
                    .multipleDocuments, "file holds more than one YAML document", at: location(mark),
                    help: ["remove the '---' line, or split the documents into separate files"]))
            }
        case YAML_ALIAS_EVENT:
            let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
            guard let target = anchors[name] else {
                throw DiagnosticError(.error(
                    .unknownAnchor, "alias '*\(name)' names no anchor defined before it", at: location(mark)))
            }
            if openNodes.contains(target) {
                throw DiagnosticError(.error(
                    .recursiveAlias, "alias '*\(name)' refers to a node that contains it", at: location(mark)))
            }
            aliasExpansion += expandedSize(of: target)
            if aliasExpansion > limits.maxAliasExpansion {
                throw DiagnosticError(.error(
                    .aliasExpansion,
                    "aliases expand to more than \(limits.maxAliasExpansion) nodes; refusing to expand '*\(name)'",
                    at: location(mark), help: ["write the repeated data out, or use fewer nested aliases"]))
            }
            attach(target)
        default:
            break
        }
    }

    /// How many nodes `node` stands for with every alias in it expanded (a closed node, so its children are
    /// final); remembered, so that each node is counted once.
    private mutating func expandedSize(of node: Int32) -> Int {
        let position = Int(node)
        if kinds[position] == .scalar { return 1 }
        if let known = expandedSizes[node] { return known }
        var size = 1
        let start = Int(payload[position])
        for offset in 0..<Int(counts[position]) {
            size = size.addingReportingOverflow(expandedSize(of: children[start + offset])).partialValue
        }
        size = max(size, 1)
        expandedSizes[node] = size
        return size
    }

    private mutating func newNode(
        _ kind: YAMLNode.Kind, at mark: yaml_mark_t, anchor: UnsafeMutablePointer<yaml_char_t>?,
        tag: UnsafeMutablePointer<yaml_char_t>?
    ) throws(DiagnosticError) -> Int32 {
        if kinds.count >= limits.maxNodes {
            throw DiagnosticError(.error(
                .limitExceeded, "file has more than \(limits.maxNodes) nodes", at: location(mark)))
        }
        let index = Int32(kinds.count)
        kinds.append(kind)
        lines.append(Int32(clamping: Int(mark.line) + 1))
        columns.append(Int32(clamping: Int(mark.column) + 1))
        payload.append(0)
        counts.append(0)
        if let anchor { anchors[String(cString: anchor)] = index }
        if let tag { tags[index] = String(cString: tag) }
        return index
    }

    private mutating func open(
        _ kind: YAMLNode.Kind, at mark: yaml_mark_t, anchor: UnsafeMutablePointer<yaml_char_t>?,
        tag: UnsafeMutablePointer<yaml_char_t>?
    ) throws(DiagnosticError) {
        if openNodes.count >= limits.maxDepth {
            throw DiagnosticError(.error(
                .limitExceeded, "nesting is deeper than the limit of \(limits.maxDepth) levels", at: location(mark)))
        }
        let index = try newNode(kind, at: mark, anchor: anchor, tag: tag)
        openNodes.append(index)
        openStarts.append(pending.count)
    }

    private mutating func close() throws(DiagnosticError) {
        guard let index = openNodes.popLast(), let start = openStarts.popLast() else { return }
        let count = pending.count - start
        if kinds[Int(index)] == .mapping {
            try checkDuplicateKeys(start: start)
        }
        payload[Int(index)] = Int32(children.count)
        counts[Int(index)] = Int32(count)
        children.append(contentsOf: pending[start...])
        pending.removeLast(count)
        attach(index)
    }

    private mutating func attach(_ index: Int32) {
        if openNodes.isEmpty {
            root = index
        } else {
            pending.append(index)
        }
    }

    /// Refuses a key written twice in the mapping whose entries start at `start` in `pending`, naming the
    /// first repeated key in order and where it first appeared.
    private func checkDuplicateKeys(start: Int) throws(DiagnosticError) {
        let end = pending.count
        guard end - start > 2 else { return }
        func duplicate(_ key: Int32, first: Int32) -> DiagnosticError {
            let text = scalars[Int(payload[Int(key)])]
            return DiagnosticError(.error(
                .duplicateKey, "key '\(text)' appears twice in the same mapping", at: nodeLocation(key),
                related: [.init("'\(text)' first appears here", at: nodeLocation(first))]))
        }
        if end - start <= 32 {
            // A handful of keys, as in every module: comparing each with the ones before it is cheapest.
            var position = start + 2
            while position < end {
                let key = pending[position]
                if kinds[Int(key)] == .scalar {
                    let text = scalars[Int(payload[Int(key)])]
                    var earlier = start
                    while earlier < position {
                        let other = pending[earlier]
                        if kinds[Int(other)] == .scalar, scalars[Int(payload[Int(other)])] == text {
                            throw duplicate(key, first: other)
                        }
                        earlier += 2
                    }
                }
                position += 2
            }
            return
        }
        var seen: [String: Int32] = [:]
        seen.reserveCapacity((end - start) / 2)
        var position = start
        while position < end {
            let key = pending[position]
            position += 2
            guard kinds[Int(key)] == .scalar else { continue }
            let text = scalars[Int(payload[Int(key)])]
            if let first = seen[text] { throw duplicate(key, first: first) }
            seen[text] = key
        }
    }

    private func nodeLocation(_ index: Int32) -> SourceLocation {
        SourceLocation(file: file, line: Int(lines[Int(index)]), column: Int(columns[Int(index)]))
    }

    /// libyaml's error, worded for people and placed where the parser stopped.
    private func syntaxError(_ parser: yaml_parser_t) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
        var at: SourceLocation
        if parser.error == YAML_READER_ERROR {
            at = locationOfOffset(Int(parser.problem_offset))
        } else {
            at = location(parser.problem_mark)
        }
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            let contextAt = location(parser.context_mark)
            message += " (\(context) at line \(contextAt.line), column \(contextAt.column))"
        }
        if parser.error == YAML_MEMORY_ERROR { message = "out of memory while parsing" }
        var help: [String] = []
        if lineIndentedWithTab(at.line) || problem.contains("tab") {
            help.append("YAML indentation must use spaces, not tabs")
        }
        at.line = max(at.line, 1)
        at.column = max(at.column, 1)
        return .error(.syntax, message, at: at, help: help)
    }

    private func locationOfOffset(_ offset: Int) -> SourceLocation {
        var line = 1, column = 1, i = 0
        let end = min(offset, bytes.count)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        while i < end {
            let b = bytes[i]
            if b == 0x0A || (b == 0x0D && (i + 1 >= bytes.count || bytes[i + 1] != 0x0A)) {
                line += 1
                column = 1
            } else if b != 0x0D && b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    private func lineIndentedWithTab(_ line: Int) -> Bool {
        var current = 1, i = 0
        while i < bytes.count, current < line {
            if bytes[i] == 0x0A { current += 1 }
            i += 1
        }
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 {
            if bytes[i] == 0x09 { return true }
            i += 1
        }
        return false
    }
}
