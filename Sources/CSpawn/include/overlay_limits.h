#ifndef OVERLAY_LIMITS_H
#define OVERLAY_LIMITS_H

#include <stddef.h>

/// The text of errno value `code` in `buf` (strerror_r: safe from any thread, unlike
/// strerror). Returns `buf`.
const char *overlay_strerror(int code, char *buf, size_t len);

/// Makes threads created without an explicit stack size (libdispatch's workers among
/// them) reserve `bytes` of stack instead of `ulimit -s`. Returns 0 or an errno value.
int overlay_set_default_thread_stack(size_t bytes);

/// Caps glibc's malloc arenas: each one reserves 64 MiB of address space, which a
/// `ulimit -v` limit runs out of long before memory does. Returns 1 on success.
int overlay_limit_malloc_arenas(int count);

/// From now on a crash (SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE) writes `message`
/// (copied) to stderr and exits with status 1 instead of dumping a backtrace: under an
/// address-space limit a crash is an allocation that failed, and the user needs the
/// limit named, not a trace. Runs on its own signal stack. Returns 0 or an errno value.
int overlay_report_crashes_as(const char *message);

#endif
