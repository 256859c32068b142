import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The plan as JSON, with the same snake_case names as the YAML formats.
///
/// The output is what `JSONEncoder` gives with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`
/// (two-space indents, `"key" : value`, keys in UTF-8 order, absent optionals left out, numbers as Swift
/// prints them without a trailing `.0`), written directly into one byte buffer: building the encoder's tree
/// of boxed values took most of the time and memory of a large plan.
public struct PlanJSONRenderer: Sendable {
    /// Items, and weeks, from this many on are written on all cores.
    var concurrentElementsFrom = 4_000
    /// Items written at once when on all cores (a few megabytes of JSON).
    var itemBlock = 4_096

    public init() {}

    public func render(_ plan: Plan) throws -> String {
        var out = JSONOutput()
        write(plan, to: &out)
        out.raw("\n")
        return out.finish()
    }

    /// The same text as ``render(_:)``, handed to `sink` in pieces of about `pieceSize` bytes (a megabyte), or of
    /// a block of items written on another core, instead of returned whole: a plan of 100,000 modules is over
    /// 100 MB of JSON. A large plan's pieces may be handed over on another thread than the caller's, one at a
    /// time and in order, while the next block is written.
    public func write(_ plan: Plan, pieceSize: Int = 1 << 20, to sink: (UnsafeRawBufferPointer) -> Void) {
        withoutActuallyEscaping(sink) { sink in
            var out = JSONOutput(sink: sink, chunkSize: max(1, pieceSize))
            write(plan, to: &out)
            out.raw("\n")
            out.flush()
        }
    }

