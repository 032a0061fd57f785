import Foundation

/// The log lines of several `serve` processes, each read by a thread of its own as they come,
/// so a test can wait for an event on whichever instance it happens (a takeover) with a
/// deadline, and knows when it was seen.
final class LogBoard: @unchecked Sendable {
    struct Line {
        /// Instance id and which start of it (1 for the first process under that id).
        var instance: String
        var run: Int
        var text: String
        var seenAt: ContinuousClock.Instant
    }

    private let condition = NSCondition()
    private var lines: [Line] = []

    /// Reads `process`'s log until it ends (its last line is kept).
    func follow(_ process: ServeProcess, instance: String, run: Int) {
        let reader = UncheckedProcess(process: process)
        Thread.detachNewThread {
            _ = reader.process.waitForLog { text in
                self.append(Line(instance: instance, run: run, text: text, seenAt: .now))
                return false
            }
        }
    }

    private func append(_ line: Line) {
        condition.withLock {
            lines.append(line)
            condition.broadcast()
        }
    }

    /// The first line from `index` on that matches, waiting up to `seconds` for it; nil at
    /// the deadline.
    func first(from index: Int = 0, within seconds: Double, where matches: (Line) -> Bool) -> Line? {
        let deadline = Date().addingTimeInterval(seconds)
        return condition.withLock {
            var next = index
            while true {
                while next < lines.count {
                    if matches(lines[next]) { return lines[next] }
                    next += 1
                }
                if !condition.wait(until: deadline) { return nil }
            }
        }
    }

    /// How many lines were read so far: a starting point for `first(from:)`.
    var count: Int { condition.withLock { lines.count } }

    /// Every line of one instance's runs, for a failure message.
    func text(of instance: String) -> String {
        condition.withLock { lines.filter { $0.instance == instance }.map { "[\($0.run)] \($0.text)" }.joined(separator: "\n") }
    }
}

/// A process handed to the one thread that reads its log.
private struct UncheckedProcess: @unchecked Sendable {
    let process: ServeProcess
}
