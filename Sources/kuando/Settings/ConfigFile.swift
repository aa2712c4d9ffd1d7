import Foundation

/// The config file named by `--config`: one JSON object whose keys are the settings' keys
/// (the flag names without `--`), e.g.
///
/// ```json
/// {"port": 8080, "db": "sqlite:/var/lib/kuando/connector.sqlite", "allow-hub-network": ["10.0.0.0/8"]}
/// ```
///
/// Values are strings, numbers, booleans, or lists of strings for repeatable settings.
struct ConfigFile: Sendable {
    let path: String
    let values: [String: [String]]

    /// Reads and checks the file; unknown keys are refused, so a typo never goes unnoticed.
    init(path: String, known: [Setting]) throws(SettingsError) {
        self.path = path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SettingsError(file: path, "cannot be read (\(error.localizedDescription)): check the path and that this user may read it")
        }
        let decoded: [String: Value]
        do {
            decoded = try JSONDecoder().decode([String: Value].self, from: data)
        } catch {
            throw SettingsError(file: path, "is not a JSON object of settings (\(Self.reason(error))); write it like {\"port\": 8080}")
        }
        let keys = Set(known.map(\.key))
        if let unknown = decoded.keys.sorted().first(where: { !keys.contains($0) }) {
            throw SettingsError(file: path, "unknown setting \"\(unknown)\"; the settings are \(known.map(\.key).joined(separator: ", "))")
        }
        values = decoded.mapValues(\.texts)
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): context.debugDescription
        case DecodingError.typeMismatch(_, let context): "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        default: "\(error)"
        }
    }

    /// One value as the file holds it.
    private enum Value: Decodable {
        case scalar(String)
        case list([String])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let bool = try? container.decode(Bool.self) {
                self = .scalar(bool ? "true" : "false")
            } else if let int = try? container.decode(Int.self) {
                self = .scalar(String(int))
            } else if let text = try? container.decode(String.self) {
                self = .scalar(text)
            } else if let list = try? container.decode([String].self) {
                self = .list(list)
            } else {
                throw DecodingError.typeMismatch(
                    Value.self, .init(codingPath: decoder.codingPath, debugDescription: "expected a string, number, boolean or list of strings"))
            }
        }

        var texts: [String] {
            switch self {
            case .scalar(let text): [text]
            case .list(let list): list
            }
        }
    }
}
