/// Where a setting's value came from, as errors and `--check-config` name it.
enum SettingSource: Equatable, Sendable, CustomStringConvertible {
    case flag
    case environment
    case file(path: String)
    case defaultValue

    var description: String {
        switch self {
        case .flag: "flag"
        case .environment: "environment"
        case .file(let path): "config file \(path)"
        case .defaultValue: "default"
        }
    }
}
