/// The version of roadmap.
public enum RoadmapKitVersion { public static let current = "0.1.0" }
