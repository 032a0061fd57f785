import Configuration
import HTTPServer

extension ServiceSettings {
    /// The type each setting key holds, for checking `service.json` and environment values.
    enum Kind: Sendable {
        case string, int, double, bool
    }

    /// Every key, as written in `service.json` (nested objects join with "."); the
    /// environment name is `BULKHEAD_` + the key in upper snake case (`http.maxBodyBytes` →
    /// `BULKHEAD_HTTP_MAX_BODY_BYTES`); flags use the same keys.
    static let keys: [(key: String, kind: Kind)] = [
        ("host", .string), ("port", .int), ("config", .string), ("data", .string), ("keys", .string),
        ("tlsCert", .string), ("tlsKey", .string),
        ("http.eventLoops", .int), ("http.maxConnections", .int), ("http.maxBodyBytes", .int),
        ("http.requestHeadTimeoutSeconds", .double), ("http.bodyIdleTimeoutSeconds", .double),
        ("http.keepAliveIdleTimeoutSeconds", .double), ("http.writeStallTimeoutSeconds", .double),
        ("http.gzipMinimumBytes", .int),
        ("http.addressRequestsPerSecond", .double), ("http.addressRequestBurst", .int),
        ("http.connectionRequestsPerSecond", .double), ("http.connectionRequestBurst", .int),
        ("http.maxConnectionsPerAddress", .int), ("http.maxTrackedAddresses", .int), ("http.retryAfterSeconds", .int),
        ("segments.maxInFlight", .int), ("segments.maxSegments", .int), ("segments.busyRetryAfterSeconds", .int),
        ("segments.weights", .string), ("segments.hopConcurrency", .int), ("journal.maxBatchOperations", .int),
        ("idempotency.retentionSeconds", .int), ("idempotency.cacheEntries", .int),
        ("snapshots.interval", .int), ("snapshots.everySeconds", .int), ("snapshots.pruneJournal", .bool),
        ("shutdown.gracePeriodSeconds", .double), ("log.level", .string),
        // Live control (issue 18).
        ("events.heartbeatSeconds", .double), ("events.subscriberQueue", .int), ("events.maxSubscribers", .int),
        ("events.retention", .int), ("prices.maxDecisionsInResponse", .int),
        // Cluster (issue 15).
        ("cluster.url", .string), ("cluster.instanceId", .string), ("cluster.advertise", .string),
        ("cluster.leaseMillis", .int), ("cluster.renewMillis", .int), ("cluster.connectTimeoutSeconds", .int),
        ("cluster.transferWaitMillis", .int), ("cluster.relayBatch", .int),
        // Rate limits per API key (#17).
        ("rateLimits.admin.requestsPerSecond", .double), ("rateLimits.admin.burst", .int),
        ("rateLimits.oracle.requestsPerSecond", .double), ("rateLimits.oracle.burst", .int),
        ("rateLimits.trading.requestsPerSecond", .double), ("rateLimits.trading.burst", .int),
        ("rateLimits.read.requestsPerSecond", .double), ("rateLimits.read.burst", .int),
        ("rateLimits.addressLimitsApplyToKeys", .bool),
        // Liquidation history (#17).
        ("liquidations.retention", .int),
        // Stress (#13)
        ("stress.maxSteps", .int), ("stress.maxPositions", .int), ("stress.timeoutSeconds", .double), ("stress.maxConcurrent", .int),
    ]

    static func environmentName(_ key: String) -> String {
        var name = "BULKHEAD"
        for component in key.split(separator: ".") {
            name += "_"
            var previousLower = false
            for character in component {
                if character.isUppercase, previousLower { name += "_" }
                previousLower = character.isLowercase || character.isNumber
                name += character.uppercased()
            }
        }
        return name
    }

