import PropertyBased
import Testing
@testable import RiskEngine

/// Three segments with bridges both ways between each pair; random deposits, withdrawals,
/// debits, credits, settlements and halts, each journaled the way the service would.
struct TransferWorld {
    static let ids = ["alts", "majors", "stable"]
    var segments: [String: Segment] = [:]
    var journal: [String: [EngineCommand]] = [:]
    var netDeposits: Int128 = 0
    var nextId: UInt64 = 1
    var time: Int64 = 0

    init() {
        for id in Self.ids { segments[id] = makeSegment(makeSpec(id: id)); journal[id] = [] }
    }

    func bridge(_ from: String, _ to: String) -> BridgeSpec {
        makeBridge(from: from, to: to, windowSeconds: 60, windowLimit: "300", maxTransfer: "200", elevatedFactor: "0.5")
    }

    var pending: [TransferRecord] { Self.ids.flatMap { segments[$0]!.pendingTransfers } }

    mutating func record(_ id: String, _ command: EngineCommand) { journal[id]!.append(command) }

    /// kind: 0 deposit, 1 withdraw, 2 debit, 3 credit a pending one, 4 settle a pending one, 5 toggle a halt.
    mutating func run(kind: Int, x: Int, y: Int, cents: Int) throws {
        time += 1
        let from = Self.ids[x % 3], to = Self.ids[y % 3]
        let account = "acct\(cents % 2)"
        let amount = Amount(uncheckedRaw: Int128(cents) * 1_000_000)
        switch kind {
        case 0, 1:
            let movement = CollateralCommand(account: account, asset: "USDC", amount: kind == 0 ? amount : amount.negated, arrival: t(time))
            if try segments[from]!.apply(movement).decision.isAccepted {
                netDeposits += movement.amount.raw
                record(from, .collateral(movement))
            }
        case 2:
            guard from != to else { return }
            let debit = TransferDebit(
                id: nextId, account: account, amount: amount, bridge: bridge(from, to),
                destinationMode: segments[to]!.currentMode, arrival: t(time))
            nextId += 1
            if try segments[from]!.apply(debit).decision.isAccepted { record(from, .transferDebit(debit)) }
        case 3:
            let open = pending
            guard !open.isEmpty else { return }
            let transfer = open[cents % open.count]
            let credit = TransferCredit(for: transfer, arrival: t(time))
            if case .credited = segments[transfer.to]!.apply(credit) { record(transfer.to, .transferCredit(credit)) }
        case 4:
            let open = pending
            guard !open.isEmpty else { return }
            let transfer = open[cents % open.count]
            let credited = segments[transfer.to]!.hasCredited(transfer: transfer.id)
            let settlement = TransferSettlement(id: transfer.id, outcome: credited ? .completed : .refunded, arrival: t(time))
            #expect(try segments[transfer.from]!.apply(settlement) != nil)
            record(transfer.from, .transferSettlement(settlement))
        default:
            let halted = segments[from]!.currentMode == .halted
            segments[from]!.setModeOverride(halted ? nil : .halted, arrival: t(time))
            record(from, .setModeOverride(halted ? nil : .halted, arrival: t(time)))
        }
    }

    /// Σ balances over every segment + Σ debited-but-not-credited = net deposits.
    var conservedTotal: Int128 {
        let balances = Self.ids.reduce(Int128(0)) { $0 + segments[$1]!.total() - makeSegment(makeSpec(id: $1)).total() }
        let transit = pending.filter { !segments[$0.to]!.hasCredited(transfer: $0.id) }.reduce(Int128(0)) { $0 + $1.amount.raw }
        return balances + transit
    }
}

let transferStepGen = zip(Gen.int(in: 0...5), Gen.int(in: 0...2), Gen.int(in: 0...2), Gen.int(in: 1...30_000))

@Suite struct TransferPropertyTests {
    @Test func valueIsConservedAcrossSegments() async {
        await propertyCheck(count: 60, input: transferStepGen.array(of: 1...80)) { steps in
            var world = TransferWorld()
            for (kind, x, y, cents) in steps {
                try? world.run(kind: kind, x: x, y: y, cents: cents)
                #expect(world.conservedTotal == world.netDeposits)
            }
        }
    }

    /// Replaying each segment's journaled commands rebuilds it bit for bit, also through a
    /// snapshot taken half way; the window is counted from the journaled times.
    @Test func replayAndSnapshotRebuildTheSameState() async {
        await propertyCheck(count: 40, input: transferStepGen.array(of: 1...80)) { steps in
            var world = TransferWorld()
            for (kind, x, y, cents) in steps { try? world.run(kind: kind, x: x, y: y, cents: cents) }
            for id in TransferWorld.ids {
                let commands = world.journal[id]!
                var replayed = makeSegment(makeSpec(id: id))
                var half: Segment?
                for (i, command) in commands.enumerated() {
                    let bytes = command.encoded()
                    #expect((try? EngineCommand(decoding: bytes)) == command)
                    #expect((try? replayed.apply(command)) != nil)
                    if i == commands.count / 2 { half = try? Segment(snapshot: replayed.snapshot()) }
                }
                #expect(replayed.stateHash == world.segments[id]!.stateHash)
                if var half {
                    for command in commands.dropFirst(commands.count / 2 + 1) { try? half.apply(command) }
                    #expect(half.stateHash == world.segments[id]!.stateHash)
                    #expect(half.snapshot() == world.segments[id]!.snapshot())
                }
            }
        }
    }
}
