/// A dictionary holding at most `capacity` entries that, when full, forgets the entry used least recently.
///
/// Throttles keep their per-name and per-address state here: a flood of new keys pushes out only the oldest
/// idle ones, never the whole table (a table that empties itself when full lets an attacker reset a victim's
/// counter by spraying names). Every operation is O(1): the entries form a doubly linked list, most recent
/// first, threaded through arrays so no node is allocated per entry.
package struct LRUCache<Key: Hashable, Value> {
    fileprivate struct Node {
        var key: Key
        var value: Value
        var newer: Int?
        var older: Int?
    }

    private var nodes: [Node] = []
    private var slots: [Key: Int] = [:]
    private var newest: Int?
    private var oldest: Int?
    /// The most entries kept.
    package let capacity: Int

    /// Creates an empty cache.
    /// - Parameter capacity: The most entries kept (at least one).
    package init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// How many entries are held.
    package var count: Int { slots.count }

    /// The value for `key`, marking it as just used.
    package mutating func value(for key: Key) -> Value? {
        guard let slot = slots[key] else { return nil }
        touch(slot)
        return nodes[slot].value
    }

    /// Stores `value` for `key` as the most recent entry, forgetting the least recent one when full.
    package mutating func set(_ value: Value, for key: Key) {
        if let slot = slots[key] {
            nodes[slot].value = value
            touch(slot)
            return
        }
        let slot: Int
        if slots.count >= capacity, let victim = oldest {
            // Reuse the oldest node's slot for the newcomer.
            unlink(victim)
            slots[nodes[victim].key] = nil
            nodes[victim] = Node(key: key, value: value, newer: nil, older: nil)
            slot = victim
        } else {
            nodes.append(Node(key: key, value: value, newer: nil, older: nil))
            slot = nodes.count - 1
        }
        slots[key] = slot
        linkAsNewest(slot)
    }

    /// Forgets `key`.
    package mutating func remove(_ key: Key) {
        guard let slot = slots.removeValue(forKey: key) else { return }
        unlink(slot)
        let last = nodes.count - 1
        if slot != last {
            // Move the last node into the freed slot so the arrays stay dense.
            let moved = nodes[last]
            nodes[slot] = moved
            slots[moved.key] = slot
            if let newer = moved.newer { nodes[newer].older = slot } else { newest = slot }
            if let older = moved.older { nodes[older].newer = slot } else { oldest = slot }
        }
        nodes.removeLast()
    }

    private mutating func touch(_ slot: Int) {
        guard newest != slot else { return }
        unlink(slot)
        linkAsNewest(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let node = nodes[slot]
        if let newer = node.newer { nodes[newer].older = node.older } else { newest = node.older }
        if let older = node.older { nodes[older].newer = node.newer } else { oldest = node.newer }
        nodes[slot].newer = nil
        nodes[slot].older = nil
    }

    private mutating func linkAsNewest(_ slot: Int) {
        nodes[slot].older = newest
        nodes[slot].newer = nil
        if let newest { nodes[newest].newer = slot }
        newest = slot
        if oldest == nil { oldest = slot }
    }
}

extension LRUCache: Sendable where Key: Sendable, Value: Sendable {}

extension LRUCache.Node: Sendable where Key: Sendable, Value: Sendable {}