    /// Loads settings. `flags` are the command line's explicit values (by key); `environment`
    /// is the process environment. The config folder itself may come from flags or the
    /// environment only.
    public static func load(flags: [String: ConfigContent], environment: [String: String]) throws(ConfigurationError) -> ServiceSettings {
        try validateEnvironment(environment)
        let flagProvider = InMemoryProvider(
            name: "flags", values: Dictionary(uniqueKeysWithValues: flags.map { (AbsoluteConfigKey(ConfigKey($0.key)), ConfigValue($0.value, isSecret: false)) }))
        let environmentProvider = EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "bulkhead")
        let early = ConfigReader(providers: [flagProvider, environmentProvider])
        var settings = ServiceSettings()
        settings.configDirectory = early.string(forKey: "config", default: settings.configDirectory)
        let fileProvider = InMemoryProvider(name: "service.json", values: try fileValues(path: settings.serviceFile))
        let reader = ConfigReader(providers: [flagProvider, environmentProvider, fileProvider])
        try settings.read(from: reader)
        return settings
    }

    private mutating func read(from reader: ConfigReader) throws(ConfigurationError) {
        host = reader.string(forKey: "host", default: host)
        port = reader.int(forKey: "port", default: port)
        dataDirectory = reader.string(forKey: "data", default: dataDirectory)
        keysFile = reader.string(forKey: "keys") ?? keysFile
        tlsCertificate = reader.string(forKey: "tlsCert") ?? tlsCertificate
        tlsPrivateKey = reader.string(forKey: "tlsKey") ?? tlsPrivateKey
        eventLoops = reader.int(forKey: "http.eventLoops", default: eventLoops)
        maxConnections = reader.int(forKey: "http.maxConnections", default: maxConnections)
        maxBodyBytes = reader.int(forKey: "http.maxBodyBytes", default: maxBodyBytes)
        requestHeadTimeoutSeconds = reader.double(forKey: "http.requestHeadTimeoutSeconds", default: requestHeadTimeoutSeconds)
        bodyIdleTimeoutSeconds = reader.double(forKey: "http.bodyIdleTimeoutSeconds", default: bodyIdleTimeoutSeconds)
        keepAliveIdleTimeoutSeconds = reader.double(forKey: "http.keepAliveIdleTimeoutSeconds", default: keepAliveIdleTimeoutSeconds)
        writeStallTimeoutSeconds = reader.double(forKey: "http.writeStallTimeoutSeconds", default: writeStallTimeoutSeconds)
        gzipMinimumBytes = reader.int(forKey: "http.gzipMinimumBytes", default: gzipMinimumBytes)
        addressRequestsPerSecond = reader.double(forKey: "http.addressRequestsPerSecond", default: addressRequestsPerSecond)
        addressRequestBurst = reader.int(forKey: "http.addressRequestBurst", default: addressRequestBurst)
        connectionRequestsPerSecond = reader.double(forKey: "http.connectionRequestsPerSecond", default: connectionRequestsPerSecond)
        connectionRequestBurst = reader.int(forKey: "http.connectionRequestBurst", default: connectionRequestBurst)
        maxConnectionsPerAddress = reader.int(forKey: "http.maxConnectionsPerAddress", default: maxConnectionsPerAddress)
        maxTrackedAddresses = reader.int(forKey: "http.maxTrackedAddresses", default: maxTrackedAddresses)
        rateLimitRetryAfterSeconds = reader.int(forKey: "http.retryAfterSeconds", default: rateLimitRetryAfterSeconds)
        segmentMaxInFlight = reader.int(forKey: "segments.maxInFlight", default: segmentMaxInFlight)
        maxSegments = reader.int(forKey: "segments.maxSegments", default: maxSegments)
        busyRetryAfterSeconds = reader.int(forKey: "segments.busyRetryAfterSeconds", default: busyRetryAfterSeconds)
        if let weights = reader.string(forKey: "segments.weights") { segmentWeights = try Self.parseWeights(weights) }
        segmentHopConcurrency = reader.int(forKey: "segments.hopConcurrency", default: segmentHopConcurrency)
        journalMaxBatchOperations = reader.int(forKey: "journal.maxBatchOperations", default: journalMaxBatchOperations)
        idempotencyRetentionSeconds = Int64(reader.int(forKey: "idempotency.retentionSeconds", default: Int(idempotencyRetentionSeconds)))
        idempotencyCacheEntries = reader.int(forKey: "idempotency.cacheEntries", default: idempotencyCacheEntries)
        snapshotInterval = reader.int(forKey: "snapshots.interval", default: snapshotInterval)
        snapshotEverySeconds = reader.int(forKey: "snapshots.everySeconds", default: snapshotEverySeconds)
        snapshotPruneJournal = reader.bool(forKey: "snapshots.pruneJournal", default: snapshotPruneJournal)
        shutdownGracePeriodSeconds = reader.double(forKey: "shutdown.gracePeriodSeconds", default: shutdownGracePeriodSeconds)
        logLevel = reader.string(forKey: "log.level", default: logLevel)
        // Live control (issue 18).
        events.heartbeatSeconds = reader.double(forKey: "events.heartbeatSeconds", default: events.heartbeatSeconds)
        events.subscriberQueue = reader.int(forKey: "events.subscriberQueue", default: events.subscriberQueue)
        events.maxSubscribers = reader.int(forKey: "events.maxSubscribers", default: events.maxSubscribers)
        events.retention = reader.int(forKey: "events.retention", default: events.retention)
        events.maxDecisionsInResponse = reader.int(forKey: "prices.maxDecisionsInResponse", default: events.maxDecisionsInResponse)
        // Cluster (issue 15).
        cluster.url = reader.string(forKey: "cluster.url") ?? cluster.url
        cluster.instanceID = reader.string(forKey: "cluster.instanceId") ?? cluster.instanceID
        cluster.advertise = reader.string(forKey: "cluster.advertise") ?? cluster.advertise
        cluster.leaseMilliseconds = reader.int(forKey: "cluster.leaseMillis", default: cluster.leaseMilliseconds)
        cluster.renewMilliseconds = reader.int(forKey: "cluster.renewMillis", default: cluster.renewMilliseconds)
        cluster.connectTimeoutSeconds = reader.int(forKey: "cluster.connectTimeoutSeconds", default: cluster.connectTimeoutSeconds)
        cluster.transferWaitMilliseconds = reader.int(forKey: "cluster.transferWaitMillis", default: cluster.transferWaitMilliseconds)
        cluster.relayBatch = reader.int(forKey: "cluster.relayBatch", default: cluster.relayBatch)
        // Rate limits per API key (#17).
        for role in Role.allCases {
            let current = keyQuotas.byRole[role] ?? HTTPRateLimit(requestsPerSecond: 0, burst: 1)
            keyQuotas.byRole[role] = HTTPRateLimit(
                requestsPerSecond: reader.double(forKey: ConfigKey("rateLimits.\(role.rawValue).requestsPerSecond"), default: current.requestsPerSecond),
                burst: reader.int(forKey: ConfigKey("rateLimits.\(role.rawValue).burst"), default: current.burst))
        }
        keyQuotas.addressLimitsApplyToKeys = reader.bool(
            forKey: "rateLimits.addressLimitsApplyToKeys", default: keyQuotas.addressLimitsApplyToKeys)
        liquidationRetention = reader.int(forKey: "liquidations.retention", default: liquidationRetention)
        // Stress (#13)
        stressMaxSteps = reader.int(forKey: "stress.maxSteps", default: stressMaxSteps)
        stressMaxPositions = reader.int(forKey: "stress.maxPositions", default: stressMaxPositions)
        stressTimeoutSeconds = reader.double(forKey: "stress.timeoutSeconds", default: stressTimeoutSeconds)
        stressMaxConcurrent = reader.int(forKey: "stress.maxConcurrent", default: stressMaxConcurrent)
        try validate()
    }

    /// Range checks, naming the setting.
    func validate() throws(ConfigurationError) {
        func check(_ ok: Bool, _ key: String, _ rule: String) throws(ConfigurationError) {
            if !ok { throw ConfigurationError("setting '\(key)' (\(Self.environmentName(key))): \(rule)") }
        }
        try check((0...65_535).contains(port), "port", "must be 0…65535")
        try check(!host.isEmpty, "host", "must not be empty")
        try check((1...256).contains(eventLoops), "http.eventLoops", "must be 1…256")
        try check((1...1_000_000).contains(maxConnections), "http.maxConnections", "must be 1…1000000")
        try check((1_024...(64 << 20)).contains(maxBodyBytes), "http.maxBodyBytes", "must be 1 KiB…64 MiB")
        for (key, value) in [
            ("http.requestHeadTimeoutSeconds", requestHeadTimeoutSeconds), ("http.bodyIdleTimeoutSeconds", bodyIdleTimeoutSeconds),
            ("http.keepAliveIdleTimeoutSeconds", keepAliveIdleTimeoutSeconds), ("http.writeStallTimeoutSeconds", writeStallTimeoutSeconds),
            ("shutdown.gracePeriodSeconds", shutdownGracePeriodSeconds),
        ] {
            try check(value > 0 && value <= 3_600, key, "must be in (0, 3600] seconds")
        }
        try check(gzipMinimumBytes >= 0, "http.gzipMinimumBytes", "must be ≥ 0 (0 disables)")
        try check((0...10_000_000).contains(addressRequestsPerSecond), "http.addressRequestsPerSecond", "must be 0…10000000 (0 disables)")
        try check((1...100_000_000).contains(addressRequestBurst), "http.addressRequestBurst", "must be 1…100000000")
        try check((0...10_000_000).contains(connectionRequestsPerSecond), "http.connectionRequestsPerSecond", "must be 0…10000000 (0 disables)")
        try check((1...100_000_000).contains(connectionRequestBurst), "http.connectionRequestBurst", "must be 1…100000000")
        try check((0...1_000_000).contains(maxConnectionsPerAddress), "http.maxConnectionsPerAddress", "must be 0…1000000 (0 disables)")
        try check((16...10_000_000).contains(maxTrackedAddresses), "http.maxTrackedAddresses", "must be 16…10000000")
        try check((1...3_600).contains(rateLimitRetryAfterSeconds), "http.retryAfterSeconds", "must be 1…3600")
        try check((1...1_000_000).contains(segmentMaxInFlight), "segments.maxInFlight", "must be 1…1000000")
        try check((1...1_000_000).contains(segmentHopConcurrency), "segments.hopConcurrency", "must be 1…1000000")
        try check((1...1_000_000).contains(journalMaxBatchOperations), "journal.maxBatchOperations", "must be 1…1000000")
        try check(segmentWeights.values.allSatisfy { (1...1_000).contains($0) }, "segments.weights", "each weight must be 1…1000")
        try check((1...100_000).contains(maxSegments), "segments.maxSegments", "must be 1…100000")
        try check((1...3_600).contains(busyRetryAfterSeconds), "segments.busyRetryAfterSeconds", "must be 1…3600")
        try check((1...(366 * 86_400)).contains(idempotencyRetentionSeconds), "idempotency.retentionSeconds", "must be 1 s…366 days")
        try check((2...10_000_000).contains(idempotencyCacheEntries), "idempotency.cacheEntries", "must be 2…10000000")
        try check(snapshotInterval >= 0, "snapshots.interval", "must be ≥ 0 (0 disables)")
        try check(snapshotEverySeconds >= 0, "snapshots.everySeconds", "must be ≥ 0 (0 disables)")
        try check(["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel), "log.level", "must be a swift-log level")
        try check((tlsCertificate == nil) == (tlsPrivateKey == nil), "tlsCert", "--tls-cert and --tls-key go together")
        // Live control (issue 18).
        try check(events.heartbeatSeconds > 0 && events.heartbeatSeconds <= 3_600, "events.heartbeatSeconds", "must be in (0, 3600] seconds")
        try check((1...1_000_000).contains(events.subscriberQueue), "events.subscriberQueue", "must be 1…1000000")
        try check((0...1_000_000).contains(events.maxSubscribers), "events.maxSubscribers", "must be 0…1000000")
        try check((1...100_000_000).contains(events.retention), "events.retention", "must be 1…100000000")
        try check((1...1_000_000).contains(events.maxDecisionsInResponse), "prices.maxDecisionsInResponse", "must be 1…1000000")
        // Cluster (issue 15).
        try cluster.validate()
        // Rate limits per API key (#17).
        for role in Role.allCases {
            guard let limit = keyQuotas.byRole[role] else { continue }
            try check(
                (0...10_000_000).contains(limit.requestsPerSecond), "rateLimits.\(role.rawValue).requestsPerSecond",
                "must be 0…10000000 (0: no quota)")
            try check((1...100_000_000).contains(limit.burst), "rateLimits.\(role.rawValue).burst", "must be 1…100000000")
        }
        // Liquidation history (#17): a decision is ~0.5 KiB in memory, so 10^6 is ~0.5 GiB
        // per segment at most.
        try check((1...1_000_000).contains(liquidationRetention), "liquidations.retention", "must be 1…1000000")
        // Stress (#13)
        try check((1...100_000).contains(stressMaxSteps), "stress.maxSteps", "must be 1…100000")
        try check((1...100_000_000).contains(stressMaxPositions), "stress.maxPositions", "must be 1…100000000")
        try check(stressTimeoutSeconds > 0 && stressTimeoutSeconds <= 3_600, "stress.timeoutSeconds", "must be in (0, 3600] seconds")
        try check((1...64).contains(stressMaxConcurrent), "stress.maxConcurrent", "must be 1…64")
    }

    private static func validateEnvironment(_ environment: [String: String]) throws(ConfigurationError) {
        for (key, kind) in keys {
            let name = environmentName(key)
            guard let text = environment[name] else { continue }
            let ok = switch kind {
            case .string: !text.isEmpty
            case .int: Int(text) != nil
            case .double: Double(text) != nil
            case .bool: ["true", "false", "1", "0", "yes", "no"].contains(text.lowercased())
            }
            if !ok { throw ConfigurationError("environment variable \(name): '\(text)' is not a valid \(kind)") }
        }
    }

    /// `service.json` flattened to typed values; a missing file means no settings.
    static func fileValues(path: String) throws(ConfigurationError) -> [AbsoluteConfigKey: ConfigValue] {
        guard let bytes = try FileBytes.contents(path) else { return [:] }
        let document: JSONValue
        do {
            document = try JSONReader.parse(bytes)
        } catch {
            throw ConfigurationError("\(path): not valid JSON: \(error.message)")
        }
        guard case .object = document else { throw ConfigurationError("\(path): the document must be a JSON object") }
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, kind) in keys {
            var node: JSONValue? = document
            for component in key.split(separator: ".") {
                guard case .object(let object) = node else { node = nil; break }
                node = object[String(component)]
            }
            guard let node, node != .null else { continue }
            let content: ConfigContent? = switch (kind, node) {
            case (.string, .string(let text)): .string(text)
            case (.int, .number(let text)): Int(text).map(ConfigContent.int)
            case (.double, .number(let text)): Double(text).map(ConfigContent.double)
            case (.bool, .bool(let flag)): .bool(flag)
            default: nil
            }
            guard let content else { throw ConfigurationError("\(path): field '\(key)': expected \(kind), got \(node.typeName)") }
            values[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(content, isSecret: false)
        }
        return values
    }
}
