import Synchronization
import Testing
@testable import BulkheadService

/// The loops→actors hop: past its concurrency, requests wait per segment and slots are
/// handed on by weighted fair share. Order is checked through the hop's own queue state, no
/// timing: each waiter is known to be queued before the next one starts.
@Suite struct SegmentHopTests {
    /// Starts a task that enters the hop for `segment`, records its turn, and holds its slot
    /// until the test leaves for it; returns once the task is queued.
    private func queue(_ segment: String, on hop: SegmentHop, into order: OrderLog) async {
        let before = hop.depth(of: segment)
        Task {
            if await hop.enter(segment) { order.append(segment) }
        }
        while hop.depth(of: segment) == before { await Task.yield() }
    }

    @Test func aQuietSegmentIsServedWithinOneRoundOfAFloodedOne() async {
        let hop = SegmentHop(concurrency: 1, maxSegments: 8, weights: [:])
        let order = OrderLog()
        #expect(await hop.enter("A"))  // the one slot
        for _ in 0..<5 { await queue("A", on: hop, into: order) }
        await queue("B", on: hop, into: order)
        #expect(hop.waitingSegments == ["A", "B"])
        for served in 1...6 {
            hop.leave()
            await order.waitForCount(served)
        }
        // A's turn (one), then B — not after A's other four.
        #expect(order.entries == ["A", "B", "A", "A", "A", "A"])
        #expect(hop.running == 1)
        hop.leave()
        #expect(hop.running == 0)
    }

    @Test func weightsShareTheSlotsExactly() async {
        let hop = SegmentHop(concurrency: 1, maxSegments: 8, weights: ["A": 2])
        let order = OrderLog()
        #expect(await hop.enter("X"))
        for _ in 0..<4 {
            await queue("A", on: hop, into: order)
            await queue("B", on: hop, into: order)
        }
        for served in 1...8 {
            hop.leave()
            await order.waitForCount(served)
        }
        #expect(order.entries == ["A", "A", "B", "A", "A", "B", "B", "B"])
        hop.leave()
    }

    @Test func aFreeSlotIsTakenWithoutWaitingUpToTheConcurrency() async {
        let hop = SegmentHop(concurrency: 2, maxSegments: 1, weights: [:])
        #expect(await hop.enter("A"))
        #expect(await hop.enter("B"))
        #expect(hop.running == 2)
        #expect(hop.depth(of: "A") == 0)
        hop.leave()
        hop.leave()
        #expect(hop.running == 0)
    }

    @Test func moreBusySegmentsThanTheBoundAreRefused() async {
        let hop = SegmentHop(concurrency: 1, maxSegments: 1, weights: [:])
        let order = OrderLog()
        #expect(await hop.enter("A"))
        await queue("A", on: hop, into: order)
        // One busy segment is the bound: a second one is refused, not queued.
        #expect(await hop.enter("B") == false)
        hop.leave()
        await order.waitForCount(1)
        hop.leave()
        #expect(hop.running == 0)
    }
}

final class OrderLog: Sendable {
    private let log = Mutex<[String]>([])

    func append(_ segment: String) { log.withLock { $0.append(segment) } }

    var entries: [String] { log.withLock { $0 } }

    func waitForCount(_ count: Int) async {
        while log.withLock({ $0.count }) < count { await Task.yield() }
    }
}
