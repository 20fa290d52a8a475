import NIOConcurrencyHelpers
public import SluiceModel
import Synchronization

/// The deny policies in force at a gateway, swapped as a whole when an administrator changes one: the throttle
/// handler reads one atomic flag per call and, only while some condition is enabled, the current
/// ``BlockingConditionSet``.
public final class BlockingConditionRegistry: Sendable {
    private let conditions = NIOLockedValueBox(BlockingConditionSet.empty)
    private let active = Atomic<Bool>(false)

    /// Creates a registry with no condition.
    public init() {}

    /// Whether some condition is enabled: the per-call gate.
    public var isActive: Bool { active.load(ordering: .acquiring) }

    /// The conditions in force.
    public var current: BlockingConditionSet { conditions.withLockedValue { $0 } }

    /// Replaces every condition (the enabled ones apply from the next call).
    public func replace(with list: [BlockingCondition]) {
        let set = BlockingConditionSet(list)
        conditions.withLockedValue { current in
            current = set
            active.store(!set.isEmpty, ordering: .releasing)
        }
    }
}
