extension Substring {
    /// The text without the spaces and tabs around it: the optional whitespace around the items of an HTTP header
    /// list (`X-Forwarded-For`) or of a comma-separated setting (permitted IPs, security schemes).
    package func trimmingSpaces() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
