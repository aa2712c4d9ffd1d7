import ArgumentParser
import Busylight
import Foundation
import KuandoStage
import KuandoSync
import Logging

/// `kuando demo`: the service, the open hub with a simulated lamp and the PBX simulator in one
/// process, playing the seed's example flow and printing each effect as it shows.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the service, the open hub and a simulated PBX together and play the seed's example flow.",
        discussion: """
            Starts, on 127.0.0.1 with free ports: the App Service (SQLite in a temporary folder), the \
            open hub with a simulated Busylight, and a simulated PBX (licence test mode) with the user \
            alice, whose hub is the open hub. Then plays the story: an incoming PBX call (ringing, on \
            the phone, free), a Teams call on the hub, a manual DND in myApps beating Manual Changer, \
            Manual Changer lunch, an unknown application ignored. Each step prints one line: the lamp's \
            colour, what was observed, and how long it took.
            Exits 0 when every step held, 1 with the failed step, what was expected and what was seen.
            Examples:
              kuando demo
              kuando demo --keep-running      # then open the printed myApps stand-in and /status pages
            """
    )

    @Flag(help: "After the story, keep everything running and print the URLs to open; Ctrl-C stops.")
    var keepRunning = false

    @Flag(help: "Write the lamp colour as text (#RRGGBB), even on a terminal.")
    var noColor = false

    @Option(help: "Seconds a step may take before it counts as failed.")
    var stepTimeout: Double = 10

    @Flag(help: "Log what the parts do to standard error.")
    var verbose = false

    func validate() throws {
        guard stepTimeout > 0 else { throw ValidationError("--step-timeout must be more than 0 seconds, got \(stepTimeout)") }
    }

    func run() async throws {
        let verbose = self.verbose
        var logger = Logger(label: "kuando.demo") { label -> any LogHandler in
            verbose ? StreamLogHandler.standardError(label: label) : SwiftLogNoOpLogHandler()
        }
        logger.logLevel = verbose ? .info : .critical
        let output = DemoOutput(colored: !noColor && isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
        let clock = ContinuousClock()
        let started = clock.now
        let stage: StoryStage
        do {
            stage = try await StoryStage.start(logger: logger, timeout: .milliseconds(Int64(stepTimeout * 1000)))
        } catch {
            output.write("kuando demo: setup failed: \(error)")
            throw ExitCode.failure
        }
        output.write(
            "kuando demo: service \(stage.appsURL), open hub \(stage.hubURL) (simulated lamp), PBX simulator linked; "
                + "\(StoryStage.user.sip)'s hub is the open hub (\(DemoOutput.milliseconds(clock.now - started)) ms)")

        let steps = SeedStory.steps()
        let storyStarted = clock.now
        for step in steps {
            let stepStarted = clock.now
            let failure: StoryStepFailure?
            let observed: String
            do {
                observed = try await step.run(stage)
                failure = nil
            } catch let stepFailure as StoryStepFailure {
                observed = ""
                failure = stepFailure
            } catch {
                observed = ""
                failure = StoryStepFailure(expected: step.expected, seen: "\(error)")
            }
            let took = clock.now - stepStarted
            let shade = LampShade(await stage.lamp.snapshot())
            guard let failure else {
                output.step(step, shade: shade, observed: observed, took: took)
                continue
            }
            output.step(step, shade: shade, observed: "FAILED", took: took)
            output.write("  expected: \(failure.expected)")
            output.write("  seen:     \(failure.seen)")
            output.write("kuando demo: step \(step.id) \"\(step.name)\" failed")
            await stage.stop()
            throw ExitCode.failure
        }
        output.write("kuando demo: all \(steps.count) steps held in \(DemoOutput.milliseconds(clock.now - storyStarted)) ms")

        if keepRunning {
            output.write("""
                Everything keeps running; Ctrl-C stops it.
                  myApps stand-in  \(stage.appsURL)/myapps-standin.htm?user=\(StoryStage.user.sip)
                  open hub status  \(stage.hubURL)status
                  service health   \(stage.serviceURL)/healthz
                  service metrics  \(stage.serviceURL)/metrics
                """)
            await withSignals([SIGINT, SIGTERM]) {
                output.write("kuando demo: stopping (Logout to the hub, closing sockets)")
            }
        }
        await stage.stop()
    }
}

/// The demo's lines on standard output, written at once (unbuffered) so a pipe sees each step
/// as it happens.
struct DemoOutput: Sendable {
    /// Draw the lamp colour as a 24-bit ANSI block.
    let colored: Bool

    static let nameWidth = 34

    func write(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// `1a  incoming PBX call: ringing      ██ #FF0000 blink  call from … alerts alice; the lamp rings  41 ms`
    func step(_ step: StoryStep, shade: LampShade, observed: String, took: Duration) {
        let id = step.id.padding(toLength: 3, withPad: " ", startingAt: 0)
        let name = step.name.count < Self.nameWidth ? step.name.padding(toLength: Self.nameWidth, withPad: " ", startingAt: 0) : step.name
        let lamp = (colored ? shade.block + " " : "") + shade.text.padding(toLength: 14, withPad: " ", startingAt: 0)
        write("\(id) \(name) \(lamp) \(observed)  \(Self.milliseconds(took)) ms")
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

/// Waits until one of `signals` arrives, then runs `onSignal` (`--keep-running` ends on Ctrl-C).
private func withSignals(_ signals: [Int32], onSignal: @Sendable () -> Void) async {
    let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
    var sources: [any DispatchSourceSignal] = []
    for number in signals {
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number)
        source.setEventHandler { continuation.yield(number) }
        source.resume()
        sources.append(source)
    }
    for await _ in stream { break }
    for source in sources { source.cancel() }
    onSignal()
}
