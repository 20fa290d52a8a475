import NIOCore
import NIOEmbedded
import SluiceServerGuards
import Synchronization
import Testing

/// The connection cap both servers install first in every connection's pipeline (issue #12 item 2).
@Suite struct ConnectionLimitHandlerTests {
    private final class Refusals: Sendable {
        let count = Atomic<Int>(0)
    }

    private func connect(_ limiter: ConnectionLimiter, refusals: Refusals? = nil) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            ConnectionLimitHandler(limiter: limiter, onRefusal: { _ in refusals?.count.wrappingAdd(1, ordering: .relaxed) })
        )
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    @Test func connectionsOverTheCapAreClosedAtOnceAndCounted() throws {
        let limiter = ConnectionLimiter(maximum: 2)
        let refusals = Refusals()
        let first = try connect(limiter, refusals: refusals)
        let second = try connect(limiter, refusals: refusals)
        #expect(limiter.openConnections == 2)
        let third = try connect(limiter, refusals: refusals)
        #expect(!third.isActive)
        #expect(limiter.openConnections == 2)
        #expect(limiter.refusedConnections == 1)
        #expect(refusals.count.load(ordering: .relaxed) == 1)
        // Bytes that reach a refused connection go nowhere.
        _ = try? third.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n"))
        #expect(try third.readInbound(as: ByteBuffer.self) == nil)
        _ = try first.finish()
        _ = try second.finish()
    }

    @Test func closingAConnectionFreesItsPlace() throws {
        let limiter = ConnectionLimiter(maximum: 1)
        let first = try connect(limiter)
        try first.writeInbound(ByteBuffer(string: "x"))
        #expect(try first.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "x"))
        #expect(!(try connect(limiter)).isActive)
        try first.close().wait()
        #expect(limiter.openConnections == 0)
        let next = try connect(limiter)
        #expect(next.isActive)
        #expect(limiter.openConnections == 1)
        _ = try next.finish()
        #expect(limiter.openConnections == 0)
    }

    @Test func aHandlerAddedToAnActiveChannelCountsItToo() throws {
        let limiter = ConnectionLimiter(maximum: 1)
        let channel = EmbeddedChannel()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.pipeline.syncOperations.addHandler(ConnectionLimitHandler(limiter: limiter))
        #expect(limiter.openConnections == 1)
        _ = try channel.finish()
        #expect(limiter.openConnections == 0)
    }

    @Test func defaultCapsLeaveHeadroomBelowTheDescriptorLimit() {
        for limit in [256, 1024, 20_000, 1_048_576] {
            let budget = DescriptorBudget(limit: limit)
            let caps = budget.defaultCaps(runsGateway: true, runsManagement: true)
            // A gateway connection may hold a backend connection too.
            #expect(2 * caps.gateway + caps.management + budget.reserve <= max(limit, 2 * 16 + 16 + 256))
            #expect(budget.reserve >= 256)
        }
        let gatewayOnly = DescriptorBudget(limit: 20_000).defaultCaps(runsGateway: true, runsManagement: false)
        #expect(gatewayOnly.gateway == (20_000 - 2_000) / 2)
        let managementOnly = DescriptorBudget(limit: 20_000).defaultCaps(runsGateway: false, runsManagement: true)
        #expect(managementOnly.management == 18_000)
    }

    @Test func raisingTheSoftLimitNeverLowersIt() {
        let before = DescriptorBudget.current.limit
        let after = DescriptorBudget.raisingSoftLimit().limit
        #expect(after >= before)
        #expect(DescriptorBudget.current.limit == after)
    }
}
