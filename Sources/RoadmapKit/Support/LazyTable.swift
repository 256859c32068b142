import Dispatch

/// A dictionary given whole, or made the first time it is read and then kept: for the tables by id that the
/// passes over a large plan no longer read (they walk numbers), but that other commands and library users do.
/// Read from any thread; the making happens once, under a lock (so `make` must not read the table it makes).
final class LazyTable<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private var table: [Key: Value]?
    private var make: (@Sendable () -> [Key: Value])?

    init(_ table: [Key: Value]) { self.table = table }

    init(making make: @escaping @Sendable () -> [Key: Value]) { self.make = make }

    /// The table, given up by this object (left empty), so that the caller holds the only copy and can change
    /// it in place: for a `_modify` accessor that has checked that nothing else refers to this object.
    func takeValue() -> [Key: Value] {
        let made = value
        lock.wait()
        table = [:]
        lock.signal()
        return made
    }

    var value: [Key: Value] {
        lock.wait()
        defer { lock.signal() }
        if let table { return table }
        let made = make?() ?? [:]
        table = made
        make = nil
        return made
    }
}
