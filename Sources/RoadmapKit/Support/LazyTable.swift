import Dispatch

/// A dictionary given whole, or made the first time it is read and then kept: for the tables by id that the
/// passes over a large plan no longer read (they walk numbers), but that other commands and library users do.
/// A value type: copies share the table until one of them changes it.
struct LazyTable<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private var storage: Storage

    init(_ table: [Key: Value]) { storage = Storage(table: table) }

    init(making make: @escaping @Sendable () -> [Key: Value]) { storage = Storage(make: make) }

    /// The table, made on first read. A change gives this value a table of its own, changed in place when no
    /// copy shares it (a subscript write would otherwise copy the whole table).
    var value: [Key: Value] {
        get { storage.value }
        set { storage = Storage(table: newValue) }
        _modify {
            var table = isKnownUniquelyReferenced(&storage) ? storage.take() : storage.value
            defer { storage = Storage(table: table) }
            yield &table
        }
    }

    /// Read from any thread; the making happens once, under a lock (so `make` must not read the table it makes).
    private final class Storage: @unchecked Sendable {
        private let lock = DispatchSemaphore(value: 1)
        private var table: [Key: Value]?
        private var make: (@Sendable () -> [Key: Value])?

        init(table: [Key: Value]) { self.table = table }

        init(make: @escaping @Sendable () -> [Key: Value]) { self.make = make }

        var value: [Key: Value] {
            lock.wait()
            defer { lock.signal() }
            if let table { return table }
            let made = make?() ?? [:]
            table = made
            make = nil
            return made
        }

        /// The table, given up (this storage is left empty) so that the caller holds the only copy.
        func take() -> [Key: Value] {
            let made = value
            lock.wait()
            table = [:]
            lock.signal()
            return made
        }
    }
}
