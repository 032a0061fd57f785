import Foundation  // tests only: to read the engine's sources
import Testing
@testable import RiskEngine

/// The volatility statistic computed with the stdlib only: known values against 50-digit
/// references, and a source check that `RiskEngine` links no C library.
@Suite struct PortableMathTests {
    /// Distance in units in the last place.
    func ulps(_ a: Double, _ b: Double) -> UInt64 {
        let x = Int64(bitPattern: a.bitPattern), y = Int64(bitPattern: b.bitPattern)
        return (x - y).magnitude
    }

    @Test(arguments: [
        (2.0, 0.6931471805599453), (10.0, 2.302585092994046), (0.5, -0.6931471805599453),
        (1.0001, 9.999500033329732e-05), (0.9999, -0.00010000500033334732), (1e-05, -11.512925464970229),
        (123456.789, 11.723646487185881), (1.5, 0.4054651081081644), (3.0, 1.0986122886681098),
        (1.0000039062579347, 3.906250305265928e-06), (1.0, 0.0),
    ])
    func logKnownValues(_ x: Double, _ expected: Double) {
        #expect(ulps(PortableMath.log(x), expected) <= 1, "ln(\(x)) = \(PortableMath.log(x)), expected \(expected)")
    }

    @Test(arguments: [
        (-0.5, 0.7071067811865476), (-0.0002777777777777778, 0.9998074776513175), (-1.0, 0.5),
        (-10.25, 0.0008211879055212056), (0.5, 1.4142135623730951), (-3.3, 0.10153154954452945), (0.0, 1.0),
        (-1074.5, 5e-324), (-2000.0, 0.0),
    ])
    func exp2KnownValues(_ y: Double, _ expected: Double) {
        #expect(ulps(PortableMath.exp2(y), expected) <= 1, "2^\(y) = \(PortableMath.exp2(y)), expected \(expected)")
    }

    @Test func invalidInputIsNotASample() {
        #expect(PortableMath.log(0).isNaN && PortableMath.log(-1).isNaN && PortableMath.log(.infinity).isNaN)
        #expect(PortableMath.exp2(.nan).isNaN)
    }

    /// The EWMA after a known path, bit for bit: the same bits on every platform, since only
    /// IEEE basic operations produce them. (Reference: 60-digit arithmetic of the same EWMA;
    /// the golden bits pin the engine's own rounding.)
    @Test func volatilityIsDeterministic() {
        var s = makeSegment(makeSpec(maxJump: "1000"))
        let path = ["100", "101.5", "99.25", "100.125", "97", "103.33333333", "102"]
        for (i, price) in path.enumerated() { s.price("X", price, at: Int64(i) * 60) }
        let variance = s.markets[2].volatility.variancePerSecond
        #expect(abs(variance / Self.referenceVariance - 1) < 1e-12, "\(variance)")
        #expect(variance.bitPattern == Self.goldenBits, "bits \(String(variance.bitPattern, radix: 16))")
    }

    static let referenceVariance = 1.1235377291381626e-06
    static let goldenBits: UInt64 = 4_517_912_583_539_558_560

    /// RISK.md: no libm call whose last bit may differ between C libraries.
    @Test func riskEngineImportsNoCLibrary() throws {
        let root = String(#filePath.split(separator: "/Tests/", maxSplits: 1)[0])
        let files = try sourceFiles(under: root + "/Sources/RiskEngine")
        #expect(files.count > 30)
        for file in files {
            let text = try readText(file)
            for forbidden in ["import Glibc", "import Darwin", "import Foundation", "import Musl", "import ucrt"] {
                #expect(!text.contains(forbidden), "\(file) has \(forbidden)")
            }
        }
    }
}

func sourceFiles(under path: String) throws -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: path) else { return [] }
    return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.map { path + "/" + $0 }.sorted()
}

func readText(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
}
