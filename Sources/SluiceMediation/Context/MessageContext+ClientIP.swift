extension MessageContext {
    /// The caller's address, the one place the gateway reads it: the `api.ut.clientIp` property when set (the
    /// authentication handler sets it from this accessor; a sequence may change it), else the address the gateway
    /// established for the connection: its peer, or what a trusted proxy's `X-Forwarded-For` says (never a
    /// header the client wrote itself; see `TrustedProxies`). Empty when none is known.
    public var clientIP: String {
        if let property = callText(.clientIP) { return property }
        return clientAddress ?? ""
    }
}
