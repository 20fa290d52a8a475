import NIOCore
import SluiceMediation
import SluiceModel

/// The split messages of one exchange and what its `aggregate` mediators collect, created on the first `clone` or
/// `iterate` and living as long as the exchange, on its event loop (no lock, no actor hop).
///
/// Parallel splits start at most `maxConcurrentSplitMessages` flows at once; the rest wait their turn. A sequential
/// split starts its next message when the previous one's flow ends. A split that would take the exchange over
/// `maxSplitMessages` faults. The first flow that answers ends the exchange; when every flow has ended, no group
/// waits and the original message's flow is over without an answer, the client gets 202 as for any request flow
/// that sends nothing.
final class ScatterGather {
    /// Weak: flows still in flight after the answer must not keep the exchange (or crash on it).
    private(set) weak var exchange: ProxyExchange?
    private let maxSplitMessages: Int
    private let maxConcurrentFlows: Int
    private var aggregation = MessageAggregation()
    /// Flows waiting for a free slot (parallel splits), oldest first.
    private var waiting: [(MessageBranch, lane: Int?)] = []
    private var waitingHead = 0
    /// The messages of each sequential split not started yet, by lane.
    private var lanes: [Int: ArraySlice<MessageBranch>] = [:]
    private var nextLane = 0
    private var running = 0
    /// The flows under way: upstream connections hold their delegates weakly, so the flows live here.
    private var active: [ObjectIdentifier: BranchFlow] = [:]
    private var timers = 0
    private var splitMessages = 0
    /// True while the original message's flow may still answer.
    var parentActive = true

    init(exchange: ProxyExchange) {
        self.exchange = exchange
        self.maxSplitMessages = exchange.runtime.maxSplitMessages
        self.maxConcurrentFlows = max(exchange.runtime.maxConcurrentSplitMessages, 1)
    }

    /// True once the exchange answered (or went away): nothing more may start.
    private var isOver: Bool { exchange?.state.isFinished ?? true }

    /// True while a split message may still run or answer.
    var hasWork: Bool { running > 0 || waitingHead < waiting.count || timers > 0 || aggregation.isWaiting }

    /// Starts the messages of a split; false (after faulting `origin`) when there are too many, or when the split is
    /// a recipient list none of whose recipients is ready.
    @discardableResult
    func start(_ split: MessageSplit, from origin: BranchFlow?) -> Bool {
        var split = split
        if split.unavailableFault != nil, let now = exchange?.runtime.now(), let fault = split.skipUnreadyRecipients(now: now) {
            if let origin { origin.handle(fault) } else { exchange?.handleFault(fault) }
            return false
        }
        let count = split.branches.count
        guard splitMessages + count <= maxSplitMessages else {
            let fault = MediationFault(
                code: SynapseErrorCode.sendingFailed,
                message: "The message was split into \(splitMessages + count) messages, more than this gateway allows "
                    + "for one request (maxSplitMessages \(maxSplitMessages))"
            )
            if let origin { origin.handle(fault) } else { exchange?.handleFault(fault) }
            return false
        }
        splitMessages += count
        guard count > 0 else { return true }
        if split.sequential {
            let lane = nextLane
            nextLane += 1
            lanes[lane] = split.branches.dropFirst()
            enqueue(split.branches[0], lane: lane)
        } else {
            for branch in split.branches { enqueue(branch, lane: nil) }
        }
        startWaiting()
        return true
    }

    private func enqueue(_ branch: MessageBranch, lane: Int?) {
        waiting.append((branch, lane))
    }

    private func startWaiting() {
        while running < maxConcurrentFlows, waitingHead < waiting.count, let exchange, !exchange.state.isFinished {
            let (branch, lane) = waiting[waitingHead]
            waitingHead += 1
            if waitingHead == waiting.count {
                waiting.removeAll(keepingCapacity: true)
                waitingHead = 0
            }
            run(BranchFlow(branch, exchange: exchange, scatter: self, lane: lane))
        }
    }

    private func run(_ flow: BranchFlow) {
        running += 1
        active[ObjectIdentifier(flow)] = flow
        flow.drive()
    }

    /// A flow ended without answering: start what waits, or finish the exchange when nothing is left.
    func flowEnded(_ flow: BranchFlow) {
        running -= 1
        active[ObjectIdentifier(flow)] = nil
        if let lane = flow.lane, var rest = lanes[lane] {
            if let next = rest.popFirst() {
                lanes[lane] = rest
                enqueue(next, lane: lane)
            } else {
                lanes[lane] = nil
            }
        }
        startWaiting()
        finishIfIdle()
    }

    /// The original message's flow is over without an answer.
    func parentEnded() {
        parentActive = false
        finishIfIdle()
    }

    private func finishIfIdle() {
        guard !parentActive, !hasWork, let exchange, !exchange.state.isFinished else { return }
        exchange.replyWithMessage(status: 202, dropBody: true)
    }

    /// A flow answers the client for the whole exchange.
    func answer(from flow: BranchFlow, with context: MessageContext, fault: MediationFault?) {
        running -= 1
        active[ObjectIdentifier(flow)] = nil
        guard let exchange, !exchange.state.isFinished else { return }
        exchange.context = context
        if let fault {
            exchange.pendingFault = fault
            exchange.replyWithFaultMessage()
        } else {
            exchange.replyWithMessage()
        }
    }

    /// Hands a message to its aggregate group; returns the merged message when the group completes with it (the
    /// caller goes on with it), nil when the caller's flow ends.
    func aggregate(_ contribution: AggregateContribution, _ branch: MessageBranch, from flow: BranchFlow?) -> MessageBranch? {
        let outcome: MessageAggregation.Outcome
        do throws(MediationFault) {
            outcome = try aggregation.add(contribution, branch)
        } catch {
            if let flow { flow.handle(error) } else { exchange?.handleFault(error) }
            return nil
        }
        switch outcome {
        case .late:
            return nil
        case .completed(let merged):
            return merged
        case .collected(let timer):
            if let timer { schedule(timer.key, after: timer.after) }
            return nil
        }
    }

    private func schedule(_ key: MessageAggregation.Key, after delay: TimeAmount) {
        guard let eventLoop = exchange?.connection.eventLoop else { return }
        timers += 1
        eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            timers -= 1
            expire(key)
        }
    }

    /// A group's timeout passed: what arrived is merged and goes on in a new flow.
    func expire(_ key: MessageAggregation.Key) {
        guard let exchange, !exchange.state.isFinished else { return }
        do throws(MediationFault) {
            if let merged = try aggregation.expire(key) {
                run(BranchFlow(merged, exchange: exchange, scatter: self, lane: nil))
            }
        } catch {
            exchange.handleFault(error)
        }
        finishIfIdle()
    }
}

@available(*, unavailable)
extension ScatterGather: Sendable {}
