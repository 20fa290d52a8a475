/// A dictionary of bounded size that evicts its least recently used entry to make room, in O(1) per operation.
///
/// For caches and counters an outsider can fill with keys of his choosing (random tokens, user names): a cache
/// that empties itself when full lets a flood of new keys throw out a victim's entry; here the flood only
/// pushes out the entries nobody used for longest, and an entry in use keeps moving back to the front.
///
/// ```swift
/// var cache = LRUDictionary<String, Int>(capacity: 2)
/// cache.updateValue(1, forKey: "a")
/// cache.updateValue(2, forKey: "b")
/// _ = cache.value(forKey: "a")          // "a" is now the most recently used
/// cache.updateValue(3, forKey: "c")     // evicts "b"
/// ```
public struct LRUDictionary<Key: Hashable, Value> {
    fileprivate struct Node {
        var key: Key
        var value: Value
        /// Towards the most recently used end, or -1.
        var newer: Int
        /// Towards the least recently used end, or -1.
        var older: Int
    }

    /// The most entries kept.
    public let capacity: Int
    private var nodes: [Node?] = []
    private var index: [Key: Int] = [:]
    private var freeSlots: [Int] = []
    private var newest = -1
    private var oldest = -1

    /// An empty dictionary holding at most `capacity` entries (at least one).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The number of entries.
    public var count: Int { index.count }

    /// True when there are no entries.
    public var isEmpty: Bool { index.isEmpty }

    /// The value for `key`, which becomes the most recently used; nil when absent.
    public mutating func value(forKey key: Key) -> Value? {
        guard let slot = index[key] else { return nil }
        moveToFront(slot)
        return nodes[slot]!.value
    }

    /// The value for `key` without changing the order of use.
    public func peek(_ key: Key) -> Value? {
        index[key].map { nodes[$0]!.value }
    }

    /// Sets the value for `key` and makes it the most recently used; evicts the least recently used entry when a
    /// new key does not fit.
    /// - Returns: The entry evicted to make room, if any.
    @discardableResult
    public mutating func updateValue(_ value: Value, forKey key: Key) -> (key: Key, value: Value)? {
        if let slot = index[key] {
            nodes[slot]!.value = value
            moveToFront(slot)
            return nil
        }
        var evicted: (key: Key, value: Value)?
        if index.count >= capacity, oldest >= 0 {
            let victim = nodes[oldest]!
            evicted = (victim.key, victim.value)
            removeValue(forKey: victim.key)
        }
        let node = Node(key: key, value: value, newer: -1, older: newest)
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            nodes[slot] = node
        } else {
            slot = nodes.count
            nodes.append(node)
        }
        if newest >= 0 { nodes[newest]!.newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
        index[key] = slot
        return evicted
    }

    /// Removes the entry for `key`.
    /// - Returns: Its value, nil when absent.
    @discardableResult
    public mutating func removeValue(forKey key: Key) -> Value? {
        guard let slot = index.removeValue(forKey: key) else { return nil }
        let node = nodes[slot]!
        unlink(slot)
        nodes[slot] = nil
        freeSlots.append(slot)
        return node.value
    }

    /// Removes every entry `shouldRemove` accepts (O(n)).
    public mutating func removeAll(where shouldRemove: (Key, Value) throws -> Bool) rethrows {
        var doomed: [Key] = []
        for node in nodes {
            guard let node else { continue }
            if try shouldRemove(node.key, node.value) { doomed.append(node.key) }
        }
        for key in doomed { removeValue(forKey: key) }
    }

    /// Removes every entry.
    public mutating func removeAll() {
        nodes.removeAll()
        index.removeAll()
        freeSlots.removeAll()
        newest = -1
        oldest = -1
    }

    /// The keys from the most to the least recently used.
    public var keysByRecency: [Key] {
        var keys: [Key] = []
        keys.reserveCapacity(count)
        var slot = newest
        while slot >= 0 {
            keys.append(nodes[slot]!.key)
            slot = nodes[slot]!.older
        }
        return keys
    }

    // MARK: - Private

    private mutating func moveToFront(_ slot: Int) {
        guard slot != newest else { return }
        unlink(slot)
        nodes[slot]!.older = newest
        nodes[slot]!.newer = -1
        if newest >= 0 { nodes[newest]!.newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }

    private mutating func unlink(_ slot: Int) {
        let node = nodes[slot]!
        if node.newer >= 0 { nodes[node.newer]!.older = node.older } else { newest = node.older }
        if node.older >= 0 { nodes[node.older]!.newer = node.newer } else { oldest = node.newer }
    }
}

extension LRUDictionary: Sendable where Key: Sendable, Value: Sendable {}
extension LRUDictionary.Node: Sendable where Key: Sendable, Value: Sendable {}
