public import SluiceModel
import Synchronization

/// The deny policies in force at a gateway, swapped as a whole when an administrator changes one. The throttle
/// handler reads one atomic flag per call and, only while some condition is enabled, the current
/// ``BlockingConditionSet`` under one short lock, as requests read the deployment snapshot
/// (`DeploymentSnapshotStore`). A set is a value: a reader keeps the one it read while another replaces it.
public final class BlockingConditionRegistry: Sendable {
    private let conditions = Mutex(BlockingConditionSet.empty)
    private let active = Atomic<Bool>(false)

    /// Creates a registry with no condition.
    public init() {}

    /// Whether some condition is enabled: the per-call gate.
    public var isActive: Bool { active.load(ordering: .acquiring) }

    /// The conditions in force.
    public var current: BlockingConditionSet { conditions.withLock { $0 } }

    /// Replaces every condition (the enabled ones apply from the next call).
    public func replace(with list: [BlockingCondition]) {
        let set = BlockingConditionSet(list)
        conditions.withLock { conditions in
            conditions = set
            active.store(!set.isEmpty, ordering: .releasing)
        }
    }
}
