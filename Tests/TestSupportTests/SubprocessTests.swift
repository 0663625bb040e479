import Foundation
import Testing
import TestSupport

/// The child-process launcher: exit status, output, environment, time limits, stopping.
@Suite struct SubprocessTests {
    static let shell = URL(fileURLWithPath: "/bin/sh")

    /// Until the child has written something (10 s at most).
    static func waitForOutput(_ child: RunningProcess) {
        let deadline = Date().addingTimeInterval(10)
        while child.output.isEmpty && Date() < deadline { usleep(10_000) }
    }

    static func sh(_ script: String, output: ChildOutput = .separate, seconds: Double = 30) throws -> ProcessOutput {
        try Subprocess.run(shell, ["-c", script], output: output, seconds: seconds)
    }

    @Test func statusOutputAndErrorApart() throws {
        let result = try Self.sh("echo out; echo err >&2; exit 3")
        #expect(result.status == 3)
        #expect(result.output == "out\n")
        #expect(result.error == "err\n")
    }

    @Test func mergedOutputKeepsTheOrderWritten() throws {
        let result = try Self.sh("echo one; echo two >&2; echo three", output: .merged)
        #expect(result.output == "one\ntwo\nthree\n")
        #expect(result.error.isEmpty)
        #expect(try Self.sh("echo kept; echo dropped >&2", output: .outputOnly).output == "kept\n")
    }

    /// More than a pipe holds (64 KiB): read while the child runs, or it would block.
    @Test func largeOutputDoesNotBlock() throws {
        let result = try Self.sh("head -c 1000000 /dev/zero")
        #expect(result.status == 0 && result.data.count == 1_000_000)
    }

    @Test func environmentIsAddedAndDirectoryUsed() throws {
        let result = try Subprocess.run(
            Self.shell, ["-c", "echo \"$TEST_SUPPORT_WORD $HOME\"; pwd"], in: URL(fileURLWithPath: "/"),
            environment: ["TEST_SUPPORT_WORD": "added"])
        let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
        #expect(result.output == "added \(home)\n/\n")
    }

    @Test func aRunOverItsTimeIsKilledAndFails() throws {
        let started = Date()
        #expect(throws: ProcessFailure.self) { try Self.sh("sleep 30", seconds: 0.5) }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func requireNamesTheCommandAndItsError() throws {
        #expect(try Subprocess.require(Self.shell, ["-c", "echo fine"]).output == "fine\n")
        let failure = try #require(throws: ProcessFailure.self) { try Subprocess.require(Self.shell, ["-c", "echo broken >&2; exit 1"]) }
        #expect(failure.description.contains("sh -c") && failure.description.contains("exited 1") && failure.description.contains("broken"))
        #expect(throws: ProcessFailure.self) { try Subprocess.run(URL(fileURLWithPath: "/nonexistent/tool")) }
    }

    @Test func findLooksOnPath() {
        #expect(Subprocess.find("sh") != nil)
        #expect(Subprocess.find("no-such-tool-\(UUID().uuidString)") == nil)
        #expect(Subprocess.isInstalled("env"))
    }

    @Test func aLongRunningChildIsReadWhileRunningAndStopped() throws {
        let child = try Subprocess.start(Self.shell, ["-c", "echo ready; exec sleep 60"], output: .separate)
        Self.waitForOutput(child)
        #expect(child.output == "ready\n")
        #expect(child.isRunning && child.terminationStatus == nil)
        #expect(child.stop(graceSeconds: 5) == SIGTERM)
        #expect(!child.isRunning && child.terminationStatus == SIGTERM)
    }

    /// A child that ignores SIGTERM is killed after the grace time.
    @Test func stopKillsAChildThatIgnoresTerm() throws {
        let child = try Subprocess.start(Self.shell, ["-c", "trap '' TERM; echo trapped; while :; do sleep 1; done"], output: .separate)
        Self.waitForOutput(child)
        #expect(child.stop(graceSeconds: 0.5) == nil)
        #expect(!child.isRunning)
    }

    @Test func signalsAndWaitingForTheEnd() throws {
        let child = try Subprocess.start(Self.shell, ["-c", "trap 'echo hup; exit 7' HUP; echo up; while :; do sleep 0.1; done"], output: .separate)
        Self.waitForOutput(child)
        child.signal(SIGHUP)
        let result = try child.waitForExit(seconds: 10)
        #expect(result.status == 7)
        #expect(result.output == "up\nhup\n")
    }

    @Test func outputAppendedToALogFile() throws {
        try TemporaryDirectory.with("test-support-log") { directory in
            let log = directory.appendingPathComponent("child.log")
            try Data("before\n".utf8).write(to: log)
            let child = try Subprocess.start(Self.shell, ["-c", "echo out; echo err >&2"], output: .appended(to: log))
            #expect(try child.waitForExit(seconds: 10).status == 0)
            #expect(try String(contentsOf: log, encoding: .utf8) == "before\nout\nerr\n")
        }
    }
}