    static func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    private func write(_ plan: Plan, to out: inout JSONOutput) {
        let roadmap = plan.composition.roadmap
        let profile = plan.profile
        let numbers = plan.itemNumbers
        out.openObject()
        // items
        out.key("items")
        out.openArray(isEmpty: plan.items.isEmpty)
        // Items are large values: read their fields in place rather than copying each one.
        plan.items.withUnsafeBufferPointer { items in
            nonisolated(unsafe) let shared = items
            writeElements(items.count, state: ChainFinder(plan), to: &out) { position, chains, out in
                Self.writeItem(shared, position, numbers, chains: &chains, to: &out)
            }
        }
        out.closeArray(isEmpty: plan.items.isEmpty)
        // milestones
        out.key("milestones")
        out.openArray(isEmpty: plan.milestones.isEmpty)
        for milestone in plan.milestones {
            out.element()
            out.openObject()
            out.key("date"); out.date((milestone.date))
            out.key("stage"); out.string(milestone.stage.id)
            out.key("title"); out.string(milestone.stage.title)
            out.key("week"); out.int(milestone.week)
            out.closeObject()
        }
        out.closeArray(isEmpty: plan.milestones.isEmpty)
        // plugins
        let plugins = plan.plugins
        out.key("plugins")
        out.openArray(isEmpty: plugins.isEmpty)
        for plugin in plugins {
            out.element()
            let reason: String?
            switch plan.composition.reasons[plugin.name] {
            case .chosen: reason = "chosen"
            case .requiredBy(let other): reason = "required by \(other)"
            case .roadmap, nil: reason = nil
            }
            writePackage(plugin, reason: reason, to: &out)
        }
        out.closeArray(isEmpty: plugins.isEmpty)
        // profile
        out.key("profile")
        out.openObject()
        if let current = profile.currentStage { out.key("current_stage"); out.string(current.value) }
        if let deadline = profile.deadline { out.key("deadline"); out.date((deadline.value)) }
        out.key("hours_per_week"); out.double(profile.hoursPerWeek.value)
        out.key("include_optional"); out.bool(profile.includeOptional)
        out.key("max_parallel"); out.int(profile.maxParallel.value)
        if let name = profile.name { out.key("name"); out.string(name) }
        out.key("roadmap"); out.string(profile.roadmap.value)
        let specializations = plugins.filter { plan.composition.reasons[$0.name] == .chosen }
        out.key("specializations")
        out.openArray(isEmpty: specializations.isEmpty)
        for plugin in specializations {
            out.element()
            out.string(plugin.name)
        }
        out.closeArray(isEmpty: specializations.isEmpty)
        out.key("start"); out.date((profile.start.value))
        out.key("target_stage"); out.string(profile.targetStage.value)
        out.closeObject()
        // roadmap
        out.key("roadmap")
        writePackage(roadmap, reason: nil, to: &out)
        // summary
        let feasibility = plan.feasibility
        out.key("summary")
        out.openObject()
        if let feasibility {
            out.key("deadline"); out.date((feasibility.deadline))
            out.key("drop_to_meet_deadline")
            out.openArray(isEmpty: feasibility.modulesToDrop.isEmpty)
            for id in feasibility.modulesToDrop {
                out.element()
                out.moduleID(id)
            }
            out.closeArray(isEmpty: feasibility.modulesToDrop.isEmpty)
            out.key("feasible"); out.bool(feasibility.holds)
        }
        out.key("finish_date"); out.date((plan.finishDate))
        if let highest = feasibility?.highestStageByDeadline { out.key("highest_stage_by_deadline"); out.string(highest) }
        out.key("lower_bound_weeks"); out.int(plan.lowerBoundWeeks)
        if let feasibility { out.key("margin_weeks"); out.int(feasibility.marginWeeks) }
        out.key("modules"); out.int(plan.items.count)
        if let moved = plan.movedModules { out.key("moved_modules"); out.int(moved) }
        if let required = feasibility?.requiredHoursPerWeek { out.key("required_hours_per_week"); out.double(required) }
        out.key("today"); out.date((plan.today))
        out.key("total_hours"); out.double(Self.round(plan.totalHours))
        out.key("weeks"); out.int(plan.finishWeek)
        out.closeObject()
        // weeks
        out.key("weeks")
        out.openArray(isEmpty: plan.weeks.isEmpty)
        let weeks = plan.weeks
        writeElements(weeks.count, state: (), to: &out) { position, _, out in
            let week = weeks[position]
            out.element()
            out.openObject()
            out.key("allocations")
            out.openArray(isEmpty: week.allocations.isEmpty)
            for allocation in week.allocations {
                out.element()
                out.openObject()
                out.key("hours"); out.double(Self.round(allocation.hours))
                out.key("id"); out.moduleID(allocation.module)
                out.closeObject()
            }
            out.closeArray(isEmpty: week.allocations.isEmpty)
            out.key("hours"); out.double(Self.round(week.hours))
            out.key("start_date"); out.date((week.startDate))
            out.key("week"); out.int(week.week)
            out.closeObject()
        }
        out.closeArray(isEmpty: plan.weeks.isEmpty)
        out.closeObject()
    }

    /// Writes the `count` elements of the array `out` is in, `write(position, &state, &out)` each. From
    /// `concurrentElementsFrom` elements on, a block at a time on all cores, each part into a buffer of its own
    /// with its own copy of `state`, the buffers appended in order: the same bytes as one element after another.
    /// The buffers of one block are appended (and so handed to the sink) while the next block is written.
    private func writeElements<State: Sendable>(
        _ count: Int, state: State, to out: inout JSONOutput,
        _ write: @Sendable (Int, inout State, inout JSONOutput) -> Void
    ) {
        // Four parts a core, so that the cores come out even at the end of each block with the writing beside.
        let parts = count >= concurrentElementsFrom ? 4 * max(2, ProcessInfo.processInfo.activeProcessorCount) : 1
        guard parts > 1 else {
            var state = state
            for position in 0..<count { write(position, &state, &out) }
            return
        }
        let (indent, first) = (out.indent, out.first)
        var start = 0
        var written: [ByteBlock] = []
        while start < count || !written.isEmpty {
            let end = min(count, start + max(1, itemBlock))
            let step = max(1, (end - start + parts - 1) / parts)
            let ranges = stride(from: start, to: end, by: step).map { $0..<min(end, $0 + step) }
            let (toAppend, isFirstBlock) = (written, start == 0)
            written = withUnsafeMutablePointer(to: &out) { pointer in
                // One more piece of work than parts, taken first: appending the block before, the only one that
                // touches `out`.
                nonisolated(unsafe) let output = pointer
                let blocks: [ByteBlock?] = .concurrentMap(ranges.count + 1) { iteration in
                    guard iteration > 0 else {
                        for block in toAppend { output.pointee.append(block) }
                        return nil
                    }
                    let part = iteration - 1
                    var local = JSONOutput(continuingAt: indent, first: first && isFirstBlock && part == 0)
                    var state = state
                    for position in ranges[part] { write(position, &state, &local) }
                    return local.take()
                }
                return blocks.compactMap { $0 }
            }
            start = end
        }
    }

