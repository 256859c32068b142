/// Every plugin on the catalog path, each copy of it, and the copy that wins: `plugin list`.
///
/// The copy that wins is the one ``Catalog/best(_:satisfying:)`` picks: the highest version, and among
/// equal versions the first on the path (`--catalog` folders, then `ROADMAP_PATH`, then the bundled catalog).
public struct PluginListing: Sendable {
    public struct Copy: Sendable {
        public var package: Package
        /// Whether this copy is the one plans use (unless a version requirement picks an older one).
        public var wins: Bool
        /// Why a copy that does not win is passed over.
        public var passedOver: String?
    }

    public struct Entry: Sendable {
        public var id: String
        /// The winning copy first, then the others in the order they are found.
        public var copies: [Copy]
        public var winner: Package { copies[0].package }
    }

    /// Sorted by id.
    public var entries: [Entry]

    public init(catalog: Catalog) {
        var ids: [String] = []
        for plugin in catalog.plugins where !ids.contains(plugin.name) { ids.append(plugin.name) }
        entries = ids.sorted().compactMap { id in
            guard let best = catalog.best(id) else { return nil }
            let copies = catalog.packages.filter { $0.name == id && $0.kind == .plugin }
            var result = [Copy(package: best, wins: true, passedOver: nil)]
            for copy in copies where copy.file != best.file {
                let reason = copy.version < best.version
                    ? "\(best.version) is newer"
                    : copy.version == best.version ? "the same version is found earlier on the path" : "not chosen"
                result.append(Copy(package: copy, wins: false, passedOver: reason))
            }
            return Entry(id: id, copies: result)
        }
    }

    /// The listing as a table, with a line for each copy that does not win.
    public func text() -> String {
        guard !entries.isEmpty else { return "no plugins on the catalog path\n" }
        var rows: [[String]] = [["ID", "VERSION", "MODULES", "HOURS", "TITLE", "FOUND IN"]]
        for entry in entries {
            for copy in entry.copies {
                let package = copy.package
                let hours = package.modules.reduce(0) { $0 + $1.hours }
                let origin = PluginWorkspace.describe(package.root?.origin)
                var found = "\(package.file) (\(origin))"
                if let reason = copy.passedOver { found += ", not used: \(reason)" }
                rows.append([
                    copy.wins ? entry.id : "", package.version.description, String(package.modules.count),
                    AuthoringText.hours(hours), copy.wins ? package.title : "", found,
                ])
            }
        }
        var lines = AuthoringText.table(rows, right: [2, 3])
        let shadowed = entries.filter { $0.copies.count > 1 }.count
        lines.append("")
        var closing = AuthoringText.plural(entries.count, "plugin")
        if shadowed > 0 { closing += ", \(shadowed) with more than one copy" }
        closing += ". Where there are several copies, the highest version wins; among equal versions, the first on the path (--catalog, then ROADMAP_PATH, then the bundled catalog)."
        lines += AuthoringText.wrap(closing, width: 100, indent: "")
        return lines.joined(separator: "\n") + "\n"
    }
}
