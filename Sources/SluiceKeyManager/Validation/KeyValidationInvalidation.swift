/// A change after which a gateway's cached key-validation answers may be wrong, other than token revocation
/// (see ``KeyValidationService/onRevocation(_:)`` for that).
public enum KeyValidationInvalidation: Sendable, Hashable {
    /// Every answer for this application: it was deleted or its tier changed.
    case application(id: String)
    /// Answers for this application calling this API: the subscription was blocked, re-tiered or removed.
    /// `apiContext` is normalized: no trailing version segment.
    case subscription(applicationID: String, apiContext: String, apiVersion: String)
}
