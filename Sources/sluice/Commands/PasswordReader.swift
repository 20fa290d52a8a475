import Foundation

/// Reads a password without echoing it: from the terminal with echo switched off, or the first line of a pipe.
enum PasswordReader {
    /// - Throws: ``CLIError`` when standard input is closed or the line is empty.
    static func read(prompt: String) throws -> String {
        let interactive = isatty(STDIN_FILENO) != 0
        var saved = termios()
        if interactive {
            FileHandle.standardError.write(Data(prompt.utf8))
            tcgetattr(STDIN_FILENO, &saved)
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        }
        let line = readLine(strippingNewline: true)
        if interactive {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line, !line.isEmpty else {
            throw CLIError("no password given: use SLUICE_PASSWORD, standard input or --password")
        }
        return line
    }
}
