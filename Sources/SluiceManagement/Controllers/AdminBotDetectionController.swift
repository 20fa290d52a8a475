import Hummingbird
import Logging
import SluiceControlPlane
import SluiceModel

/// WSO2's admin `GET /bot-detection-data` (`apim:admin` or `apim:bot_data`): the `BotDetectionDataList` of what
/// the gateways' bot trap recorded.
struct AdminBotDetectionController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    /// WSO2's `BotDetectionData`.
    struct BotDetectionDataDTO: Encodable, Sendable {
        var recordedTime: Int64
        var messageID: String
        var apiMethod: String
        var headerSet: String
        var messageBody: String
        var clientIp: String

        init(_ access: BotAccess) {
            recordedTime = access.recordedTime
            messageID = access.messageID
            apiMethod = access.method
            headerSet = access.headerSet
            messageBody = access.messageBody
            clientIp = access.clientIP
        }
    }

    /// WSO2's `BotDetectionDataList`.
    struct BotDetectionDataListDTO: Encodable, Sendable {
        var count: Int
        var list: [BotDetectionDataDTO]
    }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        routes.get(AdminController.prefix + "/bot-detection-data") { request, _ in
            let principal = try await services.authenticator.principal(for: request)
            let list = try await BotDetectionService(services: services).data(by: principal).map(BotDetectionDataDTO.init)
            return JSONResponses.response(BotDetectionDataListDTO(count: list.count, list: list))
        }
    }
}
