import ArgumentParser
import BulkheadService
import RiskEngine
import Foundation

/// `bulkhead keys …`: make, hash and check API keys for keys.json.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create API keys and check keys.json.",
        subcommands: [New.self, Hash.self, Check.self]
    )

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a new API key; print it once and the keys.json entry to add."
        )

        @Option(help: "The key's role: admin, oracle, trading or read.")
        var role: String

        @Option(help: "Segments the key may use, comma-separated (or repeated); '*' for all.")
        var segments: [String]

        @Option(help: "The key's id in keys.json and in audit logs (default: <role>-<random>).")
        var id: String?

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError("--role must be one of admin, oracle, trading, read (got '\(role)')")
            }
            let list = Self.split(segments)
            guard !list.isEmpty else { throw ValidationError("--segments needs at least one segment id or '*'") }
            if list.contains("*"), list.count > 1 { throw ValidationError("'*' must be the only segment") }
            for segment in list where segment != "*" && !KeysCommand.isIdentifier(segment) {
                throw ValidationError("'\(segment)' is not a segment id (1-64 characters of [A-Za-z0-9._-])")
            }
            if let id, !KeysCommand.isIdentifier(id) {
                throw ValidationError("--id must be 1-64 characters of [A-Za-z0-9._-]")
            }
        }

        func run() throws {
            let role = Role(rawValue: role)!
            let key = try APIKeyGenerator.newKey()
            let hash = SHA256Digest.hex(SHA256Digest.sha256(of: key))
            let id = id ?? "\(role.rawValue)-\(hash.prefix(8))"
            print("API key for '\(id)' (shown only this once; store it as a secret):")
            print(key)
            print("")
            print("Add this entry to the \"keys\" array of keys.json, then restart bulkhead:")
            print(APIKeyGenerator.entryJSON(id: id, key: key, role: role, segments: Self.split(segments)))
        }

        static func split(_ values: [String]) -> [String] {
            values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
    }

    struct Hash: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the SHA-256 (keys.json 'sha256') of a key read from standard input."
        )

        func run() throws {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("give the key on standard input, e.g. 'printf %s \"$KEY\" | bulkhead keys hash'")
            }
            print(SHA256Digest.hex(SHA256Digest.sha256(of: line)))
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a keys.json file.")

        @Argument(help: "The keys file.")
        var file: String = "Config/keys.json"

        func run() throws {
            do {
                let store = try APIKeyStore.load(path: file, allowMissing: false)
                let ids = store.entries.map { "\($0.id) (\($0.role.rawValue))" }.joined(separator: ", ")
                print("\(file): \(store.entries.count) key(s) OK: \(ids)")
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode.failure
            }
        }
    }

    static func isIdentifier(_ text: String) -> Bool {
        Identifier.isValid(text)
    }
}
