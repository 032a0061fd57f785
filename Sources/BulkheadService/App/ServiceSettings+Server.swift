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
        if let certificate = tlsCertificate, let key = tlsPrivateKey {
            configuration.tls = TLSConfiguration(certificatePath: certificate, privateKeyPath: key)
        }
        return configuration
    }
}