    private static func writeItem(
        _ items: UnsafeBufferPointer<PlanItem>, _ position: Int, _ numbers: [Int]?, chains: inout ChainFinder,
        to out: inout JSONOutput
    ) {
        out.element()
        out.openObject()
        out.key("critical"); out.bool(items[position].critical)
        out.key("end_date"); out.date((items[position].endDate))
        out.key("end_week"); out.int(items[position].endWeek)
        out.key("estimate_hours"); out.double(Self.round(items[position].module.hours))
        out.key("hours"); out.double(Self.round(items[position].hours))
        out.key("hours_by_week")
        out.openArray(isEmpty: items[position].hoursByWeek.isEmpty)
        for week in items[position].hoursByWeek {
            out.element()
            out.openObject()
            out.key("hours"); out.double(Self.round(week.hours))
            out.key("week"); out.int(week.week)
            out.closeObject()
        }
        out.closeArray(isEmpty: items[position].hoursByWeek.isEmpty)
        out.key("id"); out.moduleID(items[position].id)
        out.key("in_progress"); out.bool(items[position].inProgress)
        out.key("kind"); out.string(items[position].module.kind.rawValue)
        out.key("logged_hours"); out.double(Self.round(items[position].loggedHours))
        out.key("optional"); out.bool(items[position].module.optional)
        out.key("package"); out.string(items[position].id.package)
        out.key("requires")
        out.openArray(isEmpty: items[position].requires.isEmpty)
        for requirement in items[position].requires {
            out.element()
            out.moduleID(requirement)
        }
        out.closeArray(isEmpty: items[position].requires.isEmpty)
        out.key("slack_weeks"); out.int(items[position].slackWeeks)
        out.key("stage"); out.string(items[position].stage.id)
        out.key("start_date"); out.date((items[position].startDate))
        out.key("start_week"); out.int(items[position].startWeek)
        out.key("title"); out.string(items[position].module.title)
        if let track = items[position].module.track { out.key("track"); out.string(track) }
        out.key("why")
        chains.write(for: items[position].id, number: numbers?[position], limit: 3, to: &out)
        out.closeObject()
    }

    private func writePackage(_ package: Package, reason: String?, to out: inout JSONOutput) {
        out.openObject()
        out.key("id"); out.string(package.name)
        if let reason { out.key("reason"); out.string(reason) }
        out.key("title"); out.string(package.title)
        out.key("version"); out.string(package.version.description)
        out.closeObject()
    }
}

/// The "why" chains of items, as ``Explainer/chains(for:limit:)`` finds them (the same breadth-first search
/// upwards through "required by" causes, in the same order, with the same bounds), written straight into the
/// output: paths are kept as links to the node they extend rather than copied arrays. With the scope's causes
/// by module number, the search follows numbers instead of looking each id up.
struct ChainFinder {
    let causes: [ModuleID: [InclusionCause]]
    /// The causes by number and the id of each number, when the plan has them.
    let numbered: (causes: NumberedCauses, ids: [ModuleID])?
    private var nodes: [(key: ModuleID, next: Int)] = []
    private var numberNodes: [(key: Int, next: Int)] = []
    private var found: [(root: InclusionCause, node: Int)] = []

    init(causes: [ModuleID: [InclusionCause]], numbered: (causes: NumberedCauses, ids: [ModuleID])? = nil) {
        self.causes = causes
        self.numbered = numbered
    }

