import Foundation
import SluiceManagement
import SluicePortal

/// Request bodies of the management server: `application/x-www-form-urlencoded` as the OAuth2 endpoints and
/// the portals read it, and `multipart/form-data` as the publisher takes definitions and documents.
enum FormTargets {
    static let urlEncoded = FuzzTarget(
        name: "form",
        summary: "x-www-form-urlencoded bodies (OAuth2 endpoints and portal forms)",
        run: { bytes in
            let body = String(decoding: bytes, as: UTF8.self)
            if let parameters = try? FormParameters(body: body) {
                _ = parameters["grant_type"]
            }
            if let form = try? PortalForm(body: body) {
                _ = form.text("name")
                _ = form.values("roles")
            }
        }
    )

    static let multipart = FuzzTarget(
        name: "multipart",
        summary: "multipart/form-data: content type (first line), body (the rest)",
        run: { bytes in
            let (contentType, body) = FuzzTarget.split(bytes)
            guard let form = try? MultipartFormData(body: Data(body), contentType: contentType) else { return }
            for part in form.parts { _ = part.text }
        }
    )
}
