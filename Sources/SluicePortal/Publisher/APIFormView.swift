/// What the `publisher/api-form` template reads: the form's values with every choice marked as selected or not
/// (templates cannot compare values themselves).
struct APIFormView {
    struct Choice {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Row {
        var index: Int
        var number: Int
        var target: String
        var verbs: [Choice]
        var authTypes: [Choice]
        var tiers: [Choice]
        var scopes: String
    }

    struct ScopeRow {
        var index: Int
        var number: Int
        var name: String
        var roles: String
    }

    var isEdit: Bool
    var action: String
    var submitLabel: String
    var name: String
    var context: String
    var version: String
    var description: String
    var tags: String
    var visibilities: [Choice]
    var endpointTypes: [Choice]
    var productionURL: String
    var sandboxURL: String
    var policies: [Choice]
    var apiThrottlingPolicies: [Choice]
    var isDefaultVersion: Bool
    var rows: [Row]
    var scopeRows: [ScopeRow]
    var corsEnabled: Bool
    var corsOrigins: String
    var corsHeaders: String
    var corsMethods: [Choice]
    var corsCredentials: Bool
    var errors: [String]
    var hasErrors: Bool
    /// The API has a hand-edited source that saving this form replaces.
    var hasSourceOverride: Bool

    /// The view of `form`.
    /// - Parameters:
    ///   - form: The values.
    ///   - subscriptionTiers: Names offered as subscription tiers.
    ///   - resourceTiers: Names offered as API and resource throttling policies.
    ///   - action: Where the form posts.
    ///   - isEdit: Name, context and version are fixed on an edit.
    ///   - errors: Problems of the last submission.
    ///   - hasSourceOverride: Whether a hand-edited source is in force.
    init(
        form: APIForm,
        subscriptionTiers: [String],
        resourceTiers: [String],
        action: String,
        isEdit: Bool,
        errors: [String] = [],
        hasSourceOverride: Bool = false
    ) {
        func choices(_ values: [String], selected: (String) -> Bool, labels: [String: String] = [:]) -> [Choice] {
            values.map { Choice(value: $0, label: labels[$0] ?? $0, selected: selected($0)) }
        }
        self.isEdit = isEdit
        self.action = action
        self.submitLabel = isEdit ? "Save changes" : "Create API"
        name = form.name
        context = form.context
        version = form.version
        description = form.description
        tags = form.tags
        visibilities = choices(
            ["PUBLIC", "PRIVATE", "RESTRICTED"],
            selected: { $0 == form.visibility },
            labels: ["PUBLIC": "Public", "PRIVATE": "Signed-in users", "RESTRICTED": "Provider and administrators"]
        )
        endpointTypes = APIForm.endpointTypes.map {
            Choice(value: $0.value, label: $0.label, selected: $0.value == form.endpointType)
        }
        productionURL = form.productionURL
        sandboxURL = form.sandboxURL
        policies = choices(subscriptionTiers, selected: form.policies.contains)
        apiThrottlingPolicies =
            [Choice(value: "", label: "None (Unlimited)", selected: form.apiThrottlingPolicy.isEmpty)]
            + choices(resourceTiers, selected: { $0 == form.apiThrottlingPolicy })
        isDefaultVersion = form.isDefaultVersion
        let blank = APIForm.Operation(verb: "GET", target: "", authType: "Any", tier: "", scopes: "")
        let operations = form.operations + Array(repeating: blank, count: APIForm.blankRows)
        rows = operations.enumerated().map { index, operation in
            Row(
                index: index,
                number: index + 1,
                target: operation.target,
                verbs: choices(APIForm.verbs, selected: { $0 == operation.verb }),
                authTypes: choices(APIForm.authTypes, selected: { $0 == operation.authType }),
                tiers: [Choice(value: "", label: "API default", selected: operation.tier.isEmpty)]
                    + choices(resourceTiers, selected: { $0 == operation.tier }),
                scopes: operation.scopes
            )
        }
        let scopes = form.scopes + Array(repeating: APIForm.Scope(name: "", roles: ""), count: APIForm.blankRows)
        scopeRows = scopes.enumerated().map { index, scope in
            ScopeRow(index: index, number: index + 1, name: scope.name, roles: scope.roles)
        }
        corsEnabled = form.corsEnabled
        corsOrigins = form.corsOrigins
        corsHeaders = form.corsHeaders
        corsMethods = choices(APIForm.verbs, selected: form.corsMethods.contains)
        corsCredentials = form.corsCredentials
        self.errors = errors
        hasErrors = !errors.isEmpty
        self.hasSourceOverride = hasSourceOverride
    }
}
