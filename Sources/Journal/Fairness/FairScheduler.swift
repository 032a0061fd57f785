/// Deficit round robin (Shreedhar & Varghese) over one FIFO queue per key: each turn a key
/// may spend `quantum × weight` of cost, so over whole rounds every busy key is served in
/// proportion to its weight, and a key that just became busy is served within one round
/// however deep another key's queue is.
///
/// Pure and deterministic: the round order is the order in which keys became busy (never a
/// dictionary's order), and nothing reads a clock. Bounded: at most `maxQueuedPerKey` items
/// per key and `maxKeys` busy keys; `enqueue` refuses beyond that instead of growing.
/// Not thread-safe: the owner holds it under its own lock.
public struct FairScheduler<Key: Hashable, Item> {
    public struct Limits: Sendable, Equatable {
        /// Cost a weight-1 key may spend per turn; at least 1.
        public var quantum: Int
        public var maxQueuedPerKey: Int
        public var maxKeys: Int

        public init(quantum: Int = 1, maxQueuedPerKey: Int = 65_536, maxKeys: Int = 4_096) {
            self.quantum = max(1, quantum)
            self.maxQueuedPerKey = max(1, maxQueuedPerKey)
            self.maxKeys = max(1, maxKeys)
        }
    }

    public enum Refusal: Error, Equatable { case keyQueueFull, tooManyKeys }

    public static var weightRange: ClosedRange<Int> { 1...1_000 }

    public let limits: Limits
    private var queues: [Key: Lane] = [:]
    /// Busy keys in the order they became busy; `cursor` is the key whose turn it is.
    private var round: [Key] = []
    private var cursor = 0
    private var turnOpen = false
    private var weights: [Key: Int] = [:]
    public private(set) var count = 0

    private struct Lane {
        var items: [(item: Item, cost: Int)] = []
        var head = 0
        var deficit = 0
        var isEmpty: Bool { head == items.count }
        var depth: Int { items.count - head }

        mutating func pop() -> (item: Item, cost: Int) {
            let next = items[head]
            head += 1
            // Compact once the consumed prefix dominates, so memory follows the live depth.
            if head > 32 && head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
            return next
        }
    }

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// A key's weight (1 unless set). Weights outside `weightRange` are clamped.
    public mutating func setWeight(_ weight: Int, for key: Key) {
        weights[key] = min(max(weight, Self.weightRange.lowerBound), Self.weightRange.upperBound)
    }

    public func weight(of key: Key) -> Int { weights[key] ?? 1 }

    public func depth(of key: Key) -> Int { queues[key]?.depth ?? 0 }

    public var isEmpty: Bool { count == 0 }

    /// Keys with queued items, in round order.
    public var busyKeys: [Key] { round }

    /// Appends `item` to its key's queue. `cost` (at least 1) is what it spends of the turn.
    /// Throws, changing nothing, when the key's queue or the number of busy keys is at its bound.
    public mutating func enqueue(_ item: Item, for key: Key, cost: Int = 1) throws(Refusal) {
        let cost = max(1, cost)
        if var lane = queues[key] {
            guard lane.depth < limits.maxQueuedPerKey else { throw .keyQueueFull }
            queues[key] = nil  // uniquely referenced while appending
            lane.items.append((item, cost))
            queues[key] = lane
        } else {
            guard round.count < limits.maxKeys else { throw .tooManyKeys }
            var lane = Lane()
            lane.items.append((item, cost))
            queues[key] = lane
            round.append(key)
        }
        count += 1
    }

    /// The next item by weighted fair share, or nil when nothing is queued.
    public mutating func dequeue() -> (key: Key, item: Item)? {
        while !round.isEmpty {
            if cursor >= round.count { cursor = 0 }
            let key = round[cursor]
            var lane = queues.removeValue(forKey: key)!
            if !turnOpen {
                lane.deficit += limits.quantum * weight(of: key)
                turnOpen = true
            }
            let cost = lane.items[lane.head].cost
            guard cost <= lane.deficit else {
                // Turn spent: the remainder carries over to the key's next turn.
                queues[key] = lane
                turnOpen = false
                cursor += 1
                continue
            }
            let next = lane.pop()
            lane.deficit -= next.cost
            count -= 1
            if lane.isEmpty {
                // An idle key keeps no credit (DRR): it cannot save up a burst.
                round.remove(at: cursor)
                turnOpen = false
            } else {
                queues[key] = lane
            }
            return (key, next.item)
        }
        return nil
    }

    /// Up to `maxItems` items by fair share, in service order.
    public mutating func dequeueBatch(maxItems: Int) -> [(key: Key, item: Item)] {
        var batch: [(key: Key, item: Item)] = []
        while batch.count < maxItems, let next = dequeue() {
            batch.append(next)
        }
        return batch
    }
}
