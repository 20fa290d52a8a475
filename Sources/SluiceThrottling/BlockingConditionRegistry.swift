public import SluiceModel
import Synchronization

/// The deny policies in force at a gateway, swapped as a whole when an administrator changes one. The throttle
/// handler reads one atomic flag per call and, only while some condition is enabled, the current
/// ``BlockingConditionSet`` through an atomic reference: no lock on the request path.
///
/// A reader loads the reference and uses the set without retaining it first, so a replaced set must outlive any
/// reader still holding it: the registry keeps every set it published. Sets change only when an administrator
/// changes a deny policy, so this is a handful of small values over a node's life.
public final class BlockingConditionRegistry: Sendable {
    private final class Snapshot: Sendable {
        let set: BlockingConditionSet
        init(_ set: BlockingConditionSet) { self.set = set }
    }

    private let published: Atomic<Unmanaged<Snapshot>>
    /// Every snapshot published, kept alive for the readers (see above); also serializes writers.
    private let history: Mutex<[Snapshot]>
    private let active = Atomic<Bool>(false)

    /// Creates a registry with no condition.
    public init() {
        let first = Snapshot(.empty)
        history = Mutex([first])
        published = Atomic(Unmanaged.passUnretained(first))
    }

    /// Whether some condition is enabled: the per-call gate.
    public var isActive: Bool { active.load(ordering: .acquiring) }

    /// The conditions in force.
    public var current: BlockingConditionSet {
        published.load(ordering: .acquiring).takeUnretainedValue().set
    }

    /// Replaces every condition (the enabled ones apply from the next call).
    public func replace(with list: [BlockingCondition]) {
        let snapshot = Snapshot(BlockingConditionSet(list))
        history.withLock { history in
            history.append(snapshot)
            published.store(Unmanaged.passUnretained(snapshot), ordering: .releasing)
            active.store(!snapshot.set.isEmpty, ordering: .releasing)
        }
    }
}
