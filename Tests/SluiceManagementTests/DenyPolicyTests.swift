import Foundation
import Testing

/// WSO2's admin deny policies over REST: every condition type in WSO2's body forms, checked against what exists,
/// listed and filtered, enabled and disabled, deleted; conflicts, strangers and malformed values refused.
@Suite(.timeLimit(.minutes(1))) struct DenyPolicyTests {
    static let policies = "\(Client.admin)/throttling/deny-policies"
    static let policy = "\(Client.admin)/throttling/deny-policy"

    private func create(_ client: Client, _ json: String, as user: String = "admin") async throws -> Answer {
        try await client.post(Self.policies, as: user, json: json)
    }

    @Test func everyConditionTypeIsCreatedListedToggledAndDeleted() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            _ = try await client.createAPI()
            let app = try await client.post(
                "\(Client.devportal)/applications", as: "alice", json: #"{"name": "Shop", "throttlingPolicy": "Unlimited"}"#
            )
            #expect(app.status == .created)
            let ip = try await create(client, #"{"conditionType": "IP", "conditionValue": {"fixedIp": "192.0.2.1", "invert": false}, "conditionStatus": true}"#)
            #expect(ip.status == .created, "\(ip.text)")
            let ipID = try #require(try ip.object["conditionId"] as? String)
            #expect(ip.headers[.location] == "\(Self.policy)/\(ipID)")
            let value = try #require(try ip.object["conditionValue"] as? [String: Any])
            #expect(value["fixedIp"] as? String == "192.0.2.1")
            #expect(value["invert"] as? Bool == false)
            let range = try await create(client, #"{"conditionType": "IPRANGE", "conditionValue": {"startingIp": "10.0.0.1", "endingIp": "10.0.0.9", "invert": true}}"#)
            #expect(range.status == .created, "\(range.text)")
            let api = try await create(client, #"{"conditionType": "API", "conditionValue": "/pizzashack/1.0.0"}"#)
            #expect(api.status == .created, "\(api.text)")
            #expect(try api.object["conditionValue"] as? String == "/pizzashack/1.0.0")
            #expect(try api.object["conditionStatus"] as? Bool == true)
            #expect(try await create(client, #"{"conditionType": "API", "conditionValue": "pizzashack"}"#).status == .created)
            let application = try await create(client, #"{"conditionType": "APPLICATION", "conditionValue": "alice:Shop"}"#)
            #expect(application.status == .created, "\(application.text)")
            let user = try await create(client, #"{"conditionType": "USER", "conditionValue": "bob", "conditionStatus": false}"#)
            #expect(try user.object["conditionStatus"] as? Bool == false)

            let all = try await client.get(Self.policies, as: "admin")
            #expect(try all.list.count == 6)
            let apis = try await client.get("\(Self.policies)?query=\(Client.encode("conditionType:API & conditionValue:/pizzashack/1.0.0"))", as: "admin")
            #expect(try apis.list.count == 1)
            #expect(try await client.get("\(Self.policies)?query=conditionType:IP", as: "admin").list.count == 1)
            #expect(try await client.get("\(Self.policies)?query=color:red", as: "admin").status == .badRequest)

            let read = try await client.get("\(Self.policy)/\(ipID)", as: "admin")
            #expect(try read.object["conditionType"] as? String == "IP")
            let disabled = try await client.call(
                .patch, "\(Self.policy)/\(ipID)", as: "admin", json: #"{"conditionId": "\#(ipID)", "conditionStatus": false}"#
            )
            #expect(disabled.status == .ok, "\(disabled.text)")
            #expect(try disabled.object["conditionStatus"] as? Bool == false)
            #expect(try await client.delete("\(Self.policy)/\(ipID)", as: "admin").status == .ok)
            #expect(try await client.get("\(Self.policy)/\(ipID)", as: "admin").status == .notFound)
            #expect(try await client.delete("\(Self.policy)/\(ipID)", as: "admin").status == .notFound)
            #expect(try await client.call(.patch, "\(Self.policy)/\(ipID)", as: "admin", json: #"{"conditionStatus": true}"#).status == .notFound)
        }
    }

    @Test func whatDoesNotExistOrParseIsRefusedByName() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let refusals: [(String, String)] = [
                (#"{"conditionType": "API", "conditionValue": "/nowhere/1.0.0"}"#, "No API has the context"),
                (#"{"conditionType": "APPLICATION", "conditionValue": "alice:Missing"}"#, "No application alice:Missing"),
                (#"{"conditionType": "APPLICATION", "conditionValue": "noowner"}"#, "owner:name"),
                (#"{"conditionType": "USER", "conditionValue": "ghost"}"#, "No user ghost"),
                (#"{"conditionType": "IP", "conditionValue": {"fixedIp": "300.1.1.1"}}"#, "not an IPv4 or IPv6 address"),
                (#"{"conditionType": "IP", "conditionValue": "192.0.2.1"}"#, "fixedIp"),
                (#"{"conditionType": "IPRANGE", "conditionValue": {"startingIp": "10.0.0.9", "endingIp": "10.0.0.1"}}"#, "not after the last"),
                (#"{"conditionType": "IPRANGE", "conditionValue": {"startingIp": "10.0.0.1", "endingIp": "::1"}}"#, "one family"),
                (#"{"conditionType": "COUNTRY", "conditionValue": "NZ"}"#, "conditionType must be"),
                (#"{"conditionType": "IP", "conditionValue": {"fixedIP": "192.0.2.1"}}"#, "fixedIP"),
            ]
            for (body, message) in refusals {
                let answer = try await create(client, body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.errorDescription.contains(message) || answer.text.contains(message), "\(body): \(answer.text)")
            }
            let user = #"{"conditionType": "USER", "conditionValue": "bob"}"#
            #expect(try await create(client, user).status == .created)
            #expect(try await create(client, user).status == .conflict)
            #expect(try await create(client, user, as: "alice").status == .forbidden)
            #expect(try await client.get(Self.policies, as: "alice").status == .forbidden)
        }
    }
}