    /// The plan's causes by number when it numbers its items, else its causes by id (a table made when first
    /// read, so it is not asked for when the numbers will do).
    init(_ plan: Plan) {
        if plan.itemNumbers != nil, let numbered = plan.scope.numberedCauses {
            self.init(causes: [:], numbered: (numbered, plan.composition.declarationOrder))
        } else {
            self.init(causes: plan.scope.causes)
        }
    }

    /// Writes the chains of the module `id`, whose number is `number` when the plan numbers its items.
    mutating func write(for id: ModuleID, number: Int?, limit: Int, to out: inout JSONOutput) {
        if let numbered, let number {
            // A module's causes by number are its own root, then `.gap`, then "required by" each of its parents.
            let causes = numbered.causes
            Self.search(from: number, limit: limit, nodes: &numberNodes, found: &found) { current, root, parent in
                if let own = causes.primary[current] { root(own) }
                if causes.gap[current] { root(.gap) }
                for k in causes.parentStarts[current]..<causes.parentStarts[current + 1] { parent(causes.parents[k]) }
            }
            let (ids, nodes) = (numbered.ids, numberNodes)
            writeFound(to: &out) { node, out in out.escapedModuleID(ids[nodes[node].key]) } next: { nodes[$0].next }
        } else {
            let causes = causes
            Self.search(from: id, limit: limit, nodes: &nodes, found: &found) { current, root, parent in
                for cause in causes[current] ?? [] {
                    if case .requiredBy(let other) = cause { parent(other) } else { root(cause) }
                }
            }
            let nodes = nodes
            writeFound(to: &out) { node, out in out.escapedModuleID(nodes[node].key) } next: { nodes[$0].next }
        }
    }

    /// The breadth-first search upwards from `start`, by id or by number: `expand` gives a module's causes in
    /// order, each root to `root` and each "required by" module to `parent`; a parent already on the path down to
    /// the item is passed over, and the search stops at `limit` roots or 10,000 modules.
    private static func search<Key: Equatable>(
        from start: Key, limit: Int, nodes: inout [(key: Key, next: Int)], found: inout [(root: InclusionCause, node: Int)],
        expand: (Key, _ root: (InclusionCause) -> Void, _ parent: (Key) -> Void) -> Void
    ) {
        nodes.removeAll(keepingCapacity: true)
        found.removeAll(keepingCapacity: true)
        nodes.append((start, -1))
        var head = 0
        var expanded = 0
        while head < nodes.count, found.count < limit, expanded < 10_000 {
            let node = head
            head += 1
            expanded += 1
            expand(nodes[node].key) { cause in
                if found.count < limit { found.append((cause, node)) }
            } _: { parent in
                var current = node
                while current >= 0 {
                    if nodes[current].key == parent { return }
                    current = nodes[current].next
                }
                nodes.append((parent, node))
            }
        }
    }

    /// Writes the chains found, each from its root down to the item; `writeID` writes a node's id.
    private func writeFound(
        to out: inout JSONOutput, writeID: (Int, inout JSONOutput) -> Void, next: (Int) -> Int
    ) {
        out.openArray(isEmpty: found.isEmpty)
        for (root, node) in found {
            out.element()
            out.quote()
            switch root {
            case .stageTarget(let stage):
                out.raw("stage '")
                out.escaped(stage)
                out.raw("'")
            case .plugin(let plugin):
                out.raw("plugin '")
                out.escaped(plugin)
                out.raw("'")
            case .gap:
                out.raw("gaps in the profile")
            case .requiredBy(let other):
                out.escapedModuleID(other)
            }
            var current = node
            while current >= 0 {
                out.raw(" -> ")
                writeID(current, &out)
                current = next(current)
            }
            out.quote()
        }
        out.closeArray(isEmpty: found.isEmpty)
    }
}

/// A pretty-printed JSON writer into one byte buffer, formatted exactly as Foundation's `JSONEncoder` does.
///
/// Bytes go to a buffer that, every megabyte or so, is handed to the sink when there is one, or else set aside
/// as a chunk; ``finish()`` copies the chunks into a string of exactly the right size, freeing each as it goes.
struct JSONOutput: ~Copyable {
    private var bytes: ByteBuffer
    private var chunks: [ByteBlock] = []
    /// Where full buffers go instead of `chunks`.
    private let sink: ((UnsafeRawBufferPointer) -> Void)?
    private var total = 0
    private(set) var indent = 0
    /// Whether the next key or element is the first of its container.
    private(set) var first = true
    /// The size of a chunk, or of a piece handed to the sink.
    private let chunkSize: Int
    private static let spaces: StaticString = "                                                                "

