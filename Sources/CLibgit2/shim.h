// Debian's libgit2 (libgit2-dev), version 1.5: the only importer is OverlayGit.
#include <git2.h>
