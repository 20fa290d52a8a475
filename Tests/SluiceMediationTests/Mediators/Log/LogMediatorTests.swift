import Logging
import NIOCore
import SluiceMediation
import SluiceModel
import Testing

@Suite struct LogMediatorTests {
    @Test func logsStaticMessageWithMetadataAndMasksCredentials() throws {
        let recorder = LogRecorder()
        var context = Build.context(headers: [("Authorization", "Bearer secret-token"), ("X-Id", "7")])
        context.logger = recorder.logger(level: .trace)
        context[property: "order"] = "42"
        try Build.run(
            [
                .log(
                    LogMediator(
                        level: .headers,
                        category: .warn,
                        properties: [
                            NamedValue(name: "order", value: .expression(Build.expression("$ctx:order"))),
                            NamedValue(name: "auth", value: .expression(Build.expression("$trp:Authorization"))),
                        ]
                    )
                )
            ],
            on: &context
        )
        let entries = recorder.entries
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry.level == .warning)
        #expect(entry.message == "mediation log")
        #expect(entry.metadata["sluice.mediator"] == "log")
        #expect(entry.metadata["sluice.log.order"] == "42")
        #expect(entry.metadata["sluice.log.header.X-Id"] == "7")
        #expect(!entry.rendered.contains("secret-token"))
    }

    @Test func fullLevelNeedsTheBody() throws {
        #expect(try Build.sequence([.log(LogMediator(level: .full))]).readsBody)
        #expect(try !Build.sequence([.log(LogMediator(level: .headers))]).readsBody)
    }

    @Test func belowThresholdLogsNothing() throws {
        let recorder = LogRecorder()
        var context = Build.context()
        context.logger = recorder.logger(level: .info)
        try Build.run([.log(LogMediator(category: .debug))], on: &context)
        #expect(recorder.entries.isEmpty)
    }
}
