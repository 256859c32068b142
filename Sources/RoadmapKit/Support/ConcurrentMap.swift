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

/// `first` and `second` run at once, on two threads, for two large pieces of work that share nothing.
func concurrently<A: Sendable, B: Sendable>(_ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (A, B) {
    let results: [ConcurrentPair<A, B>] = .concurrentMap(2) { index in index == 0 ? .first(first()) : .second(second()) }
    guard case .first(let a) = results[0], case .second(let b) = results[1] else { preconditionFailure("results out of order") }
    return (a, b)
}

/// One of the two results of ``concurrently(_:_:)``.
private enum ConcurrentPair<A: Sendable, B: Sendable>: Sendable {
    case first(A)
    case second(B)
}

extension Array where Element: Sendable {
    /// `make(i)` for each `i` of `0..<count`, in order, made in `parts` runs of about equal length at once (on all
    /// cores), each element straight into its own slot.
    init(count: Int, parts: Int, making make: @Sendable (Int) -> Element) {
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            // Each run writes its own slots only.
            nonisolated(unsafe) let slots = buffer
            let runs = Swift.max(1, Swift.min(parts, count))
            DispatchQueue.concurrentPerform(iterations: runs) { run in
                for index in (count * run / runs)..<(count * (run + 1) / runs) {
                    (slots.baseAddress! + index).initialize(to: make(index))
                }
            }
            initialized = count
        }
    }
}
