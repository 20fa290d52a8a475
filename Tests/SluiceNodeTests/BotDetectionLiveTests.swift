import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceNode
import Testing

/// WSO2's bot trap as shipped: `_OpenService_` deploys from the stock repository, `/service/...` answers an empty
/// 200 `text/plain` as in WSO2, and the call reaches the admin API's `GET /bot-detection-data` through the gateway's
/// background writer.
@Suite(.timeLimit(.minutes(2)))
struct BotDetectionLiveTests {
    typealias Live = RevisionDeploymentLiveTests

    @Test func aCallToTheTrapAnswersEmptyAndIsListedForAdministrators() async throws {
        try await Live.withNode { gatewayPort, management in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(gatewayPort)/service/wp-login.php?probe=1")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "User-Agent", value: "probe-bot/1.0")
            // The stock APIs deploy while the node starts: until then the gateway answers 404, recording nothing.
            var response: HTTPClientResponse?
            var body = ByteBuffer()
            for _ in 0..<100 {
                request.body = .bytes(ByteBuffer(string: #"{"user":"root"}"#))
                let answer = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                body = try await answer.body.collect(upTo: 1 << 16)
                response = answer
                if answer.status != .notFound { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(response?.status == .ok)
            #expect(body.readableBytes == 0)
            #expect(response?.headers.first(name: "Content-Type")?.hasPrefix("text/plain") == true)

            let data = management + "/api/am/admin/v4/bot-detection-data"
            var listed: [[String: Any]] = []
            for _ in 0..<50 {
                let answer = try await Live.send(.GET, data)
                #expect(answer.status == 200)
                listed = try #require(try Live.object(answer.body)["list"] as? [[String: Any]])
                if !listed.isEmpty { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            let record = try #require(listed.first)
            #expect(listed.count == 1)
            #expect(record["apiMethod"] as? String == "POST")
            #expect(record["clientIp"] as? String == "127.0.0.1")
            #expect((record["messageID"] as? String)?.hasPrefix("urn:uuid:") == true)
            #expect((record["headerSet"] as? String)?.contains("User-Agent=probe-bot/1.0") == true)
            #expect(
                record["messageBody"] as? String
                    == #"<soapenv:Body xmlns:soapenv="http://www.w3.org/2003/05/soap-envelope"><jsonObject><user>root</user></jsonObject></soapenv:Body>"#
            )
            let recorded = try #require(record["recordedTime"] as? Int64)
            #expect(abs(recorded - Int64(Date().timeIntervalSince1970 * 1_000)) < 60_000)
        }
    }
}
