/// Resource limits for reading one YAML file. Every limit is refused with a located diagnostic, never a
/// crash or a hang; the defaults are far above anything a hand-written roadmap, plugin or journal needs.
public struct YAMLLimits: Sendable, Hashable {
    /// The largest file read, in bytes.
    public var maxFileBytes: Int = 64 << 20
    /// The deepest nesting of sequences and mappings.
    public var maxDepth: Int = 64
    /// The longest scalar, in bytes.
    public var maxScalarBytes: Int = 64 << 10
    /// The most nodes (scalars, sequences and mappings) in one file.
    public var maxNodes: Int = 8_000_000
    /// How many nodes aliases may add on top of the nodes written out, so an alias bomb stays small.
    public var maxAliasExpansion: Int = 100_000

    public init() {}
    public static let `default` = YAMLLimits()
}

/// A parsed YAML file: a tree of nodes, each knowing its line and column.
///
/// The nodes live in flat arrays (one entry per node) and containers refer to their children by index, so
/// building the tree costs a few appends per parser event. An alias is the index of its anchored node, so
/// the tree is a DAG whose expansion the reader has already bounded.
public struct YAMLDocument: Sendable {
    final class Storage: Sendable {
        let file: String
        let kinds: [YAMLNode.Kind]
        let lines: [Int32]
        let columns: [Int32]
        /// For a scalar, its index in `scalars`; for a container, the start of its run in `children`.
        let payload: [Int32]
        /// For a container, the number of its entries in `children` (twice the pairs for a mapping).
        let counts: [Int32]
        let scalars: [String]
        let quoted: [Bool]
        let children: [Int32]
        let tags: [Int32: String]

        init(
            file: String, kinds: [YAMLNode.Kind], lines: [Int32], columns: [Int32], payload: [Int32],
            counts: [Int32], scalars: [String], quoted: [Bool], children: [Int32], tags: [Int32: String]
        ) {
            self.file = file
            self.kinds = kinds
            self.lines = lines
            self.columns = columns
            self.payload = payload
            self.counts = counts
            self.scalars = scalars
            self.quoted = quoted
            self.children = children
            self.tags = tags
        }
    }

    let storage: Storage
    let rootIndex: Int32?

    /// The path of the file the document was read from.
    public var file: String { storage.file }

    /// The root node, or nil for a file that holds no document (empty, or only comments).
    public var root: YAMLNode? { rootIndex.map { YAMLNode(storage: storage, index: $0) } }

    /// How many distinct nodes the file holds.
    public var nodeCount: Int { storage.kinds.count }
}

/// One node of a ``YAMLDocument``: a cheap view that knows its kind, position and children.
public struct YAMLNode: Sendable {
    public enum Kind: UInt8, Sendable { case scalar, sequence, mapping }

    let storage: YAMLDocument.Storage
    let index: Int32

    public var kind: Kind { storage.kinds[Int(index)] }

    public var location: SourceLocation {
        SourceLocation(
            file: storage.file, line: Int(storage.lines[Int(index)]), column: Int(storage.columns[Int(index)]))
    }

    /// The text of a scalar, nil for a container.
    public var scalar: String? {
        kind == .scalar ? storage.scalars[Int(storage.payload[Int(index)])] : nil
    }

    /// Whether a scalar was written in quotes or as a block, which makes it a string whatever it reads.
    public var isQuoted: Bool { kind == .scalar && storage.quoted[Int(storage.payload[Int(index)])] }

    /// The node's explicit tag, such as `tag:yaml.org,2002:str` for `!!str`.
    public var tag: String? { storage.tags.isEmpty ? nil : storage.tags[index] }

    /// A plain scalar that YAML's core schema reads as null: empty, `~` or `null`.
    public var isNull: Bool {
        guard kind == .scalar, !isQuoted, tag == nil, let text = scalar else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    /// The entries of a sequence, in order; empty for other kinds.
    public var items: Children {
        kind == .sequence ? Children(storage: storage, start: Int(storage.payload[Int(index)]), count: Int(storage.counts[Int(index)]), stride: 1, offset: 0) : .empty(storage)
    }

    /// The keys of a mapping, in order; empty for other kinds.
    public var keys: Children {
        kind == .mapping ? Children(storage: storage, start: Int(storage.payload[Int(index)]), count: Int(storage.counts[Int(index)]) / 2, stride: 2, offset: 0) : .empty(storage)
    }

    /// The values of a mapping, in the order of `keys`; empty for other kinds.
    public var values: Children {
        kind == .mapping ? Children(storage: storage, start: Int(storage.payload[Int(index)]), count: Int(storage.counts[Int(index)]) / 2, stride: 2, offset: 1) : .empty(storage)
    }

    /// The key-value pairs of a mapping, in order.
    public var pairs: Zip2Sequence<Children, Children> { zip(keys, values) }

    /// A short name of the node's kind for messages: "a string", "a list", "a mapping".
    public var kindDescription: String {
        switch kind {
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .scalar:
            if isNull { return "nothing (null)" }
            if isQuoted { return "a string" }
            let text = scalar ?? ""
            if text == "true" || text == "false" { return "a boolean" }
            if Double(text) != nil { return "a number" }
            return "a string"
        }
    }

    /// The children of a container, as a random-access collection of nodes.
    public struct Children: RandomAccessCollection, Sendable {
        let storage: YAMLDocument.Storage
        let start: Int
        public let count: Int
        let stride: Int
        let offset: Int

        static func empty(_ storage: YAMLDocument.Storage) -> Children {
            Children(storage: storage, start: 0, count: 0, stride: 1, offset: 0)
        }

        public var startIndex: Int { 0 }
        public var endIndex: Int { count }
        public subscript(position: Int) -> YAMLNode {
            YAMLNode(storage: storage, index: storage.children[start + position * stride + offset])
        }
    }
}
