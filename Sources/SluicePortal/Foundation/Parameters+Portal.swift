import Hummingbird

extension Parameters {
    /// A path parameter the route declares (empty when absent, which a lookup then answers with 404).
    func path(_ name: String) -> String {
        get(name) ?? ""
    }
}
