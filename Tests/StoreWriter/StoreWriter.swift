import ConnectorService
import Foundation
import KuandoSync
import Logging

/// Saves configs in a loop and prints `ack N` after each save returned, so a test can kill it
/// with SIGKILL and check that every acknowledged write survived.
///
/// Usage: `kuando-store-writer DB COUNT` — user N (domain `writer.example`, GUID `user-N`) gets
/// hub token `token-N`; DB is a `--db` value.
@main
struct StoreWriter {
    static func main() async {
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.count == 2, let url = arguments.first, let count = arguments.last.flatMap({ Int($0) }) else {
            FileHandle.standardError.write(Data("usage: kuando-store-writer DB COUNT\n".utf8))
            exit(64)
        }
        do {
            let store = try await openConfigStore(url: url, logger: Logger(label: "kuando-store-writer"))
            try await store.whileRunning {
                say("ready")
                for index in 0..<count {
                    try await store.save(config(index), for: user(index))
                    say("ack \(index)")
                }
            }
        } catch {
            FileHandle.standardError.write(Data("kuando-store-writer: \(error)\n".utf8))
            exit(1)
        }
    }

    /// One line straight to the pipe (no buffer a SIGKILL could lose).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func user(_ index: Int) -> UserKey {
        UserKey(domain: "writer.example", guid: "user-\(index)", sip: "user\(index)")
    }

    static func config(_ index: Int) -> UserConfig {
        var config = UserConfig.defaults
        config.hubToken = "token-\(index)"
        config.pollIntervalMs = UserConfig.pollIntervalRange.lowerBound + index % 1000
        return config
    }
}
