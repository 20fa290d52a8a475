import ArgumentParser

/// A listener's port on the command line: a number (0 picks a free one), or `off` to switch the listener off.
enum ListenerPort: Equatable, ExpressibleByArgument {
    case port(Int)
    case off

    init?(argument: String) {
        if argument.lowercased() == "off" {
            self = .off
        } else if let number = Int(argument), (0...65535).contains(number) {
            self = .port(number)
        } else {
            return nil
        }
    }

    /// The port, or nil when switched off.
    var number: Int? {
        if case .port(let number) = self { number } else { nil }
    }
}
