import HTTPServer

extension ServiceSettings {
    var serverConfiguration: HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.eventLoops = eventLoops
        configuration.maxConnections = maxConnections
        configuration.limits.maxBodyBytes = maxBodyBytes
        configuration.requestHeadTimeoutSeconds = requestHeadTimeoutSeconds
        configuration.bodyIdleTimeoutSeconds = bodyIdleTimeoutSeconds
        configuration.keepAliveIdleTimeoutSeconds = keepAliveIdleTimeoutSeconds
        configuration.writeStallTimeoutSeconds = writeStallTimeoutSeconds
        configuration.gzipMinimumBytes = gzipMinimumBytes > 0 ? gzipMinimumBytes : nil
        if addressRequestsPerSecond > 0 {
            configuration.addressRequestRate = HTTPRateLimit(requestsPerSecond: addressRequestsPerSecond, burst: addressRequestBurst)
        }
        if connectionRequestsPerSecond > 0 {
            configuration.connectionRequestRate = HTTPRateLimit(requestsPerSecond: connectionRequestsPerSecond, burst: connectionRequestBurst)
        }
        configuration.maxConnectionsPerAddress = maxConnectionsPerAddress > 0 ? maxConnectionsPerAddress : nil
        configuration.maxTrackedAddresses = maxTrackedAddresses
        configuration.retryAfterSeconds = rateLimitRetryAfterSeconds
        configuration.credentialedRequestsSkipRateLimits = !keyQuotas.addressLimitsApplyToKeys
        if let certificate = tlsCertificate, let key = tlsPrivateKey {
            configuration.tls = TLSConfiguration(certificatePath: certificate, privateKeyPath: key)
        }
        return configuration
    }
}
