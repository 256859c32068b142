import Foundation
import Testing

@testable import RoadmapKit

/// The YAML layer: libyaml events into located nodes, and every way a file can be refused.
@Suite("YAMLReader")
struct YAMLReaderTests {
    // MARK: Helpers

    /// Reads `text` (as UTF-8) and returns the document, recording an issue when it is refused.
    private func read(
        _ text: String, limits: YAMLLimits = .default, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> YAMLDocument? {
        readBytes(Array(text.utf8), limits: limits, sourceLocation: sourceLocation)
    }

    private func readBytes(
        _ bytes: [UInt8], limits: YAMLLimits = .default, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> YAMLDocument? {
        do {
            return try YAMLReader.read(bytes, file: "test.yaml", limits: limits)
        } catch {
            Issue.record(
                "expected the input to be accepted, got: \(error.diagnostics.all.map(\.message))",
                sourceLocation: sourceLocation)
            return nil
        }
    }

    /// Reads `bytes` expecting a refusal; returns its single diagnostic.
    private func refusal(
        _ bytes: [UInt8], limits: YAMLLimits = .default, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> Diagnostic? {
        do {
            let document = try YAMLReader.read(bytes, file: "test.yaml", limits: limits)
            Issue.record(
                "expected the input to be refused, but it was read (\(document.nodeCount) nodes)",
                sourceLocation: sourceLocation)
            return nil
        } catch {
            #expect(error.diagnostics.all.count == 1, sourceLocation: sourceLocation)
            let diagnostic = error.diagnostics.all.first
            #expect(diagnostic?.severity == .error, sourceLocation: sourceLocation)
            #expect(diagnostic?.location?.file == "test.yaml", sourceLocation: sourceLocation)
            return diagnostic
        }
    }

    private func refusal(
        _ text: String, limits: YAMLLimits = .default, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> Diagnostic? {
        refusal(Array(text.utf8), limits: limits, sourceLocation: sourceLocation)
    }

    /// The value of `key` in a mapping.
    private func value(_ key: String, in node: YAMLNode?) -> YAMLNode? {
        node?.pairs.first { $0.0.scalar == key }?.1
    }

    private func position(_ node: YAMLNode?) -> [Int]? {
        node.map { [$0.location.line, $0.location.column] }
    }

    private func position(_ diagnostic: Diagnostic?) -> [Int]? {
        diagnostic?.location.map { [$0.line, $0.column] }
    }

    // MARK: Nodes and positions

    @Test func nodesKnowTheirLineAndColumn() throws {
        let text = """
            title: Hello
            list:
              - a
              - "b"
            map: {k: v}

            """
        let document = try #require(read(text))
        let root = try #require(document.root)
        #expect(root.kind == .mapping)
        #expect(position(root) == [1, 1])
        #expect(root.location.file == "test.yaml")
        #expect(root.keys.map(\.scalar) == ["title", "list", "map"])
        #expect(root.keys.map { position($0)! } == [[1, 1], [2, 1], [5, 1]])

        let title = value("title", in: root)
        #expect(title?.scalar == "Hello")
        #expect(position(title) == [1, 8])

        let list = try #require(value("list", in: root))
        #expect(list.kind == .sequence)
        #expect(position(list) == [3, 3])
        #expect(list.items.map(\.scalar) == ["a", "b"])
        #expect(list.items.map { position($0)! } == [[3, 5], [4, 5]])

        let map = try #require(value("map", in: root))
        #expect(map.kind == .mapping)
        #expect(position(map) == [5, 6])
        #expect(position(map.keys.first) == [5, 7])
        #expect(position(map.values.first) == [5, 10])
        #expect(map.values.first?.scalar == "v")
    }

    @Test func columnsCountUnicodeScalarsNotBytes() throws {
        let document = try #require(read("ключ: значение\né: ü\n"))
        let root = try #require(document.root)
        #expect(position(value("ключ", in: root)) == [1, 7])
        #expect(value("ключ", in: root)?.scalar == "значение")
        #expect(position(value("é", in: root)) == [2, 4])
    }

    @Test func scalarsSequencesAndMappings() throws {
        let text = """
            number: 42
            flag: true
            nothing: ~
            empty:
            words: [one, two, three]
            nested:
              - {a: 1}
              - [x, [y]]

            """
        let root = try #require(read(text)?.root)
        #expect(root.kind == .mapping)
        #expect(root.keys.count == 6)
        #expect(root.keys.count == root.values.count)

        let number = try #require(value("number", in: root))
        #expect(number.kind == .scalar)
        #expect(number.scalar == "42")
        #expect(number.kindDescription == "a number")
        #expect(value("flag", in: root)?.kindDescription == "a boolean")
        #expect(value("nothing", in: root)?.isNull == true)
        #expect(value("empty", in: root)?.isNull == true)
        #expect(value("empty", in: root)?.scalar == "")

        let words = try #require(value("words", in: root))
        #expect(words.kind == .sequence)
        #expect(words.kindDescription == "a list")
        #expect(words.items.compactMap(\.scalar) == ["one", "two", "three"])
        #expect(words.scalar == nil)
        #expect(words.keys.isEmpty)

        let nested = try #require(value("nested", in: root))
        #expect(nested.items.map(\.kind) == [.mapping, .sequence])
        #expect(nested.items[0].kindDescription == "a mapping")
        #expect(value("a", in: nested.items[0])?.scalar == "1")
        #expect(nested.items[1].items[1].items.first?.scalar == "y")
        // A scalar has no children.
        #expect(number.items.isEmpty && number.keys.isEmpty && number.values.isEmpty)
    }

    @Test func quotedAndPlainScalars() throws {
        let text = """
            plain: 1
            single: '1'
            double: "1"
            literal: |
              line one
              line two
            folded: >
              folded
              text
            tagged: !!str 2
            quoted-null: "null"

            """
        let root = try #require(read(text)?.root)
        let plain = try #require(value("plain", in: root))
        #expect(!plain.isQuoted)
        #expect(plain.kindDescription == "a number")
        for key in ["single", "double"] {
            let node = try #require(value(key, in: root))
            #expect(node.isQuoted, "\(key)")
            #expect(node.scalar == "1")
            #expect(node.kindDescription == "a string")
        }
        let literal = try #require(value("literal", in: root))
        #expect(literal.isQuoted)
        #expect(literal.scalar == "line one\nline two\n")
        #expect(value("folded", in: root)?.scalar == "folded text\n")
        #expect(value("folded", in: root)?.isQuoted == true)
        #expect(value("tagged", in: root)?.tag == "tag:yaml.org,2002:str")
        #expect(value("tagged", in: root)?.isNull == false)
        #expect(value("plain", in: root)?.tag == nil)
        let quotedNull = try #require(value("quoted-null", in: root))
        #expect(!quotedNull.isNull)
        #expect(quotedNull.scalar == "null")
    }

    @Test func aliasesShareTheirAnchoredNode() throws {
        let text = """
            base: &base [a, b]
            copy: *base

            """
        let document = try #require(read(text))
        let root = try #require(document.root)
        let copy = try #require(value("copy", in: root))
        #expect(copy.kind == .sequence)
        #expect(copy.items.compactMap(\.scalar) == ["a", "b"])
        // The alias is the anchored node itself, not a copy: it keeps the anchor's position.
        #expect(position(copy) == [1, 7])
        // The root, the keys 'base' and 'copy', the list and its two items: the alias adds no node.
        #expect(document.nodeCount == 6)
    }

    // MARK: Refusals

    @Test func duplicateKeyIsReportedAtTheSecondKey() throws {
        let diagnostic = try #require(refusal("a: 1\nb: 2\na: 3\n"))
        #expect(diagnostic.code == .duplicateKey)
        #expect(position(diagnostic) == [3, 1])
        #expect(diagnostic.message.contains("'a'"))
        #expect(diagnostic.related.map { [$0.location.line, $0.location.column] } == [[1, 1]])

        let nested = try #require(refusal("outer:\n  x: 1\n  y: 2\n  x: 3\n"))
        #expect(nested.code == .duplicateKey)
        #expect(position(nested) == [4, 3])

        let flow = try #require(refusal("m: {k: 1, j: 2, k: 3}\n"))
        #expect(flow.code == .duplicateKey)
        #expect(position(flow) == [1, 17])
    }

    @Test func equalKeysInDifferentMappingsAreFine() throws {
        let root = try #require(read("a: {x: 1}\nb: {x: 2}\n")?.root)
        #expect(root.keys.count == 2)
    }

    @Test func syntaxErrorIsPlacedWhereLibyamlStopped() throws {
        let diagnostic = try #require(refusal("a: b: c\n"))
        #expect(diagnostic.code == .syntax)
        #expect(position(diagnostic) == [1, 5])
        #expect(diagnostic.message.contains("mapping values are not allowed"))

        let flow = try #require(refusal("a: [1, 2\nb: 3\n"))
        #expect(flow.code == .syntax)
        #expect(position(flow) == [2, 2])
        #expect(flow.message.contains("while parsing a flow sequence at line 1, column 4"))

        let unterminated = try #require(refusal("k: \"unterminated\n"))
        #expect(unterminated.code == .syntax)
        #expect(position(unterminated) == [2, 1])
    }

    @Test func tabIndentationIsASyntaxErrorWithHelp() throws {
        let diagnostic = try #require(refusal("a:\n\tb: 1\n"))
        #expect(diagnostic.code == .syntax)
        #expect(position(diagnostic) == [2, 1])
        #expect(diagnostic.help.contains { $0.contains("tabs") })

        let afterValue = try #require(refusal("a: 1\n\tb: 2\n"))
        #expect(afterValue.code == .syntax)
        #expect(afterValue.help.contains { $0.contains("tabs") })
    }

    @Test func syntaxErrorWithoutTabsHasNoTabHelp() throws {
        let diagnostic = try #require(refusal("a: b: c\n"))
        #expect(!diagnostic.help.contains { $0.contains("tab") })
    }

    @Test func invalidUTF8IsAnEncodingErrorAtItsPlace() throws {
        let diagnostic = try #require(refusal(Array("a: b\nc: ".utf8) + [0xFF] + Array("\n".utf8)))
        #expect(diagnostic.code == .encoding)
        #expect(position(diagnostic) == [2, 4])
        #expect(diagnostic.message.contains("0xFF"))

        // A multi-byte character before the bad byte counts as one column.
        let afterAccent = try #require(refusal(Array("é: ".utf8) + [0xC3, 0x28]))
        #expect(afterAccent.code == .encoding)
        #expect(position(afterAccent) == [1, 4])
        #expect(afterAccent.message.contains("0xC3"))
    }

    @Test(arguments: [
        [0xC0, 0xAF],  // overlong '/'
        [0xE0, 0x80, 0xAF],  // overlong, three bytes
        [0xED, 0xA0, 0x80],  // UTF-16 surrogate
        [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
        [0xF5, 0x80, 0x80, 0x80],  // never valid lead byte
        [0x80],  // lone continuation byte
        [0xE2, 0x82],  // truncated at the end of the file
    ] as [[UInt8]])
    func malformedUTF8SequencesAreRefused(sequence: [UInt8]) throws {
        let diagnostic = try #require(refusal(Array("k: x\nv: ".utf8) + sequence))
        #expect(diagnostic.code == .encoding)
        #expect(position(diagnostic) == [2, 4])
    }

    @Test func utf16ByteOrderMarksAreRefused() throws {
        let utf16LE: [UInt8] = [0xFF, 0xFE] + Array("a: 1\n".utf8).flatMap { [$0, 0] }
        let little = try #require(refusal(utf16LE))
        #expect(little.code == .encoding)
        #expect(position(little) == [1, 1])
        #expect(little.message.contains("UTF-16"))

        let utf16BE: [UInt8] = [0xFE, 0xFF] + Array("a: 1\n".utf8).flatMap { [0, $0] }
        let big = try #require(refusal(utf16BE))
        #expect(big.code == .encoding)
        #expect(position(big) == [1, 1])
    }

    @Test func utf8ByteOrderMarkIsAccepted() throws {
        let document = try #require(readBytes([0xEF, 0xBB, 0xBF] + Array("a: 1\nb: x\n".utf8)))
        let root = try #require(document.root)
        #expect(root.keys.map(\.scalar) == ["a", "b"])
        #expect(position(root.keys.first) == [1, 1])
        #expect(position(value("b", in: root)) == [2, 4])

        // The mark takes no column: a bad byte after it is placed as if it were absent.
        let bad = try #require(refusal([0xEF, 0xBB, 0xBF] + Array("a: ".utf8) + [0xFF]))
        #expect(bad.code == .encoding)
        #expect(position(bad) == [1, 4])
    }

    @Test func controlCharacterAfterAByteOrderMarkIsPlacedCorrectly() throws {
        // libyaml refuses control characters itself and reports a byte offset that counts the mark.
        let plain = try #require(refusal("a: \u{01}\n"))
        #expect(plain.code == .syntax)
        #expect(position(plain) == [1, 4])

        let secondLine = try #require(refusal("a: 1\nb: \u{01}\n"))
        #expect(position(secondLine) == [2, 4])

        let withMark = try #require(refusal([0xEF, 0xBB, 0xBF] + Array("a: \u{01}\n".utf8)))
        #expect(withMark.code == .syntax)
        #expect(position(withMark) == [1, 4])
    }

    @Test func crlfLineEndingsAreAccepted() throws {
        let document = try #require(read("a: 1\r\nb: two\r\nt: |\r\n  x\r\n  y\r\n"))
        let root = try #require(document.root)
        #expect(root.keys.map(\.scalar) == ["a", "b", "t"])
        #expect(value("b", in: root)?.scalar == "two")
        #expect(position(value("b", in: root)) == [2, 4])
        #expect(value("t", in: root)?.scalar == "x\ny\n")
        #expect(position(root.keys.last) == [3, 1])
    }

    @Test func loneCarriageReturnsEndLinesForLibyamlAndForEncodingErrors() throws {
        // libyaml takes a lone CR for a line break, so nodes after it are on the next line...
        let root = try #require(read("a: 1\rb: 2\r")?.root)
        #expect(position(root.keys.last) == [2, 1])
        // ...and an encoding error after it should be placed the same way.
        let diagnostic = try #require(refusal(Array("a: 1\rb: ".utf8) + [0xFF]))
        #expect(diagnostic.code == .encoding)
        #expect(position(diagnostic) == [2, 4])
    }

    @Test func emptyFileIsADocumentWithoutRoot() throws {
        let empty = try #require(readBytes([]))
        #expect(empty.root == nil)
        #expect(empty.file == "test.yaml")
        #expect(try #require(read("# only a comment\n\n")).root == nil)
        #expect(try #require(read("   \n\n")).root == nil)
    }

    @Test func multipleDocumentsAreRefused() throws {
        let diagnostic = try #require(refusal("a: 1\n---\nb: 2\n"))
        #expect(diagnostic.code == .multipleDocuments)
        #expect(position(diagnostic) == [2, 1])
        #expect(!diagnostic.help.isEmpty)

        // One document with an explicit start and end is fine.
        let single = try #require(read("---\na: 1\n...\n"))
        #expect(single.root?.kind == .mapping)
    }

    @Test func unknownAliasIsRefused() throws {
        let diagnostic = try #require(refusal("a: *nowhere\n"))
        #expect(diagnostic.code == .unknownAnchor)
        #expect(position(diagnostic) == [1, 4])
        #expect(diagnostic.message.contains("*nowhere"))

        // An alias cannot refer forward, to an anchor defined after it.
        let forward = try #require(refusal("a: *later\nb: &later 1\n"))
        #expect(forward.code == .unknownAnchor)
        #expect(position(forward) == [1, 4])
    }

    @Test func billionLaughsIsRefusedQuickly() throws {
        var lines = ["a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]"]
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (previous, name) in zip(names, names.dropFirst()) {
            let aliases = Array(repeating: "*\(previous)", count: 9).joined(separator: ", ")
            lines.append("\(name): &\(name) [\(aliases)]")
        }
        let text = lines.joined(separator: "\n") + "\n"
        let clock = ContinuousClock()
        var diagnostic: Diagnostic?
        let elapsed = clock.measure { diagnostic = refusal(text) }
        let found = try #require(diagnostic)
        #expect(found.code == .aliasExpansion)
        // a..e expand to 10, 91, 820, 7381 and 66430 nodes; the first '*e' of line f passes 100,000.
        #expect(position(found) == [6, 8])
        #expect(elapsed < .seconds(2))
    }

    @Test func aliasExpansionBudgetIsCountedPerUse() throws {
        var limits = YAMLLimits()
        limits.maxAliasExpansion = 5
        // '*x' stands for 3 nodes: the first use brings the total to 3, the second to 6.
        let diagnostic = try #require(refusal("a: &x [1, 2]\nb: [*x, *x]\n", limits: limits))
        #expect(diagnostic.code == .aliasExpansion)
        #expect(position(diagnostic) == [2, 9])
        #expect(read("a: &x [1, 2]\nb: [*x]\n", limits: limits) != nil)
    }

    @Test func recursiveAliasIsRefusedWithoutHanging() throws {
        for text in ["&a [*a]\n", "a: &a {b: *a}\n", "x: &x\n  - y: &y\n      - *x\n"] {
            let clock = ContinuousClock()
            var diagnostic: Diagnostic?
            let elapsed = clock.measure { diagnostic = refusal(text) }
            let found = try #require(diagnostic, "\(text)")
            #expect([DiagnosticCode.recursiveAlias, .syntax].contains(found.code), "\(text)")
            #expect(elapsed < .seconds(1))
        }
        let simple = try #require(refusal("&a [*a]\n"))
        #expect(simple.code == .recursiveAlias)
        #expect(position(simple) == [1, 5])
    }

    @Test func nestingDeeperThanTheLimitIsRefused() throws {
        let limit = YAMLLimits.default.maxDepth
        let deep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        let diagnostic = try #require(refusal(deep))
        #expect(diagnostic.code == .limitExceeded)
        #expect(position(diagnostic) == [1, limit + 1])

        let atLimit = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(read(atLimit) != nil)

        var small = YAMLLimits()
        small.maxDepth = 3
        let blocks = try #require(refusal("a:\n  b:\n    c:\n      d: 1\n", limits: small))
        #expect(blocks.code == .limitExceeded)
        #expect(position(blocks) == [4, 7])
    }

    @Test func scalarLongerThanTheLimitIsRefused() throws {
        let limit = YAMLLimits.default.maxScalarBytes
        let long = try #require(refusal("a: " + String(repeating: "x", count: limit + 1) + "\n"))
        #expect(long.code == .limitExceeded)
        #expect(position(long) == [1, 4])
        #expect(read("a: " + String(repeating: "x", count: limit) + "\n") != nil)

        var small = YAMLLimits()
        small.maxScalarBytes = 4
        let diagnostic = try #require(refusal("ok: abcd\nk: hello\n", limits: small))
        #expect(diagnostic.code == .limitExceeded)
        #expect(position(diagnostic) == [2, 4])
        // Bytes, not characters: two 2-byte characters and a third one are 6 bytes.
        let multibyte = try #require(refusal("k: ééé\n", limits: small))
        #expect(multibyte.code == .limitExceeded)
    }

    @Test func fileLargerThanTheLimitIsRefused() throws {
        var limits = YAMLLimits()
        limits.maxFileBytes = 10
        let diagnostic = try #require(refusal("a: 12345678\n", limits: limits))
        #expect(diagnostic.code == .limitExceeded)
        #expect(position(diagnostic) == [1, 1])
        #expect(diagnostic.message.contains("10"))
        #expect(read("a: 123456\n", limits: limits) != nil)  // exactly 10 bytes
    }

    @Test func tooManyNodesAreRefused() throws {
        var limits = YAMLLimits()
        limits.maxNodes = 3
        let diagnostic = try #require(refusal("[1, 2, 3]\n", limits: limits))
        #expect(diagnostic.code == .limitExceeded)
        #expect(position(diagnostic) == [1, 8])
        #expect(read("[1, 2]\n", limits: limits) != nil)
    }
}
