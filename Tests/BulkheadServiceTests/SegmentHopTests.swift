import Synchronization
import Testing
@testable import BulkheadService

/// The loops→actors hop: past its concurrency, requests wait per segment and slots are
/// handed on by weighted fair share. Order is checked through the hop's own queue state, no
/// timing: each waiter is known to be queued before the next one starts.
@Suite struct SegmentHopTests {
    /// A hop whose waiters report when they are queued, and a log of who got a slot.
    private struct Fixture {
        let hop: SegmentHop
        var queued: AsyncStream<String>.Iterator
        let order = OrderLog()

        init(concurrency: Int, maxSegments: Int = 8, weights: [String: Int] = [:]) {
            let (stream, continuation) = AsyncStream.makeStream(of: String.self)
            hop = SegmentHop(concurrency: concurrency, maxSegments: maxSegments, weights: weights) { continuation.yield($0) }
            queued = stream.makeAsyncIterator()
        }
    }

    /// Starts a task that enters the hop for `segment` and records its turn; returns once
    /// the request is queued (the hop says so), so the queue order is the call order.
    private func queue(_ segment: String, _ fixture: inout Fixture) async {
        let hop = fixture.hop
        let order = fixture.order
        Task {
            if await hop.enter(segment) { await order.append(segment) }
        }
        _ = await fixture.queued.next()
    }

    @Test func aQuietSegmentIsServedWithinOneRoundOfAFloodedOne() async {
        var fixture = Fixture(concurrency: 1)
        let hop = fixture.hop
        let order = fixture.order
        #expect(await hop.enter("A"))  // the one slot
        for _ in 0..<5 { await queue("A", &fixture) }
        await queue("B", &fixture)
        #expect(hop.waitingSegments == ["A", "B"])
        for served in 1...6 {
            hop.leave()
            await order.waitForCount(served)
        }
        // A's turn (one), then B — not after A's other four.
        #expect(await order.entries == ["A", "B", "A", "A", "A", "A"])
        #expect(hop.running == 1)
        hop.leave()
        #expect(hop.running == 0)
    }

    @Test func weightsShareTheSlotsExactly() async {
        var fixture = Fixture(concurrency: 1, weights: ["A": 2])
        let hop = fixture.hop
        let order = fixture.order
        #expect(await hop.enter("X"))
        for _ in 0..<4 {
            await queue("A", &fixture)
            await queue("B", &fixture)
        }
        for served in 1...8 {
            hop.leave()
            await order.waitForCount(served)
        }
        #expect(await order.entries == ["A", "A", "B", "A", "A", "B", "B", "B"])
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
        var fixture = Fixture(concurrency: 1, maxSegments: 1)
        let hop = fixture.hop
        let order = fixture.order
        #expect(await hop.enter("A"))
        await queue("A", &fixture)
        // One busy segment is the bound: a second one is refused, not queued.
        #expect(await hop.enter("B") == false)
        hop.leave()
        await order.waitForCount(1)
        hop.leave()
        #expect(hop.running == 0)
    }
}

/// Who got a slot, in order; `waitForCount` suspends (no polling) until enough did.
actor OrderLog {
    private(set) var entries: [String] = []
    private var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    func append(_ segment: String) {
        entries.append(segment)
        let ready = waiters.filter { $0.count <= entries.count }
        waiters.removeAll { $0.count <= entries.count }
        for waiter in ready { waiter.continuation.resume() }
    }

    func waitForCount(_ count: Int) async {
        if entries.count >= count { return }
        await withCheckedContinuation { waiters.append((count, $0)) }
    }
}
