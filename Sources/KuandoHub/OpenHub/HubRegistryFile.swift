import Foundation

/// The open hub's config file: ``HubRegistry`` as JSON, written atomically.
public struct HubRegistryFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The saved registry, or the defaults when the file does not exist yet.
    /// - Throws: ``HubConfigError`` when the file exists but cannot be read.
    public func load() throws -> HubRegistry {
        guard FileManager.default.fileExists(atPath: path) else { return .defaults }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return try JSONDecoder().decode(HubRegistry.self, from: data).withBuiltIns
        } catch {
            throw HubConfigError(
                message: "config file \(path) cannot be read (\(error)): fix it, or move it away to start from the defaults")
        }
    }

    /// Writes `registry`; a crash leaves either the old file or the new one, never half of one.
    public func save(_ registry: HubRegistry) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try encoder.encode(registry).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw HubConfigError(message: "config file \(path) cannot be written (\(error)): check the directory exists and is writable")
        }
    }
}
