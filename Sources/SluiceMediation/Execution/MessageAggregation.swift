import NIOCore
import SluiceModel

/// The groups an exchange's `aggregate` mediators are collecting, kept by the exchange (no state is shared between
/// requests, so no lock). Pure: the gateway starts the timer a new group asks for and calls `expire` when it fires.
public struct MessageAggregation: Sendable {
    /// One group: an aggregate mediator and a correlation.
    public struct Key: Hashable, Sendable {
        let aggregator: ObjectIdentifier
        let correlation: String
    }

    public enum Outcome: Sendable {
        /// Kept. For a new group with a `completeCondition timeout`, `timer` says when to call `expire(_:)`.
        case collected(timer: (key: Key, after: TimeAmount)?)
        /// The group is complete: run this merged message; its execution is at the start of `onComplete`.
        case completed(MessageBranch)
        /// The group completed earlier (count or timeout): the message is dropped, as in Synapse.
        case late
    }

    private struct Group: Sendable {
        let aggregator: CompiledAggregateMediator
        var branches: [MessageBranch]
        let expected: Int?
        /// `min`/`max` for this group (0 or below: none), evaluated on its first message.
        let minimum: Int
        let maximum: Int

        var isComplete: Bool {
            let count = branches.count
            if let expected, count >= expected { return true }
            if minimum > 0 && count >= minimum { return true }
            return maximum > 0 && count >= maximum
        }
    }

    private var groups: [Key: Group] = [:]
    private var completed: Set<Key> = []

    public init() {}

    /// True while a group waits for more messages.
    public var isWaiting: Bool { !groups.isEmpty }

    /// Adds the message of `branch` (whose execution stands after the aggregate) to its group.
    /// - Throws: `MediationFault` when merging a complete group fails.
    public mutating func add(_ contribution: AggregateContribution, _ branch: MessageBranch) throws(MediationFault) -> Outcome {
        let aggregator = contribution.aggregator
        let key = Key(aggregator: ObjectIdentifier(aggregator.identity), correlation: contribution.correlation)
        if completed.contains(key) { return .late }
        var timer: (key: Key, after: TimeAmount)?
        var group: Group
        if let existing = groups.removeValue(forKey: key) {
            group = existing
        } else {
            let limits = try aggregator.limits(for: branch.context)
            group = Group(
                aggregator: aggregator,
                branches: [],
                expected: aggregator.expectedCount(branch.context),
                minimum: limits.minimum,
                maximum: limits.maximum
            )
            if let timeout = aggregator.timeout { timer = (key, timeout) }
        }
        group.branches.append(branch)
        if group.isComplete {
            completed.insert(key)
            return .completed(try Self.complete(group))
        }
        groups[key] = group
        return .collected(timer: timer)
    }

    /// The group's timeout passed: completes it with what arrived, or nil when it had completed already.
    public mutating func expire(_ key: Key) throws(MediationFault) -> MessageBranch? {
        guard let group = groups.removeValue(forKey: key) else { return nil }
        completed.insert(key)
        return try Self.complete(group)
    }

    private static func complete(_ group: Group) throws(MediationFault) -> MessageBranch {
        let merged = try group.aggregator.merge(group.branches.map(\.context))
        var execution = group.branches[group.branches.count - 1].execution
        try execution.enter(group.aggregator.onComplete, owner: "aggregate")
        return MessageBranch(context: merged, execution: execution)
    }
}
