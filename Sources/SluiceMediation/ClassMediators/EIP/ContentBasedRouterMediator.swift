import SluiceModel

/// Apache Synapse's `ContentBasedRouterMediator`, the `content_based_router` function of the EIP library: a
/// `switch` built from the calling template's parameters.
///
/// - `routing_exp`: the source, a `{{path}}` argument (Synapse casts it to `SynapseXPath`); absent, the message
///   faults with "A 'source' XPath attribute is required for a switch mediator"; text, "Invalid XPath for
///   attribute 'source'".
/// - `match_content`: `regex:sequence,regex:sequence;default`. Each case is `regex:sequence` (a regex alone runs
///   `main`); a case split by `:` into more than two parts, or with an empty regex, faults with "The 'regex'
///   attribute is required for a switch case definition"; more than one `;` leaves the switch without cases
///   (Synapse logs "Invalid match content"). Parts are cut as Java's `String.split` cuts them.
///
/// The first case whose regex matches the whole source text runs its sequence, else the default sequence; the
/// template goes on after it. A sequence nothing deployed faults when chosen ("Sequence named ... cannot be found").
struct ContentBasedRouterMediator: CompiledMediator {
    struct Plan: Sendable {
        let cases: [(regex: SharedRegex, mediators: [any CompiledMediator])]
        let defaultCase: [any CompiledMediator]
    }

    private let plans = EIPPlanCache<Plan>()

    /// The source and the chosen sequence may read anything.
    var readsBody: Bool { true }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        let source: CompiledExpression
        switch EIPLibraryMediators.parameter("routing_exp", in: context) {
        case nil:
            throw EIPLibraryMediators.fault("A 'source' XPath attribute is required for a switch mediator")
        case .value?:
            throw EIPLibraryMediators.fault("Invalid XPath for attribute 'source'")
        case .path(let path)?:
            source = path
        }
        guard let matchContent = try EIPLibraryMediators.text("match_content", in: context) else {
            throw EIPLibraryMediators.fault("the template parameter 'match_content' has no value")
        }
        let plan = try plans.plan(for: matchContent, build: Self.plan)
        let router = CompiledSwitchMediator(source: source, cases: plan.cases, defaultCase: plan.defaultCase)
        return try router.mediate(&context)
    }

    /// The cases and default `match_content` describes.
    static func plan(_ matchContent: String) throws(MediationFault) -> Plan {
        let contentSet = EIPLibraryMediators.javaSplit(matchContent, by: ";")
        guard contentSet.count == 1 || contentSet.count == 2 else {
            // Synapse logs "Invalid match content" and runs a switch without cases.
            return Plan(cases: [], defaultCase: [])
        }
        var cases: [(regex: SharedRegex, mediators: [any CompiledMediator])] = []
        for caseText in EIPLibraryMediators.javaSplit(contentSet[0].trimmingWhitespace(), by: ",") {
            let trimmed = caseText.trimmingWhitespace()
            // An empty case is logged ("Sequence Reference has not defined") and skipped.
            guard !trimmed.isEmpty else { continue }
            cases.append(try makeCase(trimmed))
        }
        var defaultCase: [any CompiledMediator] = []
        if contentSet.count == 2 {
            defaultCase = [CompiledSequenceMediator(key: contentSet[1].trimmingWhitespace())]
        }
        return Plan(cases: cases, defaultCase: defaultCase)
    }

    private static func makeCase(_ text: String) throws(MediationFault) -> (regex: SharedRegex, mediators: [any CompiledMediator]) {
        let parts = EIPLibraryMediators.javaSplit(text, by: ":")
        let regexText: String
        let sequence: String
        switch parts.count {
        case 2:
            regexText = parts[0].trimmingWhitespace()
            sequence = parts[1].trimmingWhitespace()
        case 1:
            regexText = parts[0].trimmingWhitespace()
            sequence = "main"
        default:
            regexText = ""
            sequence = ""
        }
        guard !regexText.isEmpty else {
            throw EIPLibraryMediators.fault("The 'regex' attribute is required for a switch case definition")
        }
        let regex: SharedRegex
        do {
            regex = try SharedRegex(regexText, location: nil)
        } catch {
            throw EIPLibraryMediators.fault("Invalid Regular Expression for attribute 'regex' : \(regexText)")
        }
        return (regex, [CompiledSequenceMediator(key: sequence)])
    }
}
