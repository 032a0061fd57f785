import CZlib

/// One-shot gzip compression of a whole body (zlib deflate with the gzip wrapper).
public enum GzipEncoder {
    /// The gzip encoding of `bytes`, or nil if zlib fails.
    public static func compress(_ bytes: [UInt8], level: Int = 6) -> [UInt8]? {
        var stream = z_stream()
        // windowBits 15 + 16 asks for the gzip header and trailer.
        let status = deflateInit2_(&stream, Int32(max(1, min(9, level))), Z_DEFLATED, 31, 8,
                                   Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(bytes.count)))
        var output = [UInt8](repeating: 0, count: bound)
        let result: Int32 = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { return nil }
        output.removeLast(Int(stream.avail_out))
        return output
    }
}
