/// The governable parameters of a spec, addressed by path, with the bound that applies to a
/// step of each and which direction tightens (RISK.md "Governance").
extension SegmentSpec {
    /// How far one step may move a parameter.
    enum StepBound: Sendable {
        /// ± `maxFractionStep`, absolute.
        case fraction
        /// × or ÷ `maxRelativeStep`.
        case relative
        /// ± `maxWeightStep`, absolute.
        case weight
        /// ± `maxProportionalStep` of the current value.
        case proportional
    }

    struct FieldRule: Sendable {
        var bound: StepBound
        /// Whether a higher value is the stricter one.
        var higherIsTighter: Bool
        var isInteger: Bool
        var isOptional: Bool = false
    }

    private static let oracleRules: [String: FieldRule] = [
        "maxAgeSeconds": FieldRule(bound: .proportional, higherIsTighter: false, isInteger: true),
        "liquidationMaxAgeSeconds": FieldRule(bound: .proportional, higherIsTighter: false, isInteger: true),
        "maxFutureSkewSeconds": FieldRule(bound: .proportional, higherIsTighter: false, isInteger: true),
        "maxJump": FieldRule(bound: .proportional, higherIsTighter: false, isInteger: false),
        "minSources": FieldRule(bound: .proportional, higherIsTighter: true, isInteger: true),
        "jumpConfirmSeconds": FieldRule(bound: .proportional, higherIsTighter: true, isInteger: true),
    ]
    private static let liquidationRules: [String: FieldRule] = [
        "penalty": FieldRule(bound: .proportional, higherIsTighter: true, isInteger: false),
        "buffer": FieldRule(bound: .proportional, higherIsTighter: true, isInteger: false),
        "maxPortion": FieldRule(bound: .proportional, higherIsTighter: true, isInteger: false),
        "minNotional": FieldRule(bound: .proportional, higherIsTighter: true, isInteger: false),
    ]
    private static let regimeRules: [String: FieldRule] = [
        "ewmaHalfLifeSeconds": FieldRule(bound: .proportional, higherIsTighter: false, isInteger: true),
        "hysteresis": FieldRule(bound: .proportional, higherIsTighter: true, isInteger: false),
        "cooldownSeconds": FieldRule(bound: .proportional, higherIsTighter: true, isInteger: true),
        "mmRampSeconds": FieldRule(bound: .proportional, higherIsTighter: false, isInteger: true),
        "volatilitySampleSeconds": FieldRule(bound: .proportional, higherIsTighter: false, isInteger: true),
    ]
    private static let thresholdRules: [String: FieldRule] = [
        "volatility": FieldRule(bound: .proportional, higherIsTighter: false, isInteger: false),
        "initialMarginMultiplier": FieldRule(bound: .proportional, higherIsTighter: true, isInteger: false),
        "maintenanceMarginMultiplier": FieldRule(bound: .proportional, higherIsTighter: true, isInteger: false),
    ]
    private static let marketRules: [String: FieldRule] = [
        "initialMarginFraction": FieldRule(bound: .fraction, higherIsTighter: true, isInteger: false),
        "maintenanceMarginFraction": FieldRule(bound: .fraction, higherIsTighter: true, isInteger: false),
        "maxOpenInterest": FieldRule(bound: .relative, higherIsTighter: false, isInteger: false),
    ]

    /// Splits `prefix.<id>.<name>` (ids may contain dots; names never do).
    static func split(_ path: String, prefix: String) -> (id: String, name: String)? {
        guard path.hasPrefix(prefix), let dot = path.lastIndex(of: ".") else { return nil }
        let start = path.index(path.startIndex, offsetBy: prefix.count)
        guard start < dot else { return nil }
        return (String(path[start..<dot]), String(path[path.index(after: dot)...]))
    }

    /// The rule of a governable path, nil if the path names nothing governable.
    static func rule(for path: String) -> FieldRule? {
        if path == "insuranceFundFloor" { return FieldRule(bound: .relative, higherIsTighter: true, isInteger: false, isOptional: true) }
        if let (_, name) = split(path, prefix: "markets.") { return marketRules[name] }
        if let (_, name) = split(path, prefix: "collateral.") {
            return name == "weight" ? FieldRule(bound: .weight, higherIsTighter: false, isInteger: false) : nil
        }
        if path.hasPrefix("oracle.") { return oracleRules[String(path.dropFirst(7))] }
        if path.hasPrefix("liquidation.") { return liquidationRules[String(path.dropFirst(12))] }
        for level in ["elevated", "isolated", "reduceOnly"] {
            if path.hasPrefix("regimes.\(level).") { return thresholdRules[String(path.dropFirst(9 + level.count))] }
        }
        if path.hasPrefix("regimes.") { return regimeRules[String(path.dropFirst(8))] }
        return nil
    }