    init(sink: ((UnsafeRawBufferPointer) -> Void)? = nil, chunkSize: Int = 1 << 20) {
        self.sink = sink
        self.chunkSize = chunkSize
        bytes = ByteBuffer(capacity: min(chunkSize, 1 << 24) + 4096)
    }

    /// A buffer for a run of values inside a container that another output is writing, at its depth: written
    /// on another thread, then given to ``append(_:)`` of that output. It keeps all its bytes.
    init(continuingAt indent: Int, first: Bool) {
        self.sink = nil
        self.chunkSize = Int.max
        self.indent = indent
        self.first = first
        bytes = ByteBuffer(capacity: 1 << 20)
    }

    /// What a buffer made by ``init(continuingAt:first:)`` holds, for ``append(_:)``.
    mutating func take() -> ByteBlock { bytes.take(reserving: 16) }

    /// Appends what a buffer made by ``init(continuingAt:first:)`` for this output's current container holds.
    mutating func append(_ written: ByteBlock) {
        guard written.count > 0 else { return }
        first = false
        // With a sink, the block is handed over as it is, after what is buffered, rather than copied.
        if let sink {
            flush()
            sink(UnsafeRawBufferPointer(written.bytes))
            return
        }
        bytes.append(written)
        flushIfFull()
    }

    /// Hands what is buffered to the sink.
    mutating func flush() {
        guard let sink else { return }
        bytes.withUnsafeBytes { sink($0) }
        bytes.removeAll()
    }

    /// The text written, as one string.
    mutating func finish() -> String {
        total += bytes.count
        chunks.append(bytes.take(reserving: 16))
        // Last first, so that each chunk is freed as soon as it is copied.
        var chunks = Array(self.chunks.reversed())
        self.chunks = []
        return String(unsafeUninitializedCapacity: total) { buffer in
            var offset = 0
            while let chunk = chunks.popLast() {
                let bytes = chunk.bytes
                _ = UnsafeMutableBufferPointer(rebasing: buffer[offset..<(offset + bytes.count)]).initialize(from: bytes)
                offset += bytes.count
            }
            return offset
        }
    }

