import Foundation
import SluiceNode
import SluiceTesting
import Testing

/// Deny policies through a running node: a blocked application, a blocked client address and a blocked API context
/// get WSO2's 403 with fault 900805 from the next call, and pass again once the policy is disabled or deleted.
@Suite(.timeLimit(.minutes(2)))
struct DenyPolicyLiveTests {
    typealias Live = RevisionDeploymentLiveTests
    typealias Products = APIProductLiveTests

    @Test func blockedApplicationsAddressesAndAPIsGet900805UntilThePolicyGoes() async throws {
        let backend = try await TestHTTPBackend.start(name: "deny")
        defer { backend.shutdownInBackground() }
        try await Live.withNode { gatewayPort, management in
            let publisher = management + "/api/am/publisher/v4"
            let policies = management + "/api/am/admin/v4/throttling/deny-policies"
            let policy = management + "/api/am/admin/v4/throttling/deny-policy"
            let apiID = try await Products.publishedAPI("LiveDeny", "/live-deny", "/menu", backend.baseURL + "/deny", publisher)
            let token = try await Products.subscribedToken(to: apiID, tier: "Unlimited", management)
            let bearer = ["Authorization": "Bearer \(token)", "Accept": "application/json"]
            let url = "http://127.0.0.1:\(gatewayPort)/live-deny/1.0.0/menu"
            #expect(try await Products.call(url, headers: bearer) == 200)

            func deny(_ body: String) async throws -> String {
                let created = try await Live.send(.POST, policies, body: Data(body.utf8))
                #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
                return try #require(try Live.object(created.body)["conditionId"] as? String)
            }
            func blocked() async throws {
                let answer = try await Live.send(.GET, url, authorized: false, headers: bearer)
                #expect(answer.status == 403)
                let text = String(decoding: answer.body, as: UTF8.self)
                #expect(text.contains("900805") && text.contains("Message blocked"), "\(text)")
            }

            // The application (owner:name): blocked at once; disabled, it passes; enabled, blocked again.
            let application = try await deny(#"{"conditionType": "APPLICATION", "conditionValue": "admin:LiveBuyer"}"#)
            try await blocked()
            let disabled = try await Live.send(
                .PATCH, "\(policy)/\(application)", body: Data(#"{"conditionStatus": false}"#.utf8)
            )
            #expect(disabled.status == 200)
            #expect(try await Products.call(url, headers: bearer) == 200)
            #expect(try await Live.send(.PATCH, "\(policy)/\(application)", body: Data(#"{"conditionStatus": true}"#.utf8)).status == 200)
            try await blocked()
            #expect(try await Live.send(.DELETE, "\(policy)/\(application)").status == 200)
            #expect(try await Products.call(url, headers: bearer) == 200)

            // The client's address, then a range that excludes it inverted, then the API's context.
            let address = try await deny(#"{"conditionType": "IP", "conditionValue": {"fixedIp": "127.0.0.1", "invert": false}}"#)
            try await blocked()
            #expect(try await Live.send(.DELETE, "\(policy)/\(address)").status == 200)
            let elsewhere = try await deny(
                #"{"conditionType": "IPRANGE", "conditionValue": {"startingIp": "192.0.2.0", "endingIp": "192.0.2.255", "invert": true}}"#
            )
            try await blocked()
            #expect(try await Live.send(.DELETE, "\(policy)/\(elsewhere)").status == 200)
            let context = try await deny(#"{"conditionType": "API", "conditionValue": "/live-deny/1.0.0"}"#)
            try await blocked()
            #expect(try await Live.send(.DELETE, "\(policy)/\(context)").status == 200)
            #expect(try await Products.call(url, headers: bearer) == 200)
        }
    }
}