    /// The current value at a governable path; nil for an unknown market, asset or field.
    func value(at path: String) -> ParamValue? {
        func amount(_ a: Amount) -> ParamValue { .amount(a) }
        if path == "insuranceFundFloor" { return insuranceFundFloor.map(amount) ?? ParamValue.none }
        if let (id, name) = Self.split(path, prefix: "markets.") {
            guard let m = markets.first(where: { $0.id == id }) else { return nil }
            switch name {
            case "initialMarginFraction": return amount(m.initialMarginFraction)
            case "maintenanceMarginFraction": return amount(m.maintenanceMarginFraction)
            case "maxOpenInterest": return amount(m.maxOpenInterest)
            default: return nil
            }
        }
        if let (id, name) = Self.split(path, prefix: "collateral."), name == "weight" {
            return collateral.first(where: { $0.asset == id }).map { amount($0.weight) }
        }
        switch path {
        case "oracle.maxAgeSeconds": return .integer(oracle.maxAgeSeconds)
        case "oracle.liquidationMaxAgeSeconds": return .integer(oracle.liquidationMaxAgeSeconds)
        case "oracle.maxFutureSkewSeconds": return .integer(oracle.maxFutureSkewSeconds)
        case "oracle.maxJump": return amount(oracle.maxJump)
        case "oracle.minSources": return .integer(Int64(oracle.minSources))
        case "oracle.jumpConfirmSeconds": return .integer(oracle.jumpConfirmSeconds)
        case "liquidation.penalty": return amount(liquidation.penalty)
        case "liquidation.buffer": return amount(liquidation.buffer)
        case "liquidation.maxPortion": return amount(liquidation.maxPortion)
        case "liquidation.minNotional": return amount(liquidation.minNotional)
        case "regimes.ewmaHalfLifeSeconds": return .integer(regimes.ewmaHalfLifeSeconds)
        case "regimes.hysteresis": return amount(regimes.hysteresis)
        case "regimes.cooldownSeconds": return .integer(regimes.cooldownSeconds)
        case "regimes.mmRampSeconds": return .integer(regimes.mmRampSeconds)
        case "regimes.volatilitySampleSeconds": return .integer(regimes.volatilitySampleSeconds)
        default: break
        }
        for (level, t) in [("elevated", regimes.elevated), ("isolated", regimes.isolated), ("reduceOnly", regimes.reduceOnly)] {
            switch path {
            case "regimes.\(level).volatility": return amount(t.volatility)
            case "regimes.\(level).initialMarginMultiplier": return amount(t.initialMarginMultiplier)
            case "regimes.\(level).maintenanceMarginMultiplier": return amount(t.maintenanceMarginMultiplier)
            default: continue
            }
        }
        return nil
    }

    /// Sets a governable path; false if the path or the value's kind does not fit.
    mutating func set(_ path: String, _ value: ParamValue) -> Bool {
        if path == "insuranceFundFloor" {
            switch value {
            case .amount(let a): insuranceFundFloor = a
            case .none: insuranceFundFloor = nil
            case .integer: return false
            }
            return true
        }
        switch value {
        case .integer(let i):
            switch path {
            case "oracle.maxAgeSeconds": oracle.maxAgeSeconds = i
            case "oracle.liquidationMaxAgeSeconds": oracle.liquidationMaxAgeSeconds = i
            case "oracle.maxFutureSkewSeconds": oracle.maxFutureSkewSeconds = i
            case "oracle.minSources": guard let n = Int(exactly: i) else { return false }; oracle.minSources = n
            case "oracle.jumpConfirmSeconds": oracle.jumpConfirmSeconds = i
            case "regimes.ewmaHalfLifeSeconds": regimes.ewmaHalfLifeSeconds = i
            case "regimes.cooldownSeconds": regimes.cooldownSeconds = i
            case "regimes.mmRampSeconds": regimes.mmRampSeconds = i
            case "regimes.volatilitySampleSeconds": regimes.volatilitySampleSeconds = i
            default: return false
            }
            return true
        case .none:
            return false
        case .amount(let a):
            if let (id, name) = Self.split(path, prefix: "markets.") {
                guard let m = markets.firstIndex(where: { $0.id == id }) else { return false }
                switch name {
                case "initialMarginFraction": markets[m].initialMarginFraction = a
                case "maintenanceMarginFraction": markets[m].maintenanceMarginFraction = a
                case "maxOpenInterest": markets[m].maxOpenInterest = a
                default: return false
                }
                return true
            }
            if let (id, name) = Self.split(path, prefix: "collateral."), name == "weight" {
                guard let k = collateral.firstIndex(where: { $0.asset == id }) else { return false }
                collateral[k].weight = a
                return true
            }
            switch path {
            case "oracle.maxJump": oracle.maxJump = a
            case "liquidation.penalty": liquidation.penalty = a
            case "liquidation.buffer": liquidation.buffer = a
            case "liquidation.maxPortion": liquidation.maxPortion = a
            case "liquidation.minNotional": liquidation.minNotional = a
            case "regimes.hysteresis": regimes.hysteresis = a
            case "regimes.elevated.volatility": regimes.elevated.volatility = a
            case "regimes.elevated.initialMarginMultiplier": regimes.elevated.initialMarginMultiplier = a
            case "regimes.elevated.maintenanceMarginMultiplier": regimes.elevated.maintenanceMarginMultiplier = a
            case "regimes.isolated.volatility": regimes.isolated.volatility = a
            case "regimes.isolated.initialMarginMultiplier": regimes.isolated.initialMarginMultiplier = a
            case "regimes.isolated.maintenanceMarginMultiplier": regimes.isolated.maintenanceMarginMultiplier = a
            case "regimes.reduceOnly.volatility": regimes.reduceOnly.volatility = a
            case "regimes.reduceOnly.initialMarginMultiplier": regimes.reduceOnly.initialMarginMultiplier = a
            case "regimes.reduceOnly.maintenanceMarginMultiplier": regimes.reduceOnly.maintenanceMarginMultiplier = a
            default: return false
            }
            return true
        }
    }
}
