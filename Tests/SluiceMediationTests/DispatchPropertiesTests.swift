import NIOHTTP1
import Testing

@testable import SluiceMediation

/// The lazily derived dispatch properties: nothing stored until set, overrides and removals honoured.
@Suite struct DispatchPropertiesTests {
    private func dispatched(
        path: String = "/shop/1.0/items/7",
        query: String? = "q=a+b&q=second&empty&x=%2F",
        variables: [(String, String)] = [("id", "7"), ("id", "shadowed"), ("kind", "items")]
    ) -> MessageContext {
        var context = Build.context(path: path, query: query)
        context.bindDispatch(apiName: "admin--Shop", apiContext: "/shop/1.0", orderedURIVariables: variables)
        return context
    }

    @Test func bindingStoresNothingAndDerivesEveryValue() {
        let context = dispatched()
        #expect(context.properties.isEmpty && context.axis2Properties.isEmpty)
        #expect(context[property: "SYNAPSE_REST_API"] == "admin--Shop")
        #expect(context[property: "REST_API_CONTEXT"] == "/shop/1.0")
        #expect(context[property: "REST_FULL_REQUEST_PATH"] == "/shop/1.0/items/7?q=a+b&q=second&empty&x=%2F")
        #expect(context[property: "REST_SUB_REQUEST_PATH"] == "/items/7?q=a+b&q=second&empty&x=%2F")
        #expect(context[property: "REST_URL_POSTFIX", scope: .axis2] == "/items/7?q=a+b&q=second&empty&x=%2F")
        // The first binding of a name wins. Query parameters as Synapse fills them: the last of a name wins, and a
        // part without `=` is taken as the previous value's own `&` (so `empty` is no parameter of its own).
        #expect(context[property: "uri.var.id"] == "7")
        #expect(context[property: "uri.var.kind"] == "items")
        #expect(context[property: "uri.var.missing"] == nil)
        #expect(context[property: "query.param.q"] == "second&empty")
        #expect(context[property: "query.param.empty"] == nil)
        #expect(context[property: "query.param.x"] == "/")
        #expect(context[property: "query.param.none"] == nil)
        #expect(context[property: "uri.var."] == nil)
        #expect(context[property: "other"] == nil)
        // Derived names exist only in their scope.
        #expect(context[property: "REST_URL_POSTFIX"] == nil)
        #expect(context[property: "REST_API_CONTEXT", scope: .axis2] == nil)
        #expect(context.lookupProperty(scope: .default, name: "REST_API_CONTEXT") == "/shop/1.0")
    }

    @Test func explicitValuesOverrideAndRemovalsHide() {
        var context = dispatched()
        context[property: "REST_API_CONTEXT"] = "/changed"
        #expect(context[property: "REST_API_CONTEXT"] == "/changed")
        context[property: "REST_API_CONTEXT"] = nil
        #expect(context[property: "REST_API_CONTEXT"] == nil)
        context[property: "REST_API_CONTEXT"] = "/again"
        #expect(context[property: "REST_API_CONTEXT"] == "/again")
        context[property: "uri.var.id"] = nil
        #expect(context[property: "uri.var.id"] == nil)
        #expect(context[property: "uri.var.kind"] == "items")
        context[property: "query.param.q"] = .integer(3)
        #expect(context[property: "query.param.q"] == .integer(3))
        context[property: "REST_URL_POSTFIX", scope: .axis2] = nil
        #expect(context[property: "REST_URL_POSTFIX", scope: .axis2] == nil)
        context[property: "REST_URL_POSTFIX", scope: .axis2] = "/fixed"
        #expect(context[property: "REST_URL_POSTFIX", scope: .axis2] == "/fixed")
        // Removing a name nothing derives stores no tombstone.
        context[property: "plain"] = nil
        #expect(!context.removedDerivedProperties.contains("plain"))
    }

    @Test func rebindingReplacesTheFirstBinding() {
        var context = dispatched()
        context[property: "SYNAPSE_REST_API"] = "override"
        context[property: "uri.var.kind"] = nil
        context[property: "REST_URL_POSTFIX", scope: .axis2] = "/x"
        context.bindDispatch(apiName: "second", apiContext: "/shop", orderedURIVariables: [("kind", "k2")])
        #expect(context[property: "SYNAPSE_REST_API"] == "second")
        #expect(context[property: "uri.var.kind"] == "k2")
        #expect(context[property: "uri.var.id"] == nil)
        #expect(context[property: "REST_URL_POSTFIX", scope: .axis2] == "/1.0/items/7?q=a+b&q=second&empty&x=%2F")
    }

    @Test func valuesAreThoseOfTheDispatchedRequest() {
        var context = dispatched(path: "/shop/1.0", query: nil, variables: [])
        context.requestPath = "/elsewhere"
        context.query = "late=1"
        #expect(context[property: "REST_SUB_REQUEST_PATH"] == "/")
        #expect(context[property: "REST_URL_POSTFIX", scope: .axis2] == "")
        #expect(context[property: "REST_FULL_REQUEST_PATH"] == "/shop/1.0")
        #expect(context[property: "query.param.late"] == nil)
    }

    @Test func responseIsDerivedFromTheResponseArriving() {
        var context = Build.context()
        #expect(context[property: "RESPONSE"] == nil)
        context.receiveResponse(status: 200, headers: HTTPHeaders(), body: .empty)
        #expect(context[property: "RESPONSE"] == "true")
        #expect(context.properties.isEmpty)
        context[property: "RESPONSE"] = "false"
        #expect(context[property: "RESPONSE"] == "false")
        context[property: "RESPONSE"] = nil
        #expect(context[property: "RESPONSE"] == nil)
        context.receiveResponse(status: 200, headers: HTTPHeaders(), body: .empty)
        #expect(context[property: "RESPONSE"] == "true")
    }

    @Test func faultsAreRecordedAsPlainProperties() {
        var context = dispatched()
        context.recordFault(MediationFault(code: 101503, message: "refused", detail: nil))
        #expect(context[property: "ERROR_CODE"] == .integer(101503))
        #expect(context[property: "ERROR_MESSAGE"] == "refused")
        #expect(context[property: "ERROR_DETAIL"] == nil)
        #expect(context[property: "REST_API_CONTEXT"] == "/shop/1.0")
    }
}
