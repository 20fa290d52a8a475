import SluiceModel
import Testing

@Suite struct LRUDictionaryTests {
    @Test func evictsTheLeastRecentlyUsedEntry() {
        var cache = LRUDictionary<String, Int>(capacity: 3)
        cache.updateValue(1, forKey: "a")
        cache.updateValue(2, forKey: "b")
        cache.updateValue(3, forKey: "c")
        #expect(cache.value(forKey: "a") == 1)
        let evicted = cache.updateValue(4, forKey: "d")
        #expect(evicted?.key == "b")
        #expect(cache.keysByRecency == ["d", "a", "c"])
        #expect(cache.peek("c") == 3)
        #expect(cache.keysByRecency == ["d", "a", "c"])
        cache.updateValue(30, forKey: "c")
        #expect(cache.keysByRecency == ["c", "d", "a"])
        #expect(cache.count == 3)
    }

    @Test func removalsFreeSlotsForReuse() {
        var cache = LRUDictionary<Int, Int>(capacity: 4)
        for key in 0..<4 { cache.updateValue(key * 10, forKey: key) }
        #expect(cache.removeValue(forKey: 1) == 10)
        #expect(cache.removeValue(forKey: 9) == nil)
        cache.removeAll { key, _ in key == 3 }
        #expect(cache.keysByRecency == [2, 0])
        cache.updateValue(50, forKey: 5)
        cache.updateValue(60, forKey: 6)
        #expect(cache.updateValue(70, forKey: 7)?.key == 0)
        #expect(cache.keysByRecency == [7, 6, 5, 2])
        cache.removeAll()
        #expect(cache.isEmpty)
        cache.updateValue(1, forKey: 1)
        #expect(cache.keysByRecency == [1])
    }

    @Test func aLongRunKeepsTheOrderConsistent() {
        var cache = LRUDictionary<Int, Int>(capacity: 8)
        var model: [Int] = []  // most recent first
        var state: UInt64 = 42
        for _ in 0..<5_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let key = Int(state >> 60)
            switch state >> 58 & 3 {
            case 0:
                _ = cache.removeValue(forKey: key)
                model.removeAll { $0 == key }
            case 1:
                if cache.value(forKey: key) != nil {
                    model.removeAll { $0 == key }
                    model.insert(key, at: 0)
                }
            default:
                cache.updateValue(key, forKey: key)
                model.removeAll { $0 == key }
                model.insert(key, at: 0)
                if model.count > 8 { model.removeLast() }
            }
            #expect(cache.keysByRecency == model)
        }
    }
}
