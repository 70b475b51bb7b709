#ifndef OVERLAY_SPAWN_H
#define OVERLAY_SPAWN_H

#include <sys/types.h>

/// Starts `path` with `argv` and `envp` (NULL: this process's environment) in a
/// new session, so the child leads its own process group. The child gets
/// `stdin_fd`, `stdout_fd` and `stderr_fd` as 0, 1 and 2, default signal
/// dispositions and an empty signal mask, and no other descriptor of ours: a
/// daemon it leaves behind cannot hold one of our pipes or sockets open.
/// Returns 0 and sets `*pid`, or an errno value.
int overlay_spawn(const char *path, char *const argv[], char *const envp[],
                  int stdin_fd, int stdout_fd, int stderr_fd, pid_t *pid);

/// As `overlay_spawn`, in the working directory `cwd` (NULL: ours). A `cwd` that cannot
/// be entered makes the spawn fail with its errno.
int overlay_spawn_in(const char *path, char *const argv[], char *const envp[], const char *cwd,
                     int stdin_fd, int stdout_fd, int stderr_fd, pid_t *pid);

/// Opens a new, already unlinked read-write file in `dir` (close-on-exec, mode
/// 0600), for a child's input or output that no process can keep "open" the way
/// a pipe stays open. Returns the descriptor or -1 with errno set.
int overlay_anonymous_file(const char *dir);

#endif
