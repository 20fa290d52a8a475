/// The predefined functions of Synapse Expressions, by the names the expressions call them.
enum SynapseFunction: String, Sendable, Hashable, CaseIterable {
    case length, toUpper, toLower, subString, startsWith, endsWith, contains, trim, replace, split, indexOf
    case now, formatDateTime, charAt
    case abs, ceil, floor, sqrt, log, pow, round
    case base64encode, base64decode, urlEncode, urlDecode
    case isString, isNumber, isArray, isObject
    case string, float, boolean, integer, object, array
    case exists, not, xpath, registry
    case wso2Vault = "wso2-vault"
    case hashicorpVault = "hashicorp-vault"

    /// The argument counts each function accepts, as Synapse's `PredefinedFunctionNode` dispatches them.
    var arities: Set<Int> {
        switch self {
        case .now: [0]
        case .length, .toUpper, .toLower, .trim, .abs, .ceil, .floor, .sqrt, .base64decode, .urlDecode, .isString,
            .isNumber, .isArray, .isObject, .string, .float, .boolean, .integer, .object, .array, .exists, .not,
            .wso2Vault:
            [1]
        case .startsWith, .endsWith, .contains, .split, .pow, .charAt:
            [2]
        case .replace:
            [3]
        case .subString, .indexOf, .formatDateTime:
            [2, 3]
        case .log, .round, .base64encode, .urlEncode, .xpath, .registry:
            [1, 2]
        case .hashicorpVault:
            [2, 3]
        }
    }
}
