import Synchronization

/// Adds up the comparisons API searches make, so a test can hold search to a work budget rather than a time.
package final class SearchWorkCounter: Sendable {
    private let total = Atomic<Int>(0)

    /// Creates a counter at zero.
    package init() {}

    /// Comparisons counted so far.
    package var comparisons: Int { total.load(ordering: .relaxed) }

    func add(_ steps: Int) {
        total.add(steps, ordering: .relaxed)
    }
}
