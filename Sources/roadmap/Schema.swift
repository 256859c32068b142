import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import RoadmapKit

extension JSONSchemas.Format: ExpressibleByArgument {}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of a file format, for editors and other checkers.",
        discussion: """
            The same schemas are in docs/schemas/; a YAML file that starts with \
            '# yaml-language-server: $schema=PATH' is completed and checked by editors that read that line.
            """)

    @Argument(help: ArgumentHelp(
        "The format: \(JSONSchemas.Format.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "format"))
    var format: JSONSchemas.Format

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func run() throws {
        try OutputWriter.emit(JSONSchemas.text(format), to: output)
    }
}
