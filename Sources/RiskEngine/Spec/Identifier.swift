/// The API's identifier grammar (segments, markets, accounts, assets, key ids):
/// 1–64 characters of `[A-Za-z0-9._-]`. The one definition every layer checks against.
public enum Identifier {
    public static let maxLength = 64

    public static func isValid(_ text: String) -> Bool {
        isValid(utf8: text.utf8)
    }

    public static func isValid<Bytes: Collection<UInt8>>(utf8 bytes: Bytes) -> Bool {
        guard !bytes.isEmpty, bytes.count <= maxLength else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }
}