    /// Sets the buffer aside as a chunk when it is full; called between values.
    private mutating func flushIfFull() {
        guard bytes.count >= chunkSize else { return }
        guard sink == nil else { return flush() }
        total += bytes.count
        chunks.append(bytes.take(reserving: chunkSize + 4096))
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append($0) }
    }

    mutating func quote() { bytes.append(UInt8(ascii: "\"")) }

    private mutating func newlineAndIndent() {
        flushIfFull()
        bytes.append(UInt8(ascii: "\n"))
        var left = indent * 2
        // From a static string: a slice of a static array is retained and released on every line.
        Self.spaces.withUTF8Buffer { spaces in
            while left > 0 {
                let step = min(left, spaces.count)
                bytes.append(UnsafeBufferPointer(rebasing: spaces[0..<step]))
                left -= step
            }
        }
    }

    /// A day as a quoted `YYYY-MM-DD`, as ``CalendarDate/description`` writes it (years 1 to 9999).
    mutating func date(_ date: CalendarDate) {
        let (y, m, d) = date.components
        guard (1...9999).contains(y) else {
            string(date.description)
            return
        }
        let zero = UInt8(ascii: "0")
        bytes.append(UInt8(ascii: "\""))
        bytes.append(zero + UInt8(y / 1000))
        bytes.append(zero + UInt8(y / 100 % 10))
        bytes.append(zero + UInt8(y / 10 % 10))
        bytes.append(zero + UInt8(y % 10))
        bytes.append(UInt8(ascii: "-"))
        bytes.append(zero + UInt8(m / 10))
        bytes.append(zero + UInt8(m % 10))
        bytes.append(UInt8(ascii: "-"))
        bytes.append(zero + UInt8(d / 10))
        bytes.append(zero + UInt8(d % 10))
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func openObject() {
        bytes.append(UInt8(ascii: "{"))
        indent += 1
        first = true
    }

    mutating func closeObject() {
        indent -= 1
        newlineAndIndent()
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    /// Opens an array; an empty one is written `[`, a blank line and `]`, as the encoder does.
    mutating func openArray(isEmpty: Bool) {
        bytes.append(UInt8(ascii: "["))
        indent += 1
        first = true
        if isEmpty { bytes.append(UInt8(ascii: "\n")) }
    }

    mutating func closeArray(isEmpty: Bool) {
        indent -= 1
        newlineAndIndent()
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    /// Starts an element of an array.
    mutating func element() {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        newlineAndIndent()
    }

    /// Starts a member of an object: the key and ` : `.
    mutating func key(_ name: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        newlineAndIndent()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append($0) }
        raw("\" : ")
    }

    mutating func bool(_ value: Bool) {
        if value { raw("true") } else { raw("false") }
    }

    mutating func int(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            // Int.min has no positive counterpart; let the standard library spell it.
            if value == Int.min {
                bytes.append(contentsOf: String(value).utf8.dropFirst())
                return
            }
        }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
            UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(UnsafeBufferPointer(rebasing: buffer.bindMemory(to: UInt8.self)[(20 - count)...]))
        }
    }

    /// A number as the encoder writes a `Double`: its `description`, less a trailing `.0`.
    mutating func double(_ value: Double) {
        if value == value.rounded(), value.magnitude < 1e15 {
            int(Int(value))
            if value == 0, value.sign == .minus {
                // -0.0 prints as "-0"; `int` wrote "0".
                bytes.insert(UInt8(ascii: "-"), at: bytes.count - 1)
            }
            return
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    mutating func moduleID(_ id: ModuleID) {
        bytes.append(UInt8(ascii: "\""))
        escapedModuleID(id)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `PACKAGE/ID`, escaped, without quotes.
    mutating func escapedModuleID(_ id: ModuleID) {
        escaped(id.package)
        bytes.append(UInt8(ascii: "/"))
        escaped(id.name)
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        escaped(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// The text with `"`, `\` and control characters escaped as the encoder does; `/` is left alone.
    mutating func escaped(_ value: String) {
        // Native strings lend their bytes in place; copying the string to call `withUTF8` cost a retain and a
        // release per string written.
        if value.utf8.withContiguousStorageIfAvailable({ escaped(utf8: $0) }) != nil { return }
        var text = value
        text.withUTF8 { escaped(utf8: $0) }
    }

    private mutating func escaped(utf8: UnsafeBufferPointer<UInt8>) {
        if Self.needsNoEscape(utf8) { return bytes.append(utf8) }
        var mark = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            bytes.append(UnsafeBufferPointer(rebasing: utf8[mark..<index]))
            mark = index + 1
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            }
        }
        bytes.append(UnsafeBufferPointer(rebasing: utf8[mark...]))
    }

    /// Whether no byte of `utf8` is a control character, `"` or `\`, looked at eight bytes at a time: the
    /// common case of ids, titles and dates, copied whole.
    @inline(__always)
    static func needsNoEscape(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = utf8.baseAddress.map(UnsafeRawPointer.init) else { return true }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // Exact tests for "some byte is below n" (n <= 128) and "some byte is zero", from the bit-twiddling hacks.
        @inline(__always) func hasByteBelow(_ word: UInt64, _ n: UInt64) -> Bool { (word &- ones &* n) & ~word & highs != 0 }
        var offset = 0
        while offset + 8 <= utf8.count {
            let word = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            if hasByteBelow(word, 0x20) || hasByteBelow(word ^ (ones &* 0x22), 1) || hasByteBelow(word ^ (ones &* 0x5C), 1) {
                return false
            }
            offset += 8
        }
        while offset < utf8.count {
            let byte = utf8[offset]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            offset += 1
        }
        return true
    }
}
