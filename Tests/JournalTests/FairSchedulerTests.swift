import Testing
import Journal

private typealias Refusal = FairScheduler<String, Int>.Refusal

@Suite struct FairSchedulerTests {
    @Test func aQuietKeyIsServedWithinOneRoundOfADeepQueue() throws {
        var scheduler = FairScheduler<String, Int>()
        for index in 0..<1_000 { try scheduler.enqueue(index, for: "A") }
        #expect(scheduler.dequeue()?.key == "A")
        try scheduler.enqueue(0, for: "B")
        // A's turn is spent (weight 1): the quiet key is next, not after A's 999 others.
        let next = scheduler.dequeue()
        #expect(next?.key == "B")
        #expect(scheduler.depth(of: "A") == 999)
    }

    @Test func weightsAreHonouredExactlyOverWholeRounds() throws {
        var scheduler = FairScheduler<String, Int>()
        scheduler.setWeight(3, for: "A")
        scheduler.setWeight(1, for: "B")
        for index in 0..<300 {
            try scheduler.enqueue(index, for: "A")
            try scheduler.enqueue(index, for: "B")
        }
        var served: [String: Int] = [:]
        for _ in 0..<(4 * 50) { served[scheduler.dequeue()!.key, default: 0] += 1 }
        #expect(served["A"] == 150)
        #expect(served["B"] == 50)
        // And the exact interleaving of a round: A's three, then B's one.
        #expect((0..<4).map { _ in scheduler.dequeue()!.key } == ["A", "A", "A", "B"])
    }

    @Test func costIsChargedAgainstTheTurnAndCarriesOver() throws {
        var scheduler = FairScheduler<String, String>(limits: .init(quantum: 2))
        try scheduler.enqueue("a-big", for: "A", cost: 3)
        try scheduler.enqueue("a-small", for: "A", cost: 1)
        try scheduler.enqueue("b1", for: "B", cost: 1)
        try scheduler.enqueue("b2", for: "B", cost: 1)
        try scheduler.enqueue("b3", for: "B", cost: 1)
        // A's first turn (2) cannot pay 3: B spends its 2, A then has 4 and pays 3 + 1.
        let order = (0..<5).map { _ in scheduler.dequeue()!.item }
        #expect(order == ["b1", "b2", "a-big", "a-small", "b3"])
        #expect(scheduler.dequeue() == nil)
    }

    @Test func orderWithinAKeyIsFirstInFirstOut() throws {
        var scheduler = FairScheduler<String, Int>()
        for index in 0..<100 {
            try scheduler.enqueue(index, for: index % 3 == 0 ? "A" : "B")
        }
        var seen: [String: [Int]] = [:]
        while let next = scheduler.dequeue() { seen[next.key, default: []].append(next.item) }
        #expect(seen["A"] == seen["A"]!.sorted())
        #expect(seen["B"] == seen["B"]!.sorted())
        #expect(scheduler.isEmpty && scheduler.count == 0)
    }

    @Test func anIdleKeyKeepsNoCredit() throws {
        var scheduler = FairScheduler<String, Int>()
        scheduler.setWeight(2, for: "B")
        try scheduler.enqueue(1, for: "B")
        #expect(scheduler.dequeue()?.key == "B")  // B had credit 2, spent 1, went idle
        for index in 0..<4 { try scheduler.enqueue(index, for: "A") }
        try scheduler.enqueue(2, for: "B")
        try scheduler.enqueue(3, for: "B")
        try scheduler.enqueue(4, for: "B")
        // A became busy first and leads; B gets exactly its weight (2) per turn, no saved credit.
        #expect((0..<6).map { _ in scheduler.dequeue()!.key } == ["A", "B", "B", "A", "B", "A"])
    }

    @Test func boundsRefuseAtTheirEdges() throws {
        var scheduler = FairScheduler<String, Int>(limits: .init(maxQueuedPerKey: 2, maxKeys: 2))
        try scheduler.enqueue(1, for: "A")
        try scheduler.enqueue(2, for: "A")
        #expect(throws: Refusal.keyQueueFull) { try scheduler.enqueue(3, for: "A") }
        try scheduler.enqueue(1, for: "B")
        #expect(throws: Refusal.tooManyKeys) { try scheduler.enqueue(1, for: "C") }
        #expect(scheduler.count == 3)
        #expect(scheduler.depth(of: "A") == 2)
        // Draining a key frees its place for another.
        _ = scheduler.dequeue()
        _ = scheduler.dequeue()
        _ = scheduler.dequeue()
        try scheduler.enqueue(1, for: "C")
        #expect(scheduler.busyKeys == ["C"])
    }

    @Test func weightsAreClampedToTheirRange() throws {
        var scheduler = FairScheduler<String, Int>()
        scheduler.setWeight(0, for: "A")
        scheduler.setWeight(1_000_000, for: "B")
        #expect(scheduler.weight(of: "A") == 1)
        #expect(scheduler.weight(of: "B") == 1_000)
        #expect(scheduler.weight(of: "unset") == 1)
    }

    @Test func aBatchStopsAtItsBoundAndTakesEveryBusyKey() throws {
        var scheduler = FairScheduler<String, Int>()
        for index in 0..<50 { try scheduler.enqueue(index, for: "A") }
        try scheduler.enqueue(0, for: "B")
        let batch = scheduler.dequeueBatch(maxItems: 4)
        #expect(batch.map { $0.key } == ["A", "B", "A", "A"])
        #expect(scheduler.count == 47)
        #expect(scheduler.dequeueBatch(maxItems: 0).isEmpty)
    }
}
