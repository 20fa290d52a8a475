import SluiceMediation
import SluiceModel

extension ProxyExchange {
    /// Tells the access log the call's API, application and user.
    func annotateAccessLog() {
        connection.annotateAccessLog(
            AccessLogAnnotation(
                api: context.dispatchedResource.map { "\($0.apiName):\($0.version)" },
                application: context[property: APIManagerProperty.applicationName]?.stringValue,
                user: context[property: APIManagerProperty.userID]?.stringValue
            )
        )
    }
}
