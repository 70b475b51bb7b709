import CLibgit2

/// How a ref a user names is looked up: `main` is the branch `refs/heads/main`, else the
/// tag `refs/tags/main`; a name starting with `refs/` is taken as it is.
enum RefName {
    /// The full ref names to try, in order; throws when the name cannot be a ref.
    static func candidates(for ref: String) throws(GitError) -> [String] {
        let names = ref.hasPrefix("refs/") ? [ref] : ["refs/heads/" + ref, "refs/tags/" + ref]
        GitLibrary.ensureInitialized()
        for name in names {
            var valid: Int32 = 0
            // Refuses `:`, `*`, `..`, `@{`, spaces and control characters: a name can never
            // smuggle a refspec of its own into the fetch.
            guard !ref.isEmpty, git_reference_name_is_valid(&valid, name) == 0, valid == 1 else {
                throw .invalidRef(ref)
            }
        }
        return names
    }
}
