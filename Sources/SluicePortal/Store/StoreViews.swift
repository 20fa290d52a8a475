import Foundation
import SluiceArtifacts
import SluiceControlPlane
import SluiceModel
import SluiceStorage

/// Turns service results into what the Store's templates read. Everything here is plain text: the templates
/// escape it.
enum StoreViews {
    enum Section: String {
        case apis
        case applications
    }

    static func subnav(_ current: Section, signedIn: Bool) -> [[String: Any]] {
        var links: [[String: Any]] = [["label": "APIs", "href": "/store/apis", "current": current == .apis]]
        if signedIn {
            links.append(["label": "Applications", "href": "/store/applications", "current": current == .applications])
        }
        return links
    }

    static func orderLabel(_ order: StoreCatalogService.Order) -> String {
        switch order {
        case .name: "Name"
        case .newest: "Newest"
        case .rating: "Top rated"
        }
    }

    static func card(_ listing: StoreCatalogService.Listing) -> [String: Any] {
        let api = listing.api
        return [
            "id": api.id,
            "name": api.name,
            "version": api.version,
            "provider": api.provider,
            "initial": String(api.name.first.map(String.init) ?? "?"),
            "description": api.description.map { $0.count > 160 ? String($0.prefix(157)) + "…" : $0 } ?? "",
            "state": api.lifecycleState.rawValue.lowercased(),
            "stateLabel": api.lifecycleState.rawValue.capitalized,
            "isPrototype": api.lifecycleState == .prototyped,
            "stars": stars(listing.rating),
            "rating": ratingText(listing.rating),
            "tags": api.tags.map { ["tag": $0, "href": searchHref("tag:" + $0)] },
            "hasTags": !api.tags.isEmpty,
        ]
    }

    /// Tags sized by how many APIs carry them (three steps).
    static func tagCloud(_ tags: [(tag: String, count: Int)]) -> [[String: Any]] {
        let most = max(1, tags.map(\.count).max() ?? 1)
        return tags.map { entry in
            let weight = most == 1 ? 1 : 1 + Int((Double(entry.count - 1) / Double(most - 1) * 2).rounded())
            return ["tag": entry.tag, "count": entry.count, "weight": weight, "href": searchHref("tag:" + entry.tag)]
        }
    }

    static func searchHref(_ query: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "/store/apis?q=" + (query.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
    }

    /// Five stars, the average rounded to the nearest whole star.
    static func stars(_ average: Double) -> [[String: Any]] {
        let filled = Int(average.rounded())
        return (1...5).map { ["on": $0 <= filled] }
    }

    static func ratingText(_ average: Double) -> String {
        average > 0 ? String(format: "%.1f", average) : "Not rated"
    }

    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }

    /// The operations of an API as the gateway serves them.
    static func resources(_ definition: APIDefinition) -> [[String: Any]] {
        definition.effectiveOperations.map { operation in
            [
                "verb": operation.verb.uppercased(),
                "verbClass": operation.verb.lowercased(),
                "target": operation.target,
                "authType": operation.normalizedAuthType ?? "Any",
                "tier": operation.throttlingPolicy ?? "Unlimited",
            ]
        }
    }

    /// The gateway URL of an API's first resource that a plain `curl` can call (a GET without path
    /// parameters if there is one).
    static func exampleCall(api: APIRecord, definition: APIDefinition, gatewayBaseURL: String) -> (verb: String, url: String) {
        let operations = definition.effectiveOperations
        let pick = operations.first { $0.verb.uppercased() == "GET" && !$0.target.contains("{") && !$0.target.contains("*") }
            ?? operations.first
        var target = pick?.target ?? "/"
        if target.hasSuffix("/*") { target = String(target.dropLast(2)) }
        if target == "/*" || target.isEmpty { target = "/" }
        let base = gatewayBaseURL.hasSuffix("/") ? String(gatewayBaseURL.dropLast()) : gatewayBaseURL
        let path = target == "/" ? "" : target
        return ((pick?.verb ?? "GET").uppercased(), "\(base)\(api.context)/\(api.version)\(path)")
    }

    /// A `curl` command line for an API call with a bearer token.
    static func curl(verb: String, url: String, token: String) -> String {
        let method = verb == "GET" ? "" : "-X \(verb) "
        return "curl -i \(method)-H \"Authorization: Bearer \(token)\" \"\(url)\""
    }

    static func apiPage(
        _ page: StoreCatalogService.APIPage,
        gatewayBaseURL: String?,
        signedIn: Bool,
        applications: [[String: Any]],
        subscribedWith: [String]
    ) -> [String: Any] {
        let api = page.api
        let documents: [[String: Any]] = page.documents.map { document in
            let url = document.sourceURL.flatMap { link -> String? in
                // Only web links become links: a `javascript:` URL must never be clickable.
                let lower = link.lowercased()
                return lower.hasPrefix("https://") || lower.hasPrefix("http://") ? link : nil
            }
            return [
                "name": document.name,
                "type": document.type,
                "summary": document.summary ?? "",
                "hasSummary": !(document.summary ?? "").isEmpty,
                "isLink": document.sourceType == "URL" && url != nil,
                "url": url ?? "",
                "body": document.sourceType == "URL" ? "" : (document.content ?? ""),
                "hasBody": document.sourceType != "URL" && !(document.content ?? "").isEmpty,
            ]
        }
        var values: [String: Any] = [
            "subnav": subnav(.apis, signedIn: signedIn),
            "id": api.id,
            "name": api.name,
            "version": api.version,
            "provider": api.provider,
            "context": api.context,
            "initial": String(api.name.first.map(String.init) ?? "?"),
            "description": api.description ?? "",
            "hasDescription": !(api.description ?? "").isEmpty,
            "hasTags": !api.tags.isEmpty,
            "state": api.lifecycleState.rawValue.lowercased(),
            "stateLabel": api.lifecycleState.rawValue.capitalized,
            "isDeprecated": api.lifecycleState == .deprecated,
            "isPrototype": api.lifecycleState == .prototyped,
            "tags": api.tags.map { ["tag": $0, "href": searchHref("tag:" + $0)] },
            "tiers": page.tiers.map { ["name": $0] },
            "resources": resources(page.definition),
            "documents": documents,
            "hasDocuments": !documents.isEmpty,
            "stars": stars(page.rating.average),
            "rating": ratingText(page.rating.average),
            "ratingCount": page.rating.count,
            "ratingChoices": (1...5).reversed().map { ["value": $0, "selected": $0 == (page.userRating ?? 5)] },
            "comments": page.comments.map { ["author": $0.username, "content": $0.content, "date": date($0.createdAt)] },
            "hasComments": !page.comments.isEmpty,
            "signedIn": signedIn,
            "subscribable": page.isSubscribable,
            "applications": applications,
            "hasApplications": !applications.isEmpty,
            "subscribedWith": subscribedWith.joined(separator: ", "),
            "isSubscribed": !subscribedWith.isEmpty,
            "signInHref": "/store/signin?next=" + (("/store/apis/" + api.id).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
        ]
        if let own = page.userRating { values["userRating"] = own }
        if let gatewayBaseURL {
            let call = exampleCall(api: api, definition: page.definition, gatewayBaseURL: gatewayBaseURL)
            values["gatewayURL"] = "\(gatewayBaseURL)\(api.context)/\(api.version)"
            values["exampleCurl"] = curl(verb: call.verb, url: call.url, token: "<access token>")
        }
        return values
    }
}
