/// A failure of a remote command, worded for the person at the terminal. ArgumentParser prints it as
/// `Error: <description>` and exits with status 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
