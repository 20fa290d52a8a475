import SluiceModel
import Testing

@testable import SluiceSecurity

@Suite struct APIStatusRegistryTests {
    @Test func blockedStateFollowsTheLatestChangeUnderEitherContextSpelling() {
        let registry = APIStatusRegistry()
        #expect(!registry.isBlocked(context: "/pizzashack/1.0.0", version: "1.0.0"))
        registry.setState(.published, context: "/pizzashack", version: "1.0.0")
        #expect(!registry.isBlocked(context: "/pizzashack/1.0.0", version: "1.0.0"))
        registry.setState(.blocked, context: "/pizzashack/{version}", version: "1.0.0")
        #expect(registry.isBlocked(context: "/pizzashack/1.0.0", version: "1.0.0"))
        #expect(!registry.isBlocked(context: "/pizzashack/2.0.0", version: "2.0.0"))
        // Blocking twice and lifting once must not leave the API (or the fast path) blocked.
        registry.setState(.blocked, context: "/pizzashack", version: "1.0.0")
        registry.setState(.published, context: "/pizzashack", version: "1.0.0")
        #expect(!registry.isBlocked(context: "/pizzashack/1.0.0", version: "1.0.0"))
        registry.setState(.blocked, context: "/other", version: "1")
        #expect(!registry.isBlocked(context: "/pizzashack/1.0.0", version: "1.0.0"))
        #expect(registry.isBlocked(context: "/other/1", version: "1"))
        #expect(registry.state(context: "/pizzashack", version: "1.0.0") == .published)
    }
}
