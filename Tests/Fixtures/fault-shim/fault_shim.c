// An LD_PRELOAD shim that fails one write-type call of the `overlay` process, for
// Tests/EndToEndTests/FaultInjectionTests.swift (built there with `cc -shared`).
//
// Environment:
//   FAULT_PATHS  colon-separated path prefixes; only calls on paths under one of them count
//   FAULT_AT     fail the N-th counted call (1-based); 0 counts without failing
//   FAULT_ERRNO  the errno of the failure (default EIO)
//   FAULT_LOG    file that gets one line per counted call: "N op path" (+ " FAILED")
//   FAULT_KILL   when set, the N-th call SIGKILLs the process instead of failing (a crash
//                at exactly that instant)
//
// Write-type calls: open/openat/creat with a write flag, write/pwrite/writev, fsync,
// fdatasync, syncfs, rename*, unlink*, rmdir, mkdir*, symlink*, link*, chmod/fchmod*,
// truncate/ftruncate. Calls on a descriptor are matched by the path it was opened with
// (/proc/self/fd). Only the process whose executable is named `overlay` is affected, not
// the shells and `crontab` commands it starts.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static int active;
static long fail_at;
static int fail_errno = EIO;
static int kill_instead;
static long counter;
static int log_fd = -1;
static char prefixes[8][1024];
static int prefix_count;

__attribute__((constructor)) static void fault_init(void) {
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return;
    exe[n] = '\0';
    const char *base = strrchr(exe, '/');
    if (!base || strcmp(base + 1, "overlay") != 0) return;
    const char *paths = getenv("FAULT_PATHS");
    if (!paths) return;
    char copy[8192];
    snprintf(copy, sizeof copy, "%s", paths);
    for (char *save = NULL, *p = strtok_r(copy, ":", &save); p && prefix_count < 8; p = strtok_r(NULL, ":", &save)) {
        snprintf(prefixes[prefix_count++], sizeof prefixes[0], "%s", p);
    }
    const char *at = getenv("FAULT_AT");
    fail_at = at ? atol(at) : 0;
    const char *code = getenv("FAULT_ERRNO");
    if (code) fail_errno = atoi(code);
    kill_instead = getenv("FAULT_KILL") != NULL;
    const char *logpath = getenv("FAULT_LOG");
    if (logpath) log_fd = (int)syscall(SYS_openat, AT_FDCWD, logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    active = 1;
}

static int under_prefix(const char *path) {
    for (int i = 0; i < prefix_count; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(path, prefixes[i], n) == 0 && (path[n] == '\0' || path[n] == '/' || prefixes[i][n - 1] == '/')) return 1;
    }
    return 0;
}

static void fd_path(int fd, char *out, size_t len) {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, out, len - 1);
    out[n > 0 ? n : 0] = '\0';
}

static void at_path(int dirfd, const char *path, char *out, size_t len) {
    if (!path) { out[0] = '\0'; return; }
    if (path[0] == '/' || dirfd == AT_FDCWD) {
        if (path[0] == '/') { snprintf(out, len, "%s", path); return; }
        char cwd[4096];
        if (!getcwd(cwd, sizeof cwd)) cwd[0] = '\0';
        snprintf(out, len, "%s/%s", cwd, path);
        return;
    }
    char dir[4096];
    fd_path(dirfd, dir, sizeof dir);
    snprintf(out, len, "%s/%s", dir, path);
}

// 1 when this call must fail (errno set); counts and logs calls under a prefix.
static int should_fail(const char *op, const char *path) {
    if (!active || !path || !under_prefix(path)) return 0;
    long n = __atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST);
    int fail = fail_at > 0 && n == fail_at;
    if (log_fd >= 0) {
        char line[4600];
        int len = snprintf(line, sizeof line, "%ld %s %s%s\n", n, op, path, fail ? " FAILED" : "");
        if (len > 0) syscall(SYS_write, log_fd, line, (size_t)(len < (int)sizeof line ? len : (int)sizeof line - 1));
    }
    if (fail && kill_instead) kill(getpid(), SIGKILL);
    if (fail) errno = fail_errno;
    return fail;
}

static int fd_fails(const char *op, int fd) {
    if (!active) return 0;
    char path[4096];
    fd_path(fd, path, sizeof path);
    return should_fail(op, path);
}

#define REAL(name) static __typeof__(&name) real_##name; if (!real_##name) real_##name = (__typeof__(&name))dlsym(RTLD_NEXT, #name)
#define WRITES(flags) ((flags) & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND))

static int open_common(const char *op, int dirfd, const char *path, int flags) {
    if (!WRITES(flags)) return 0;
    char full[4096];
    at_path(dirfd, path, full, sizeof full);
    return should_fail(op, full);
}

