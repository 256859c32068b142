extension YAMLDocument {
    /// The document with one key of its root mapping left out, and that key's value.
    ///
    /// Every remaining node keeps its place in the file, so diagnostics about them still point at the lines
    /// as written. A document whose root is not a mapping, or lacks the key, is returned as it is.
    func removingRootKey(_ key: String) -> (document: YAMLDocument, value: YAMLNode?) {
        guard let root, root.kind == .mapping,
            let position = root.keys.firstIndex(where: { $0.kind == .scalar && $0.scalar == key })
        else { return (self, nil) }
        let value = root.values[position]
        let old = storage
        let rootIndex = Int(root.index)
        let start = Int(old.payload[rootIndex])
        let count = Int(old.counts[rootIndex])
        var children = old.children
        let newStart = children.count
        for pair in 0..<(count / 2) where pair != position {
            children.append(old.children[start + 2 * pair])
            children.append(old.children[start + 2 * pair + 1])
        }
        let newIndex = Int32(old.kinds.count)
        let storage = Storage(
            file: old.file, kinds: old.kinds + [.mapping], lines: old.lines + [old.lines[rootIndex]],
            columns: old.columns + [old.columns[rootIndex]], payload: old.payload + [Int32(newStart)],
            counts: old.counts + [Int32(count - 2)], scalars: old.scalars, quoted: old.quoted, children: children,
            tags: old.tags)
        return (YAMLDocument(storage: storage, rootIndex: newIndex), value)
    }
}
