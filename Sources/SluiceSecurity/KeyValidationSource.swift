public import SluiceModel

/// Where the authentication handler gets its answers.
public enum KeyValidationSource: Sendable {
    /// The in-process key manager, asked on every request: a synchronous memory lookup, so a revoked token is
    /// refused on the very next request (`{ keyValidationService.validate($0) }`).
    case immediate(@Sendable (KeyValidationRequest) -> KeyValidationResult)
    /// A remote key manager behind a gateway-side cache.
    case cached(KeyValidationCache)
}