int open(const char *path, int flags, ...) {
    REAL(open);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) { va_list a; va_start(a, flags); mode = va_arg(a, mode_t); va_end(a); }
    if (open_common("open", AT_FDCWD, path, flags)) return -1;
    return real_open(path, flags, mode);
}
int open64(const char *path, int flags, ...) {
    REAL(open64);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) { va_list a; va_start(a, flags); mode = va_arg(a, mode_t); va_end(a); }
    if (open_common("open", AT_FDCWD, path, flags)) return -1;
    return real_open64(path, flags, mode);
}
int openat(int dirfd, const char *path, int flags, ...) {
    REAL(openat);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) { va_list a; va_start(a, flags); mode = va_arg(a, mode_t); va_end(a); }
    if (open_common("openat", dirfd, path, flags)) return -1;
    return real_openat(dirfd, path, flags, mode);
}
int openat64(int dirfd, const char *path, int flags, ...) {
    REAL(openat64);
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) { va_list a; va_start(a, flags); mode = va_arg(a, mode_t); va_end(a); }
    if (open_common("openat", dirfd, path, flags)) return -1;
    return real_openat64(dirfd, path, flags, mode);
}
int creat(const char *path, mode_t mode) {
    REAL(creat);
    if (should_fail("creat", path)) return -1;
    return real_creat(path, mode);
}
ssize_t write(int fd, const void *buf, size_t n) {
    REAL(write);
    if (fd > 2 && fd_fails("write", fd)) return -1;
    return real_write(fd, buf, n);
}
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) {
    REAL(pwrite);
    if (fd_fails("pwrite", fd)) return -1;
    return real_pwrite(fd, buf, n, off);
}
ssize_t writev(int fd, const struct iovec *iov, int count) {
    REAL(writev);
    if (fd > 2 && fd_fails("writev", fd)) return -1;
    return real_writev(fd, iov, count);
}
int fsync(int fd) {
    REAL(fsync);
    if (fd_fails("fsync", fd)) return -1;
    return real_fsync(fd);
}
int fdatasync(int fd) {
    REAL(fdatasync);
    if (fd_fails("fdatasync", fd)) return -1;
    return real_fdatasync(fd);
}
int syncfs(int fd) {
    REAL(syncfs);
    if (fd_fails("syncfs", fd)) return -1;
    return real_syncfs(fd);
}
int fchmod(int fd, mode_t mode) {
    REAL(fchmod);
    if (fd_fails("fchmod", fd)) return -1;
    return real_fchmod(fd, mode);
}
int ftruncate(int fd, off_t len) {
    REAL(ftruncate);
    if (fd_fails("ftruncate", fd)) return -1;
    return real_ftruncate(fd, len);
}
int chmod(const char *path, mode_t mode) {
    REAL(chmod);
    if (should_fail("chmod", path)) return -1;
    return real_chmod(path, mode);
}
int fchmodat(int dirfd, const char *path, mode_t mode, int flags) {
    REAL(fchmodat);
    char full[4096];
    at_path(dirfd, path, full, sizeof full);
    if (should_fail("fchmodat", full)) return -1;
    return real_fchmodat(dirfd, path, mode, flags);
}
int truncate(const char *path, off_t len) {
    REAL(truncate);
    if (should_fail("truncate", path)) return -1;
    return real_truncate(path, len);
}
int rename(const char *from, const char *to) {
    REAL(rename);
    if (should_fail("rename", to) ) return -1;
    return real_rename(from, to);
}
int renameat(int fd1, const char *from, int fd2, const char *to) {
    REAL(renameat);
    char full[4096];
    at_path(fd2, to, full, sizeof full);
    if (should_fail("renameat", full)) return -1;
    return real_renameat(fd1, from, fd2, to);
}
int renameat2(int fd1, const char *from, int fd2, const char *to, unsigned flags) {
    REAL(renameat2);
    char full[4096];
    at_path(fd2, to, full, sizeof full);
    if (should_fail("renameat2", full)) return -1;
    return real_renameat2(fd1, from, fd2, to, flags);
}
int unlink(const char *path) {
    REAL(unlink);
    if (should_fail("unlink", path)) return -1;
    return real_unlink(path);
}
int unlinkat(int dirfd, const char *path, int flags) {
    REAL(unlinkat);
    char full[4096];
    at_path(dirfd, path, full, sizeof full);
    if (should_fail("unlinkat", full)) return -1;
    return real_unlinkat(dirfd, path, flags);
}
int rmdir(const char *path) {
    REAL(rmdir);
    if (should_fail("rmdir", path)) return -1;
    return real_rmdir(path);
}
int mkdir(const char *path, mode_t mode) {
    REAL(mkdir);
    if (should_fail("mkdir", path)) return -1;
    return real_mkdir(path, mode);
}
int mkdirat(int dirfd, const char *path, mode_t mode) {
    REAL(mkdirat);
    char full[4096];
    at_path(dirfd, path, full, sizeof full);
    if (should_fail("mkdirat", full)) return -1;
    return real_mkdirat(dirfd, path, mode);
}
int symlink(const char *target, const char *path) {
    REAL(symlink);
    if (should_fail("symlink", path)) return -1;
    return real_symlink(target, path);
}
int symlinkat(const char *target, int dirfd, const char *path) {
    REAL(symlinkat);
    char full[4096];
    at_path(dirfd, path, full, sizeof full);
    if (should_fail("symlinkat", full)) return -1;
    return real_symlinkat(target, dirfd, path);
}
int link(const char *from, const char *to) {
    REAL(link);
    if (should_fail("link", to)) return -1;
    return real_link(from, to);
}
int linkat(int fd1, const char *from, int fd2, const char *to, int flags) {
    REAL(linkat);
    char full[4096];
    at_path(fd2, to, full, sizeof full);
    if (should_fail("linkat", full)) return -1;
    return real_linkat(fd1, from, fd2, to, flags);
}
