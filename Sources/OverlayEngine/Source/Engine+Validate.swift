import Foundation
import OverlayCore
import OverlayGit

extension Engine {
    /// `overlay validate`: every check of the repo, plus what only git can tell — a create-only
    /// file's source edited by the last commit or in the work tree (it will not reach the hosts
    /// that already have the file). Outside a git work tree that check is skipped.
    public static func validate(root: URL) -> ValidationReport {
        validate(root: root) { $0 }
    }

    /// `validate(root:)` for a caller that is done after `body` (the CLI renders and exits):
    /// the repo's trees stay alive through `body`, so a process that exits inside it never
    /// frees them node by node on one core (the OS takes the pages back at once).
    public static func validate<Result>(root: URL, _ body: (ValidationReport) -> Result) -> Result {
        let context = ValidationContext(repo: LoadedRepo(root: root))
        var report = Validator().validate(context)
        let sources = CreateOnlySourceChange.sources(in: context.repo)
        if !sources.isEmpty, let edits = RecentChanges.edits(root: root.path, paths: sources), !edits.isEmpty {
            report.diagnostics = (report.diagnostics + CreateOnlySourceChange.diagnostics(in: context.repo, edits: edits)).sortedForReport()
        }
        return withExtendedLifetime(context) { body(report) }
    }
}
