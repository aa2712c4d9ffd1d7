import Dispatch
import Glibc
import Synchronization

/// Writes log lines to a file descriptor off the task that logs: a line is appended to a buffer
/// under a lock, and a queue of its own writes what has gathered with one `write` call, so a
/// session that traces a call step does not wait for the terminal or the journal.
///
/// Nothing is dropped: a caller writes itself when ``limit`` bytes wait (the descriptor does
/// not keep up). Lines keep their order. The queued write starts as soon as a line waits, so
/// only a crash within microseconds of a line can lose it; ``flush()`` writes what waits, and
/// ``standardError`` calls it at exit.
///
/// ```swift
/// let handler = StreamLogHandler(label: label, stream: LogLineWriter.standardError.stream)
/// ```
public final class LogLineWriter: Sendable {
    /// Standard error, flushed at exit.
    public static let standardError: LogLineWriter = {
        let writer = LogLineWriter(fileDescriptor: 2)
        atexit { LogLineWriter.standardError.flush() }
        return writer
    }()

    /// Bytes that may wait before a caller writes them itself.
    public static let limit = 4 << 20

    private struct Pending {
        var bytes: [UInt8] = []
        /// A write is queued and has not taken the bytes yet.
        var queued = false
    }

    private let fileDescriptor: Int32
    private let pending = Mutex(Pending())
    /// Held while bytes go to the descriptor, so batches keep their order.
    private let writing = Mutex(())
    private let queue = DispatchQueue(label: "kuando.log-writer")

    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    /// A `TextOutputStream` that writes through this writer, for swift-log's `StreamLogHandler`.
    public var stream: Stream { Stream(writer: self) }

    public struct Stream: TextOutputStream, Sendable {
        let writer: LogLineWriter
        public mutating func write(_ string: String) { writer.write(string) }
    }

    /// Queues `line` (newline included); returns at once unless ``limit`` bytes already wait.
    public func write(_ line: String) {
        let (queue, full) = pending.withLock { pending -> (Bool, Bool) in
            pending.bytes.append(contentsOf: line.utf8)
            defer { pending.queued = true }
            return (!pending.queued, pending.bytes.count >= Self.limit)
        }
        if full {
            flush()
        } else if queue {
            self.queue.async { self.flush() }
        }
    }

    /// Writes every byte that waits.
    public func flush() {
        writing.withLock { _ in
            var bytes: [UInt8] = []
            pending.withLock { pending in
                swap(&bytes, &pending.bytes)
                pending.queued = false
            }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(fileDescriptor, $0.baseAddress, $0.count) }
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    // A closed or broken descriptor: there is nowhere to say so.
                    return
                }
            }
        }
    }
}
