/// The kinds of YAML file roadmap reads, told apart by their shape.
public enum FileKind: String, Sendable, CaseIterable {
    case roadmap, plugin, profile, journal

    /// A list is a journal; a mapping with `plugin:` a plugin, with `stages:` or `modules:` a roadmap, and
    /// any other mapping a profile. Nil for an empty file or a lone scalar.
    public static func detect(_ document: YAMLDocument) -> FileKind? {
        guard let root = document.root else { return nil }
        switch root.kind {
        case .sequence: return .journal
        case .scalar: return nil
        case .mapping:
            let keys = Set(root.keys.compactMap(\.scalar))
            if keys.contains("plugin") { return .plugin }
            if keys.contains("stages") || keys.contains("modules") { return .roadmap }
            return .profile
        }
    }
}
