/// A growable run of bytes in memory of its own, for writers that append many small pieces: an append is a
/// capacity check and a store (an array's also checks that its storage is unique and copies through a generic
/// path), and the bytes are handed on as a ``ByteBlock`` without being copied.
struct ByteBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ block: ByteBlock) { append(block.bytes) }

    mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        for byte in bytes { append(byte) }
    }

    mutating func insert(_ byte: UInt8, at index: Int) {
        precondition(index >= 0 && index <= count, "insertion point out of range")
        if count == capacity { grow(to: count + 1) }
        (base + index + 1).moveInitialize(from: base + index, count: count - index)
        base[index] = byte
        count += 1
    }

    /// Forgets the bytes, keeping the memory.
    mutating func removeAll() { count = 0 }

    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// The bytes, handed over as a block; the buffer starts again empty, with memory for `capacity` bytes.
    mutating func take(reserving capacity: Int) -> ByteBlock {
        let block = ByteBlock(base: base, count: count)
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
        count = 0
        return block
    }

    private mutating func grow(to needed: Int) {
        let larger = max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.moveInitialize(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }
}

/// Bytes taken from a ``ByteBuffer``, freed with the block; read-only, so it may cross threads.
final class ByteBlock: @unchecked Sendable {
    private let base: UnsafeMutablePointer<UInt8>
    let count: Int

    fileprivate init(base: UnsafeMutablePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    deinit { base.deallocate() }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
}
