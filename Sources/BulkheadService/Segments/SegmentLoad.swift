import Synchronization

/// What one segment's overload costs and gets, for `/metrics`: requests shed (at the head,
/// before the body, or at the in-flight gate), requests admitted to its actor, and the time
/// they waited for their fair turn at the hop. Counters only; no decision reads them.
final class SegmentLoad: Sendable {
    let weight: Int
    let budget: Int
    private let shedAtHeadCount = Atomic<UInt64>(0)
    private let shedAtGateCount = Atomic<UInt64>(0)
    private let admittedCount = Atomic<UInt64>(0)
    private let waitedNanoseconds = Atomic<UInt64>(0)

    init(weight: Int, budget: Int) {
        self.weight = weight
        self.budget = budget
    }

    func shedAtHead() { shedAtHeadCount.add(1, ordering: .relaxed) }
    func shedAtGate() { shedAtGateCount.add(1, ordering: .relaxed) }

    func admitted(waited nanoseconds: UInt64) {
        admittedCount.add(1, ordering: .relaxed)
        if nanoseconds > 0 { waitedNanoseconds.add(nanoseconds, ordering: .relaxed) }
    }

    var shed: (atHead: UInt64, atGate: UInt64) {
        (shedAtHeadCount.load(ordering: .relaxed), shedAtGateCount.load(ordering: .relaxed))
    }

    var admissions: UInt64 { admittedCount.load(ordering: .relaxed) }
    var waitSeconds: Double { Double(waitedNanoseconds.load(ordering: .relaxed)) / 1e9 }
}
