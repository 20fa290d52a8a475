/// The address of the client whose request is being handled, for the throttles that key on it.
///
/// The management app's `ClientAddressMiddleware` sets it from the TCP peer for the rest of the request, so authenticators deep in
/// the services read it without every call passing the request context along. Nil (in-process callers, or an
/// app built without the middleware) means no per-address throttling.
public enum ClientAddress {
    /// The current request's client address.
    @TaskLocal public static var current: String?
}
