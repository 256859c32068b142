import Dispatch

extension Array {
    /// `transform` of each of `0..<count`, run on all cores, with the results in index order: for a few large
    /// independent pieces of work whose outcome must not depend on which finishes first.
    static func concurrentMap(_ count: Int, _ transform: @Sendable (Int) -> Element) -> [Element] where Element: Sendable {
        var results = [Element?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each iteration writes its own slot only.
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: count) { index in slots[index] = transform(index) }
        }
        return results.map { $0! }
    }
}
