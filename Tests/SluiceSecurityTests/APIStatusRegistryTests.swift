import Foundation
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

/// The token's user type travels to split gateways in the key validation answer.
@Suite struct KeyValidationResultCodingTests {
    @Test func userTypeRoundTripsAndOlderAnswersDecodeWithoutIt() throws {
        let result = KeyValidationResult(authorized: true, applicationID: "app-1", userType: .applicationUser)
        let data = try JSONEncoder().encode(result)
        #expect(String(decoding: data, as: UTF8.self).contains(#""userType":"APPLICATION_USER""#))
        #expect(try JSONDecoder().decode(KeyValidationResult.self, from: data).userType == .applicationUser)
        let older = try JSONDecoder().decode(KeyValidationResult.self, from: Data(#"{"authorized":true,"scopes":[]}"#.utf8))
        #expect(older.authorized && older.userType == nil)
    }
}
