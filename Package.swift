// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "roadmap",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "roadmap", targets: ["roadmap"]),
        .library(name: "RoadmapKit", targets: ["RoadmapKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .target(
            name: "RoadmapKit",
            dependencies: [
                "CYAML",
                .product(name: "Collections", package: "swift-collections"),
            ]
        ),
        .executableTarget(
            name: "roadmap",
            dependencies: [
                "RoadmapKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "RoadmapKitTests",
            dependencies: [
                "RoadmapKit",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "RoadmapEndToEndTests",
            dependencies: ["RoadmapKit"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
