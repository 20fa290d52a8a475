extension Duration {
    /// The duration in whole milliseconds (the unit retention cut-offs are stored in), rounded toward zero.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
