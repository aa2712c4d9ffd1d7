import KuandoHub
import Logging

/// Parsers shared by the settings of `serve` and `hub`.
enum SettingParsers {
    static func port(_ text: String) -> Result<Int, SettingProblem> {
        guard let port = Int(text), (0...65535).contains(port) else {
            return .failure(SettingProblem("not a port number 0–65535 (0 picks a free port)"))
        }
        return .success(port)
    }

    static func nonEmpty(_ text: String) -> Result<String, SettingProblem> {
        text.isEmpty ? .failure(SettingProblem("must not be empty")) : .success(text)
    }

    /// A web origin, `https://host[:port]`, as a browser sends it in `Origin`.
    static func origin(_ text: String) -> Result<String, SettingProblem> {
        BrowserOrigins.normalise(text).map(Result.success)
            ?? .failure(SettingProblem("not a web origin: write it like https://apps.example.com or http://10.0.0.5:8080 (no path)"))
    }

    static func bool(_ text: String) -> Result<Bool, SettingProblem> {
        switch text.lowercased() {
        case "true", "yes", "on", "1": .success(true)
        case "false", "no", "off", "0": .success(false)
        default: .failure(SettingProblem("not a yes/no value: write true or false"))
        }
    }

    static func choice<Value: RawRepresentable & CaseIterable>(_ text: String) -> Result<Value, SettingProblem> where Value.RawValue == String {
        if let value = Value(rawValue: text.lowercased()) { return .success(value) }
        return .failure(SettingProblem("not one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))"))
    }

    static func logLevel(_ text: String) -> Result<Logger.Level, SettingProblem> {
        if let level = Logger.Level(rawValue: text.lowercased()) { return .success(level) }
        return .failure(SettingProblem("not a log level: \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))"))
    }
}
