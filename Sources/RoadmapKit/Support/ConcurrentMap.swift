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
