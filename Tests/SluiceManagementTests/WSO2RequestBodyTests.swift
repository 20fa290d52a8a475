import Foundation
import HTTPTypes
import Testing

/// Bodies as WSO2's clients send them: every property of WSO2's request schemas is accepted, those Sluice has no use
/// for are named in `Sluice-Ignored-Fields`, and a field neither knows is still refused by name.
@Suite(.timeLimit(.minutes(1))) struct WSO2RequestBodyTests {
    static let ignoredHeader = HTTPField.Name("Sluice-Ignored-Fields")!

    @Test func wso2OnlyFieldsOfAnAPIAreAcceptedAndNamed() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let extra = #"""
                , "type": "HTTP", "accessControl": "NONE", "cacheTimeout": 300,
                "maxTps": {"production": 100, "productionTimeUnit": "SECOND"},
                "additionalProperties": [{"name": "team", "value": "blue", "display": false}]
                """#
            let created = try await client.post(
                "\(Client.publisher)/apis",
                as: "chris",
                json: Client.apiJSON(extra: extra)
            )
            #expect(created.status == .created, "\(created.text)")
            #expect(
                created.headers[Self.ignoredHeader]
                    == "accessControl, additionalProperties, cacheTimeout, maxTps.productionTimeUnit, type"
            )
            let maxTps = try #require(try created.object["maxTps"] as? [String: Any])
            #expect(maxTps["production"] as? Int == 100)
            // A body Sluice reads entirely carries no header.
            let plain = try await client.post(
                "\(Client.publisher)/apis",
                as: "chris",
                json: Client.apiJSON(name: "Plain", context: "/plain")
            )
            #expect(plain.status == .created)
            #expect(plain.headers[Self.ignoredHeader] == nil)
        }
    }

    @Test func aFieldUnknownToBothIsStillRefusedByName() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let refused = try await client.post(
                "\(Client.publisher)/apis",
                as: "chris",
                json: Client.apiJSON(extra: #", "type": "HTTP", "visibilty": "PUBLIC""#)
            )
            #expect(refused.status == .badRequest)
            #expect(try refused.object["description"] as? String == "Unknown field: visibilty")
            let nested = try await client.post(
                "\(Client.devportal)/applications",
                as: "alice",
                json: #"{"name": "App", "throttlingPolicy": "Unlimited", "groups": [], "attributes": {"x": 1}, "tokenTyp": "JWT"}"#
            )
            #expect(nested.status == .badRequest)
            #expect(try nested.object["description"] as? String == "Unknown field: tokenTyp")
            #expect(try await client.get("\(Client.publisher)/apis", as: "chris").list.isEmpty)
        }
    }

    @Test func aContextWithoutItsSlashIsRootedAsInWSO2() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let created = try await client.post(
                "\(Client.publisher)/apis",
                as: "chris",
                json: Client.apiJSON(context: "pizza")
            )
            #expect(created.status == .created, "\(created.text)")
            #expect(try created.object["context"] as? String == "/pizza")
            let id = try #require(try created.object["id"] as? String)
            let updated = try await client.put(
                "\(Client.publisher)/apis/\(id)",
                as: "chris",
                json: Client.apiJSON(context: "pizza")
            )
            #expect(updated.status == .ok, "\(updated.text)")
        }
    }

    @Test func validityTimeMayBeAStringAsWSO2TypesIt() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let app = try await client.post(
                "\(Client.devportal)/applications",
                as: "alice",
                json: #"{"name": "Kiosk", "throttlingPolicy": "Unlimited", "groups": [], "visibility": "PRIVATE"}"#
            )
            #expect(app.status == .created, "\(app.text)")
            #expect(app.headers[Self.ignoredHeader] == "groups, visibility")
            let id = try #require(try app.object["applicationId"] as? String)
            let generate = "\(Client.devportal)/applications/\(id)/generate-keys"
            let wrong = try await client.post(
                generate,
                as: "alice",
                json: #"{"keyType": "PRODUCTION", "grantTypesToBeSupported": ["client_credentials"], "validityTime": "soon"}"#
            )
            #expect(wrong.status == .badRequest)
            #expect(try wrong.object["description"] as? String == "validityTime must be an integer")
            let keys = try await client.post(
                generate,
                as: "alice",
                json: #"""
                    {"keyType": "PRODUCTION", "keyManager": "Resident Key Manager",
                     "grantTypesToBeSupported": ["client_credentials"], "validityTime": "3600"}
                    """#
            )
            #expect(keys.status == .ok, "\(keys.text)")
            #expect(keys.headers[Self.ignoredHeader] == "keyManager")
            let token = try #require(try keys.object["token"] as? [String: Any])
            // 3600 s asked, less identity.xml's 300-second timestamp skew, as every token this key manager issues.
            #expect(token["validityTime"] as? Int == 3300)
        }
    }

    @Test func aPolicysTypeChoosesItsLimitAsInWSO2() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let body = #"""
                {"policyName": "Steady", "defaultLimit": {"type": "REQUESTCOUNTLIMIT",
                 "requestCount": {"timeUnit": "min", "unitTime": 1, "requestCount": 50},
                 "bandwidth": {"timeUnit": "min", "unitTime": 1, "dataAmount": 1, "dataUnit": "KB"},
                 "eventCount": {"timeUnit": "min", "unitTime": 1, "eventCount": 5}},
                 "burstLimit": {"rateLimitCount": 1, "rateLimitTimeUnit": "sec"}}
                """#
            let created = try await client.post(
                "\(Client.admin)/throttling/policies/application",
                as: "admin",
                json: body
            )
            #expect(created.status == .created, "\(created.text)")
            #expect(created.headers[Self.ignoredHeader] == "burstLimit, defaultLimit.eventCount")
            let limit = try #require(try created.object["defaultLimit"] as? [String: Any])
            #expect(limit["bandwidth"] == nil)
            #expect((limit["requestCount"] as? [String: Any])?["requestCount"] as? Int == 50)
        }
    }

    @Test func aKnownPathWithAnotherMethodAnswers405WithAllow() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.createAPI()
            let patched = try await client.call(.patch, "\(Client.publisher)/apis/\(id)", as: "chris", json: "{}")
            #expect(patched.status == .methodNotAllowed)
            #expect(patched.headers[.allow] == "DELETE, GET, PUT")
            #expect(try patched.object["code"] as? Int == 405)
            let collection = try await client.call(.delete, "\(Client.devportal)/applications", as: "alice")
            #expect(collection.status == .methodNotAllowed)
            #expect(collection.headers[.allow] == "GET, POST")
            let unknown = try await client.call(.get, "\(Client.publisher)/nothing-here", as: "chris")
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.allow] == nil)
        }
    }
}
