import Foundation

/// Programs from outside the package that some tests start (PostgreSQL, Chromium, node), and the
/// seed's text beside the repository: where one is missing its tests skip with a visible notice,
/// except in CI (`CI=true`), where a missing one is a failure, so a broken setup cannot pass unseen.
public enum OutsidePrograms {
    /// Whether this is CI's run (`CI=true`): every outside program must be there.
    public static var requiredHere: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
}
