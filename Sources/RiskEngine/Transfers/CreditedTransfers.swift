/// The transfer ids a destination has credited, so a second credit for an id is a no-op.
///
/// Bounded FIFO of `capacity` ids. Why forgetting the oldest is safe: a credit is only ever
/// retried for a transfer still `pending` at its source, and the service settles each
/// transfer right after its credit is durable (recovery settles every pending one before
/// serving). So a retried id is always among the few most recent credits — far fewer than
/// `capacity`, which is a constant because it is part of what replay decides.
struct CreditedTransfers: Sendable, Hashable {
    static let capacity = 16_384

    /// Oldest first.
    private(set) var order: [UInt64] = []
    private var start = 0
    private var members: Set<UInt64> = []

    func contains(_ id: UInt64) -> Bool { members.contains(id) }

    var ids: ArraySlice<UInt64> { order[start...] }

    mutating func insert(_ id: UInt64) {
        guard members.insert(id).inserted else { return }
        order.append(id)
        if order.count - start > Self.capacity {
            members.remove(order[start])
            start += 1
            // Compact once half the array is dead: amortized O(1), memory ≤ 2·capacity.
            if start >= Self.capacity {
                order.removeFirst(start)
                start = 0
            }
        }
    }

    static func == (lhs: CreditedTransfers, rhs: CreditedTransfers) -> Bool { lhs.ids == rhs.ids }

    func hash(into hasher: inout Hasher) { hasher.combine(Array(ids)) }
}
