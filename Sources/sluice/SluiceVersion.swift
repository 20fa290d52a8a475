/// The version `sluice --version` prints.
enum SluiceVersion {
    static let current = "0.1.0"
}
