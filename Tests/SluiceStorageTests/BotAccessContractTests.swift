import SluiceModel
import SluiceStorage
import Testing

/// The bot trap's records, against each storage: newest first, bounded by count and by age.
@Suite struct BotAccessContractTests {
    static func access(_ time: Int64, _ id: String, address: String = "192.0.2.1") -> BotAccess {
        BotAccess(
            recordedTime: time, messageID: "urn:uuid:\(id)", method: "POST", headerSet: "[Host=gw:8280, X-É=ü]",
            messageBody: #"<soapenv:Body xmlns:soapenv="http://www.w3.org/2003/05/soap-envelope"><a>'"&</a></soapenv:Body>"#,
            clientIP: address
        )
    }

    @Test(arguments: StorageBackend.available)
    func recordsComeBackNewestFirstAndTheOldestGoBeyondTheLimit(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            #expect(try await storage.botAccesses().isEmpty)
            try await storage.insertBotAccesses([Self.access(2_000, "b"), Self.access(1_000, "a")], keepingNewest: 3)
            #expect(try await storage.botAccesses() == [Self.access(2_000, "b"), Self.access(1_000, "a")])
            try await storage.insertBotAccesses(
                [Self.access(3_000, "c"), Self.access(4_000, "d", address: "2001:db8::1")],
                keepingNewest: 3
            )
            #expect(try await storage.botAccesses().map(\.messageID) == ["urn:uuid:d", "urn:uuid:c", "urn:uuid:b"])
            #expect(try await storage.botAccesses().first?.clientIP == "2001:db8::1")
            // An empty batch changes nothing.
            try await storage.insertBotAccesses([], keepingNewest: 1)
            #expect(try await storage.botAccesses().count == 3)
        }
    }

    @Test(arguments: StorageBackend.available)
    func retentionDeletesRecordsOlderThanTheCutoff(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.insertBotAccesses(
                [Self.access(1_000, "a"), Self.access(2_000, "b"), Self.access(3_000, "c")],
                keepingNewest: 10
            )
            #expect(try await storage.deleteBotAccesses(before: 2_000) == 1)
            #expect(try await storage.deleteBotAccesses(before: 2_000) == 0)
            #expect(try await storage.botAccesses().map(\.recordedTime) == [3_000, 2_000])
        }
    }
}
