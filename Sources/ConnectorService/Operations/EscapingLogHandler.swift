import KuandoSync
import Logging

/// Writes through another handler with the control characters of the message and of text
/// metadata escaped, so a value that came from a peer (`"\n"` in an app name, say) cannot forge
/// a log line of its own. The JSON handler escapes by itself; this wraps the plain-text one
/// (`kuando serve --log-format text`, and kuando-bench's run with the real log handler).
public struct EscapingLogHandler<Base: LogHandler>: LogHandler {
    public var base: Base

    public init(base: Base) {
        self.base = base
    }

    public var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = "\(Trace.escapingControlCharacters(event.message.description))"
        event.metadata = event.metadata.map { $0.mapValues(Self.escaped) }
        base.log(event: event)
    }

    static func escaped(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(Trace.escapingControlCharacters(text))
        case .stringConvertible(let value): .string(Trace.escapingControlCharacters(value.description))
        case .array(let values): .array(values.map(escaped))
        case .dictionary(let values): .dictionary(values.mapValues(escaped))
        }
    }
}
