import Dispatch
import Foundation
import RoadmapKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Writes that fail or are cut short: an output that cannot be written gives exit 73 with its path and leaves
/// nothing behind; a device or a pipe named as the output is written to, never replaced; a full disk (a small
/// tmpfs, where the tests may mount one) leaves the previous file whole; and an export or a check-in killed at
/// any moment leaves the previous file intact.
@Suite("Output safety", .serialized, .timeLimit(.minutes(5)))
struct OutputSafetyTests {
    static let packageRoot = RoadmapBinary.packageRoot

    struct Workspace {
        var folder: URL
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        func files() -> [String] {
            (try? FileManager.default.subpathsOfDirectory(atPath: folder.path).sorted()) ?? []
        }
        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    private func workspace() throws -> Workspace {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("roadmap-output-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.packageRoot.appendingPathComponent("examples/engineer-biomedical-equity.yaml"),
            to: folder.appendingPathComponent("ada.yaml"))
        return Workspace(folder: folder)
    }

    private func roadmap(_ arguments: [String], in workspace: Workspace) throws -> RoadmapBinary.Result {
        try RoadmapBinary.locate().run(arguments, currentDirectory: workspace.folder)
    }

    // MARK: Outputs that cannot be written

    /// As root, permissions do not stop a write; a path under something that is not a folder always does.
    /// JSON is streamed to the file as it is made, the other formats written whole: both are refused alike.
    @Test(arguments: ["/dev/null/plan.txt", "ada.yaml/plan.txt", "no-such-folder/plan.txt", ""], ["text", "json"])
    func anUnwritableOutputExits73WithThePathAndLeavesNothing(output: String, format: String) throws {
        let ws = try workspace()
        defer { ws.remove() }
        let before = ws.files()
        let result = try roadmap(["plan", "--today", "2027-01-04", "--format", format, "--output", output], in: ws)
        #expect(result.status == 73, "\(result)")
        #expect(result.stderr.contains("cannot write '\(output)'"), "\(result)")
        #expect(result.stderr.contains("[output-unwritable]"), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(ws.files() == before, "left behind: \(Set(ws.files()).subtracting(before))")
    }

    @Test func aReadOnlyOutputIsRefusedEvenForRootAndKept() throws {
        let ws = try workspace()
        defer { ws.remove() }
        try Data("previous\n".utf8).write(to: URL(fileURLWithPath: ws.path("plan.md")))
        chmod(ws.path("plan.md"), 0o444)
        let result = try roadmap(["plan", "--today", "2027-01-04", "--format", "markdown", "--output", "plan.md"], in: ws)
        #expect(result.status == 73, "\(result)")
        #expect(result.stderr.contains("cannot write 'plan.md': it is read-only"), "\(result)")
        #expect(try String(contentsOfFile: ws.path("plan.md"), encoding: .utf8) == "previous\n")
        #expect(ws.files() == ["ada.yaml", "plan.md"])
    }

    @Test func aFolderAsOutputIsRefused() throws {
        let ws = try workspace()
        defer { ws.remove() }
        try FileManager.default.createDirectory(atPath: ws.path("out"), withIntermediateDirectories: true)
        let result = try roadmap(["schema", "plugin", "--output", "out"], in: ws)
        #expect(result.status == 73, "\(result)")
        #expect(result.stderr.contains("cannot write 'out': it is a folder"), "\(result)")
    }

    // MARK: Devices, pipes and links

    /// `--output /dev/null` must not replace the device with a file (as root, renaming over it would).
    @Test func aPipeNamedAsTheOutputIsWrittenToNotReplaced() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let pipe = ws.path("pipe")
        #expect(mkfifo(pipe, 0o644) == 0)
        let received = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var data = Data()
        DispatchQueue.global().async {
            if let handle = FileHandle(forReadingAtPath: pipe) {
                data = handle.readDataToEndOfFile()
                try? handle.close()
            }
            received.signal()
        }
        let result = try roadmap(["schema", "plugin", "--output", "pipe"], in: ws)
        #expect(received.wait(timeout: .now() + 30) == .success)
        #expect(result.status == 0, "\(result)")
        #expect(String(decoding: data, as: UTF8.self).contains("\"$schema\""))
        var info = stat()
        #expect(lstat(pipe, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the pipe was replaced")
        #expect(ws.files() == ["ada.yaml", "pipe"])
    }

