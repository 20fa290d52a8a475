import AsyncHTTPClient
import Foundation
import Testing

/// 900905: `Application` resources take application tokens only, `Application User` resources user tokens only.
@Suite(.timeLimit(.minutes(1))) struct AccessTokenTypeLiveTests {
    @Test func eachAuthTypeRefusesTheOtherKindOfToken() async throws {
        let fixture = try await APIManagerFixture.start()
        defer { fixture.stopInBackground() }
        let app = try await fixture.application("Typed")
        let applicationToken = app.token
        let userToken = try await fixture.userToken(app.keys)

        #expect(try await fixture.call(.GET, "/app-only", token: applicationToken).status == 200)
        #expect(try await fixture.call(.GET, "/user-only", token: userToken).status == 200)
        try await APIManagerHandlersLiveTests.expectFault(
            fixture, path: "/app-only", token: userToken, code: 900905, status: 401
        )
        try await APIManagerHandlersLiveTests.expectFault(
            fixture, path: "/user-only", token: applicationToken, code: 900905, status: 401
        )
        let refused = try await fixture.call(.GET, "/user-only", token: applicationToken, accept: "application/json")
        #expect(
            refused.body
                == #"{"fault":{"code":900905,"message":"Incorrect Access Token Type is provided","#
                + #""description":"Incorrect Access Token Type is provided"}}"#
        )
        // `Any` (no auth-type) takes both.
        #expect(try await fixture.call(token: applicationToken).status == 200)
        #expect(try await fixture.call(token: userToken).status == 200)
        #expect(fixture.backend.recordedRequests.count == 4)
    }
}
