import COpenSSL

/// The server's OpenSSL context: TLS 1.2+ only, the configured certificate and ciphers.
final class TLSContext: @unchecked Sendable {
    // SSL_CTX is reference counted and safe to share once configured.
    let context: OpaquePointer

    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    init(configuration: TLSConfiguration) throws(SetupError) {
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw SetupError(description: "SSL_CTX_new failed: \(Self.lastError())")
        }
        self.context = context
        // SSL_CTX_set_min_proto_version is a macro over SSL_CTX_ctrl.
        _ = SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil)
        // SSL_OP_NO_COMPRESSION (bit 17), SSL_OP_CIPHER_SERVER_PREFERENCE (22),
        // SSL_OP_NO_RENEGOTIATION (30): macros Swift cannot import.
        let options: UInt64 = 1 << 17 | 1 << 22 | 1 << 30
        SSL_CTX_set_options(context, options)
        // Our output buffer may move between a WANT_WRITE and the retry.
        _ = SSL_CTX_ctrl(context, SSL_CTRL_MODE,
                         Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER), nil)
        guard SSL_CTX_set_cipher_list(context, configuration.cipherList) == 1 else {
            throw SetupError(description: "invalid TLS cipher list: \(Self.lastError())")
        }
        guard SSL_CTX_use_certificate_chain_file(context, configuration.certificatePath) == 1 else {
            throw SetupError(description: "cannot load certificate \(configuration.certificatePath): \(Self.lastError())")
        }
        guard SSL_CTX_use_PrivateKey_file(context, configuration.privateKeyPath, SSL_FILETYPE_PEM) == 1 else {
            throw SetupError(description: "cannot load private key \(configuration.privateKeyPath): \(Self.lastError())")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw SetupError(description: "private key does not match the certificate")
        }
    }

    deinit {
        SSL_CTX_free(context)
    }

    static func lastError() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "unknown error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
