import Foundation
import SluiceModel
import Testing

/// WSO2's admin `GET /bot-detection-data`: the bot trap's records as a `BotDetectionDataList`, newest first, for
/// callers with `apim:admin` or `apim:bot_data` only.
@Suite(.timeLimit(.minutes(1))) struct BotDetectionDataTests {
    static let uri = "\(Client.admin)/bot-detection-data"

    @Test func recordsAreListedInWSO2sShapeNewestFirst() async throws {
        let fixture = try await ManagementFixture()
        let older = BotAccess(
            recordedTime: 1_591_734_138_413, messageID: "urn:uuid:1ed6d2de-29df-4fed-a96a-46d2329dce65", method: "GET",
            headerSet: "[Accept=*/*, Host=localhost:8243, User-Agent=curl/7.58.0]",
            messageBody: #"<soapenv:Body xmlns:soapenv="http://www.w3.org/2003/05/soap-envelope"/>"#, clientIP: "127.0.0.1"
        )
        var newer = older
        newer.recordedTime += 1_000
        newer.messageID = "urn:uuid:2"
        newer.method = "POST"
        try await fixture.storage.insertBotAccesses([older, newer], keepingNewest: 10)
        try await fixture.test { client in
            let listed = try await client.get(Self.uri, as: "admin")
            #expect(listed.status == .ok, "\(listed.text)")
            let body = try listed.object
            #expect(body["count"] as? Int == 2)
            let list = try #require(body["list"] as? [[String: Any]])
            #expect(list.map { $0["messageID"] as? String } == ["urn:uuid:2", older.messageID])
            let first = try #require(list.last)
            #expect(first["recordedTime"] as? Int64 == 1_591_734_138_413)
            #expect(first["apiMethod"] as? String == "GET")
            #expect(first["headerSet"] as? String == older.headerSet)
            #expect(first["messageBody"] as? String == older.messageBody)
            #expect(first["clientIp"] as? String == "127.0.0.1")
            #expect(Set(first.keys) == ["recordedTime", "messageID", "apiMethod", "headerSet", "messageBody", "clientIp"])
        }
    }

    @Test func onlyAdministratorsAndBotDataScopesRead() async throws {
        let fixture = try await ManagementFixture()
        let administrator = try await fixture.token(for: "admin", scopes: ["apim:admin"])
        let viewer = try await fixture.token(for: "admin", scopes: ["apim:api_view"])
        try await fixture.test { client in
            let allowed = try await client.call(.get, Self.uri, token: administrator)
            #expect(allowed.status == .ok, "\(allowed.text)")
            #expect(try allowed.object["count"] as? Int == 0)
            #expect(try (allowed.object["list"] as? [Any])?.isEmpty == true)
            let refused = try await client.call(.get, Self.uri, token: viewer)
            #expect(refused.status == .forbidden)
            #expect(refused.errorDescription.contains("apim:bot_data"), "\(refused.text)")
            #expect(try await client.get(Self.uri, as: "alice").status == .forbidden)
            #expect(try await client.get(Self.uri).status == .unauthorized)
        }
    }
}
