import Foundation
import Testing

@testable import RoadmapKit

/// Paths as text give what Foundation's URLs gave before them.
struct PathTextTests {
    @Test(arguments: [
        "/a/b/../c", "/a/./b", "/a//b", "/a/b/", "/..", "/../a", "/a/b/..", "/a/b/.", "/", "/a/..", "/a/.../b",
        "/a/b/../../..", "/a/b//", "//a", "/a/ b/c", "/a/%20/c", "/a/b/../../../x/y", "/tmp/x/./../y/", "/é/ü/../ö",
    ])
    func standardizedAsURLDoes(path: String) {
        #expect(PathText.standardized(path) == URL(fileURLWithPath: path).standardizedFileURL.path)
    }

    @Test func relativePathsAreTakenFromTheWorkingDirectory() {
        #expect(PathText.standardized("x/../y/z", in: "/home/ada") == "/home/ada/y/z")
        #expect(PathText.standardized("/abs/./p", in: "/home/ada") == "/abs/p")
        #expect(PathText.currentDirectory == FileManager.default.currentDirectoryPath)
    }

    @Test func parents() {
        #expect(PathText.parent("/a/b/c") == "/a/b")
        #expect(PathText.parent("/a") == "/")
        #expect(PathText.parent("/") == "/")
    }

    @Test func realPathsFollowLinks() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pathtext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("inside"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("link").path, withDestinationPath: folder.appendingPathComponent("inside").path)
        let real = try #require(PathText.real(folder.path))
        #expect(PathText.real(folder.appendingPathComponent("link").path) == real + "/inside")
        #expect(PathText.real(folder.appendingPathComponent("missing").path) == nil)
        #expect(CatalogLoader.linkOutside(folder.appendingPathComponent("link").path, root: folder.path) == nil)
        #expect(CatalogLoader.linkOutside(folder.appendingPathComponent("link").path, root: folder.appendingPathComponent("x").path)
            == real + "/inside")
        // A link to nothing is still seen to lead outside.
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("inside/dangling").path, withDestinationPath: "../../missing-\(UUID())")
        let outside = CatalogLoader.linkOutside(
            folder.appendingPathComponent("inside/dangling").path, root: folder.appendingPathComponent("inside").path)
        #expect(outside?.hasPrefix(PathText.parent(real) + "/missing-") == true, "\(outside ?? "nil")")
    }
}
