import Testing

@testable import RoadmapKit

@Suite("Version")
struct VersionTests {
    private func v(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Version {
        guard let version = Version(text) else {
            Issue.record("'\(text)' should parse as a version", sourceLocation: sourceLocation)
            return Version(0, 0, 0)
        }
        return version
    }

    @Test func parsesFullVersions() {
        #expect(Version("1.2.3") == Version(1, 2, 3))
        #expect(Version("0.0.0") == Version(0, 0, 0))
        #expect(Version("10.20.30") == Version(10, 20, 30))
        #expect(Version("2.0.0-beta.1") == Version(2, 0, 0, prerelease: ["beta", "1"]))
        #expect(Version("1.0.0-rc-1")?.prerelease == ["rc-1"])
        #expect(Version("1.2.3")?.description == "1.2.3")
        #expect(Version("2.0.0-beta.1")?.description == "2.0.0-beta.1")
    }

    @Test(arguments: [
        "", "1", "1.2", "1.2.3.4", "v1.2.3", "01.2.3", "1.02.3", "1.2.03", "1..3", "1.2.", ".1.2", "a.b.c",
        "1.2.3-", "1.2.3-beta..1", "1.2.3-beta_1", "-1.2.3", "1.2.-3", " 1.2.3", "1.2.3 ", "1234567890.0.0",
        "١.٢.٣",
    ])
    func refusesMalformedVersions(text: String) {
        #expect(Version(text) == nil)
    }

    @Test func ordersByNumbersNotText() {
        #expect(v("1.9.0") < v("1.10.0"))
        #expect(v("1.2.3") < v("1.2.4"))
        #expect(v("1.2.9") < v("1.3.0"))
        #expect(v("1.99.99") < v("2.0.0"))
        #expect(!(v("1.2.3") < v("1.2.3")))
        #expect(v("0.0.1") > v("0.0.0"))
    }

    @Test func prereleasesComeBeforeTheirReleaseInSemverOrder() {
        // The example chain of the semantic versioning specification, section 11.
        let chain = [
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0",
        ].map { v($0) }
        for (lower, higher) in zip(chain, chain.dropFirst()) {
            #expect(lower < higher, "\(lower) < \(higher)")
            #expect(!(higher < lower), "\(higher) !< \(lower)")
        }
        #expect(chain.shuffled().sorted() == chain)
        #expect(v("1.0.0-rc.1") > v("0.9.9"))
        #expect(v("1.0.0-alpha") != v("1.0.0"))
    }

    // MARK: Requirements

    private func req(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> VersionRequirement? {
        let requirement = VersionRequirement(text)
        if requirement == nil { Issue.record("'\(text)' should parse as a requirement", sourceLocation: sourceLocation) }
        return requirement
    }

    /// Checks which of `versions` satisfy `requirement`.
    private func check(
        _ requirement: String, accepts accepted: [String], rejects rejected: [String],
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        guard let parsed = req(requirement, sourceLocation: sourceLocation) else { return }
        for version in accepted {
            #expect(parsed.isSatisfied(by: v(version)), "\(requirement) should accept \(version)", sourceLocation: sourceLocation)
        }
        for version in rejected {
            #expect(!parsed.isSatisfied(by: v(version)), "\(requirement) should reject \(version)", sourceLocation: sourceLocation)
        }
    }

    @Test func caret() {
        check("^1.2", accepts: ["1.2.0", "1.2.7", "1.9.9"], rejects: ["1.1.9", "2.0.0", "0.9.0"])
        check("^1.2.3", accepts: ["1.2.3", "1.5.0"], rejects: ["1.2.2", "2.0.0"])
        check("^1", accepts: ["1.0.0", "1.99.0"], rejects: ["0.9.9", "2.0.0"])
        check("^0.2", accepts: ["0.2.0", "0.2.9"], rejects: ["0.1.9", "0.3.0", "1.0.0"])
        check("^0.2.3", accepts: ["0.2.3", "0.2.9"], rejects: ["0.2.2", "0.3.0"])
        check("^0.0.3", accepts: ["0.0.3"], rejects: ["0.0.2", "0.0.4", "0.1.0"])
        check("^0", accepts: ["0.0.0", "0.9.9"], rejects: ["1.0.0"])
    }

    @Test func tilde() {
        check("~1.2", accepts: ["1.2.0", "1.2.9"], rejects: ["1.1.9", "1.3.0", "2.0.0"])
        check("~1.2.3", accepts: ["1.2.3", "1.2.9"], rejects: ["1.2.2", "1.3.0"])
        check("~1", accepts: ["1.0.0", "1.9.0"], rejects: ["0.9.0", "2.0.0"])
        check("~0.2", accepts: ["0.2.0", "0.2.5"], rejects: ["0.3.0"])
    }

    @Test func ranges() {
        check(">=1.0 <2.0", accepts: ["1.0.0", "1.5.2", "1.99.99"], rejects: ["0.9.9", "2.0.0", "2.1.0"])
        check(">=1.0, <2.0", accepts: ["1.0.0", "1.99.99"], rejects: ["0.9.9", "2.0.0"])
        check(">=1.0,<2.0", accepts: ["1.5.0"], rejects: ["2.0.0"])
        check(">1.0.0 <=1.2.0", accepts: ["1.0.1", "1.2.0"], rejects: ["1.0.0", "1.2.1"])
        check(">=1.2.3", accepts: ["1.2.3", "9.0.0"], rejects: ["1.2.2"])
        check("  >=1.0   <2.0  ", accepts: ["1.0.0"], rejects: ["2.0.0"])
    }

    @Test func exact() {
        check("=1.2.3", accepts: ["1.2.3"], rejects: ["1.2.2", "1.2.4", "1.3.0"])
    }

    @Test func bareVersionMeansCaret() {
        check("1.2", accepts: ["1.2.0", "1.9.0"], rejects: ["1.1.0", "2.0.0"])
        check("0.2", accepts: ["0.2.1"], rejects: ["0.3.0"])
        let bare = req("1.2"), caret = req("^1.2")
        #expect(bare?.comparators == caret?.comparators)
    }

    @Test func star() {
        check("*", accepts: ["0.0.1", "1.0.0", "99.0.0"], rejects: ["1.0.0-beta"])
        #expect(req("*")?.comparators.isEmpty == true)
    }

    @Test func prereleasesOnlyWhenNamed() {
        check("^1.0", accepts: ["1.5.0"], rejects: ["1.5.0-beta", "1.0.0-rc.1"])
        check(">=1.0.0-beta <2.0", accepts: ["1.0.0-beta", "1.0.0-beta.2", "1.0.0", "1.4.0"], rejects: ["1.0.0-alpha"])
    }

    @Test func keepsTheTextAsWritten() {
        #expect(req(" ^1.2 ")?.description == "^1.2")
        #expect(req(">=1.0 <2.0")?.text == ">=1.0 <2.0")
    }

    @Test(arguments: [
        "", " ", "^", "~", "abc", "^x", ">=", ">=1.0 <", "1.2.3.4", "^1.2.3.4", "=>1.0", "==1.0", "~>1.2", "<<1",
        "1.2.3 - 2.0.0", "v1.2", "^1.2.3-", "^01.2", "**", "1.x",
    ])
    func refusesMalformedRequirements(text: String) {
        #expect(VersionRequirement(text) == nil)
    }

    // MARK: Suggestions

    @Test func editDistance() {
        #expect(Suggestions.editDistance("kitten", "sitting") == 3)
        #expect(Suggestions.editDistance("", "abc") == 3)
        #expect(Suggestions.editDistance("abc", "") == 3)
        #expect(Suggestions.editDistance("same", "same") == 0)
        #expect(Suggestions.editDistance("ab", "ba") == 1)  // a transposition is one edit
        #expect(Suggestions.editDistance("titel", "title") == 1)
        #expect(Suggestions.editDistance("é", "e") == 1)
        #expect(Suggestions.editDistance("hour", "hours") == 1)
    }

    @Test func closestFindsTyposAndAbbreviations() {
        #expect(Suggestions.closest(to: "lin-alg", among: ["linear-algebra", "calculus", "probability"]) == ["linear-algebra"])
        #expect(
            Suggestions.closest(to: "ml-research-fellow/lin-alg", among: ["ml-research-fellow/linear-algebra"])
                == ["ml-research-fellow/linear-algebra"])
        #expect(Suggestions.closest(to: "hour", among: PackageDecoder.moduleKeys) == ["hours"])
        #expect(Suggestions.closest(to: "enginer", among: ["engineer", "scientist", "fellow"]) == ["engineer"])
        #expect(Suggestions.closest(to: "Engineer", among: ["engineer"]) == ["engineer"])
        #expect(Suggestions.closest(to: "xyz", among: ["hours", "title"]).isEmpty)
        #expect(Suggestions.closest(to: "hours", among: ["hours"]).isEmpty)  // the name itself is no suggestion
        #expect(Suggestions.closest(to: "a", among: [String]()).isEmpty)
        // The id part of PACKAGE/ID found in another package.
        #expect(Suggestions.closest(to: "wireless/probability", among: ["ml-research-fellow/probability"]) == ["ml-research-fellow/probability"])
    }

    @Test func closestRanksByDistanceThenName() {
        let candidates = ["cat", "bat", "cart", "dog"]
        #expect(Suggestions.closest(to: "cut", among: candidates, limit: 3) == ["cat"])
        #expect(Suggestions.closest(to: "at", among: candidates, limit: 3) == ["bat", "cat"])
        #expect(Suggestions.closest(to: "caat", among: candidates, limit: 3) == ["cart", "cat"])
        #expect(Suggestions.closest(to: "caat", among: candidates) == ["cart"])
    }

    @Test func didYouMean() {
        #expect(Suggestions.didYouMean([]) == nil)
        #expect(Suggestions.didYouMean(["a"]) == "did you mean 'a'?")
        #expect(Suggestions.didYouMean(["a", "b"]) == "did you mean 'a' or 'b'?")
        #expect(Suggestions.didYouMean(["a", "b", "c"]) == "did you mean 'a', 'b' or 'c'?")
    }

    // MARK: Identifiers

    @Test(arguments: ["a", "linear-algebra", "x2", "a1-b2", "ml-research-fellow", String(repeating: "a", count: 64)])
    func validIdentifiers(text: String) {
        #expect(Identifier.isValid(text))
    }

    @Test(arguments: [
        "", "1abc", "-a", "a-", "A", "Linear", "a_b", "a b", "a.b", "a/b", "é", "caf\u{E9}", " a",
        String(repeating: "a", count: 65),
    ])
    func invalidIdentifiers(text: String) {
        #expect(!Identifier.isValid(text))
    }

    @Test func identifierProblemsAndSuggestions() {
        #expect(Identifier.problem(with: "") == "id is empty")
        #expect(Identifier.problem(with: String(repeating: "a", count: 65)).contains("longer than 64"))
        #expect(Identifier.problem(with: "Bad_Id").contains("lowercase letters, digits and hyphens"))
        #expect(Identifier.suggestion(for: "Linear_Algebra") == "linear-algebra")
        #expect(Identifier.suggestion(for: "My Roadmap!") == "my-roadmap")
        #expect(Identifier.suggestion(for: "2nd Stage") == "nd-stage")
        #expect(Identifier.suggestion(for: "linear-algebra") == nil)  // already valid
        #expect(Identifier.suggestion(for: "___") == nil)
    }

    @Test func moduleIDs() {
        #expect(ModuleID(parsing: "p/x", defaultPackage: nil) == ModuleID(package: "p", name: "x"))
        #expect(ModuleID(parsing: "x", defaultPackage: "p") == ModuleID(package: "p", name: "x"))
        #expect(ModuleID(parsing: "x", defaultPackage: nil) == nil)
        #expect(ModuleID(parsing: "a/b/c", defaultPackage: "p") == nil)
        #expect(ModuleID(parsing: "P/x", defaultPackage: nil) == nil)
        #expect(ModuleID(parsing: "p/", defaultPackage: nil) == nil)
        #expect(ModuleID(package: "ml-research-fellow", name: "linear-algebra").description == "ml-research-fellow/linear-algebra")
        #expect(ModuleID(package: "a", name: "z") < ModuleID(package: "b", name: "a"))
    }
}