    @Test func devNullStaysADevice() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let result = try roadmap(["plan", "--today", "2027-01-04", "--output", "/dev/null"], in: ws)
        #expect(result.status == 0, "\(result)")
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR, "/dev/null is no longer a device")
    }

    @Test func aLinkKeepsPointingAtTheFileItReplacesWithItsPermissions() throws {
        let ws = try workspace()
        defer { ws.remove() }
        try FileManager.default.createDirectory(atPath: ws.path("docs"), withIntermediateDirectories: true)
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: ws.path("docs/plan.md")))
        chmod(ws.path("docs/plan.md"), 0o600)
        try FileManager.default.createSymbolicLink(atPath: ws.path("plan.md"), withDestinationPath: "docs/plan.md")
        let result = try roadmap(["plan", "--today", "2027-01-04", "--format", "markdown", "--output", "plan.md"], in: ws)
        #expect(result.status == 0, "\(result)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: ws.path("plan.md")) == "docs/plan.md")
        #expect(try String(contentsOfFile: ws.path("docs/plan.md"), encoding: .utf8).hasPrefix("# Study plan"))
        var info = stat()
        #expect(stat(ws.path("docs/plan.md"), &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(ws.files() == ["ada.yaml", "docs", "docs/plan.md", "plan.md"])
    }

    // MARK: A full disk

    /// A tmpfs of `kilobytes`, mounted for the test; nil where mounting is not allowed (not root, or no
    /// CAP_SYS_ADMIN in a container), and the test then says it was skipped.
    private func smallDisk(kilobytes: Int) throws -> (Workspace, () -> Void)? {
        let ws = try workspace()
        let disk = ws.path("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        guard getuid() == 0, let mount = RoadmapBinaryTools.find("mount"),
            (try? RoadmapBinary(url: mount).run(["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", disk], timeout: 30).status) == 0
        else {
            ws.remove()
            return nil
        }
        return (ws, {
            if let umount = RoadmapBinaryTools.find("umount") { _ = try? RoadmapBinary(url: umount).run([disk], timeout: 30) }
            ws.remove()
        })
    }

    @Test func aFullDiskGivesExit73AndKeepsThePreviousFiles() throws {
        guard let (ws, cleanUp) = try smallDisk(kilobytes: 64) else {
            print("Output safety: cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN); the full-disk test was skipped")
            return
        }
        defer { cleanUp() }
        let disk = ws.path("disk")
        // A journal and an export on the disk, then the disk filled up.
        var result = try roadmap(
            ["checkin", "--profile", "ada.yaml", "--journal", "disk/ada.progress.yaml", "--module", "causal-inference",
             "--hours", "2", "--date", "2027-01-10"], in: ws)
        #expect(result.status == 0, "\(result)")
        try Data("previous export\n".utf8).write(to: URL(fileURLWithPath: disk + "/plan.html"))
        let journal = try Data(contentsOf: URL(fileURLWithPath: disk + "/ada.progress.yaml"))
        let filler = open(disk + "/filler", O_WRONLY | O_CREAT, 0o644)
        let block = [UInt8](repeating: 0, count: 1024)
        while block.withUnsafeBytes({ write(filler, $0.baseAddress, $0.count) }) > 0 {}
        close(filler)
        let filled = Set(try FileManager.default.contentsOfDirectory(atPath: disk))

        result = try roadmap(["plan", "--today", "2027-01-04", "--format", "html", "--output", "disk/plan.html"], in: ws)
        #expect(result.status == 73, "\(result)")
        #expect(result.stderr.contains("cannot write 'disk/plan.html'"), "\(result)")
        #expect(try String(contentsOfFile: disk + "/plan.html", encoding: .utf8) == "previous export\n")
        // The same for JSON, which is streamed into the temporary file piece by piece.
        result = try roadmap(["plan", "--today", "2027-01-04", "--format", "json", "--output", "disk/plan.html"], in: ws)
        #expect(result.status == 73, "\(result)")
        #expect(try String(contentsOfFile: disk + "/plan.html", encoding: .utf8) == "previous export\n")

        result = try roadmap(
            ["checkin", "--profile", "ada.yaml", "--journal", "disk/ada.progress.yaml", "--module", "causal-inference",
             "--hours", "2", "--note", String(repeating: "n", count: 3_900), "--date", "2027-01-11"], in: ws)
        #expect(result.status == 73, "\(result)")
        #expect(result.stderr.contains("disk/ada.progress.yaml:1:1: error:"), "\(result)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: disk + "/ada.progress.yaml")) == journal)

        result = try roadmap(["plugin", "new", "full-disk", "--dir", "disk/a/Plugins"], in: ws)
        #expect(result.status == 73, "\(result)")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: disk)) == filled, "something was left on the disk")
    }

    // MARK: Killed at any moment

    /// An export killed at a random moment leaves either the previous file or the whole new one.
    @Test func anExportKilledAtAnyMomentLeavesThePreviousFileOrTheWholeNewOne() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let arguments = ["plan", "--profile", "ada.yaml", "--today", "2027-01-04", "--format", "html", "--output", "plan.html"]
        var result = try roadmap(arguments, in: ws)
        #expect(result.status == 0, "\(result)")
        let complete = try Data(contentsOf: URL(fileURLWithPath: ws.path("plan.html")))
        let previous = Data("previous\n".utf8)
        let binary = try RoadmapBinary.locate()
        var generator = SystemRandomNumberGenerator()
        for round in 0..<12 {
            try previous.write(to: URL(fileURLWithPath: ws.path("plan.html")))
            try binary.kill(arguments, in: ws.folder, after: UInt32.random(in: 0...300_000, using: &generator))
            let now = try Data(contentsOf: URL(fileURLWithPath: ws.path("plan.html")))
            #expect(now == previous || now == complete, "round \(round): plan.html is \(now.count) bytes, neither file")
        }
        // A kill can leave a hidden temporary file beside the target, never a half-written target.
        result = try roadmap(arguments, in: ws)
        let last = try Data(contentsOf: URL(fileURLWithPath: ws.path("plan.html")))
        #expect(result.status == 0 && last == complete)
    }

    /// Check-ins killed at random moments: the journal always parses (or has a torn tail that `--repair` moves
    /// aside), and no earlier entry is ever lost.
    @Test func checkinsKilledAtAnyMomentNeverLoseAnEntry() throws {
        let ws = try workspace()
        defer { ws.remove() }
        let binary = try RoadmapBinary.locate()
        var generator = SystemRandomNumberGenerator()
        var kept = 0
        for round in 0..<12 {
            try binary.kill(
                ["checkin", "--profile", "ada.yaml", "--module", "causal-inference", "--hours", "1",
                 "--note", "round \(round)", "--date", "2027-01-10"],
                in: ws.folder, after: UInt32.random(in: 0...250_000, using: &generator))
            guard FileManager.default.fileExists(atPath: ws.path("ada.progress.yaml")) else { continue }
            var file = JournalStore.parse(Array(try Data(contentsOf: URL(fileURLWithPath: ws.path("ada.progress.yaml")))), file: "j")
            if file.tornTail != nil {
                let repair = try roadmap(["checkin", "--profile", "ada.yaml", "--repair"], in: ws)
                #expect(repair.status == 0, "\(repair)")
                file = JournalStore.parse(Array(try Data(contentsOf: URL(fileURLWithPath: ws.path("ada.progress.yaml")))), file: "j")
            }
            #expect(!file.diagnostics.hasErrors, "round \(round): \(file.diagnostics)")
            #expect(file.journal.entries.count >= kept, "round \(round): an entry was lost")
            kept = file.journal.entries.count
        }
    }
}

/// Programs the tests call besides roadmap.
enum RoadmapBinaryTools {
    static func find(_ name: String) -> URL? {
        for folder in ["/usr/bin", "/bin", "/usr/sbin", "/sbin"] {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
