import Foundation
import Glibc
import Testing
@testable import ConnectorService

/// Log lines written off the logging task arrive whole, all of them, each task's in order.
@Suite struct LogLineWriterTests {
    @Test func linesFromManyTasksArriveWholeAndInOrder() async throws {
        let path = FileManager.default.temporaryDirectory.appending(path: "log-\(UUID().uuidString)").path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(descriptor >= 0)
        defer { unlink(path) }
        let writer = LogLineWriter(fileDescriptor: descriptor)
        let tasks = 8
        let lines = 5_000
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var stream = writer.stream
                    for line in 0..<lines { stream.write("task=\(task) line=\(line) \(String(repeating: "x", count: line % 97))\n") }
                }
            }
        }
        writer.flush()
        close(descriptor)
        let written = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(written.count == tasks * lines)
        var next = Array(repeating: 0, count: tasks)
        for line in written {
            let fields = line.split(separator: " ")
            let task = try #require(Int(fields[0].dropFirst(5)))
            let number = try #require(Int(fields[1].dropFirst(5)))
            #expect(number == next[task], "task \(task): line \(number) after \(next[task] - 1)")
            #expect(fields.count == 2 || fields[2].count == number % 97)
            next[task] = number + 1
        }
    }
}
