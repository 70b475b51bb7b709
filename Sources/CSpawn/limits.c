#define _GNU_SOURCE
#include "overlay_limits.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *overlay_strerror(int code, char *buf, size_t len) {
    if (len == 0) return buf;
    // The GNU strerror_r returns either a static string or `buf`.
    const char *text = strerror_r(code, buf, len);
    if (text != buf) {
        strncpy(buf, text, len - 1);
        buf[len - 1] = '\0';
    }
    return buf;
}

int overlay_set_default_thread_stack(size_t bytes) {
    pthread_attr_t attr;
    int rc = pthread_getattr_default_np(&attr);
    if (rc != 0) return rc;
    rc = pthread_attr_setstacksize(&attr, bytes);
    if (rc == 0) rc = pthread_setattr_default_np(&attr);
    pthread_attr_destroy(&attr);
    return rc;
}

int overlay_limit_malloc_arenas(int count) { return mallopt(M_ARENA_MAX, count); }

static char crash_message[1024];
static size_t crash_length;

static void report_crash(int signal) {
    (void)signal;
    // Only async-signal-safe calls here: write(2) and _exit(2).
    ssize_t ignored = write(STDERR_FILENO, crash_message, crash_length);
    (void)ignored;
    _exit(1);
}

int overlay_report_crashes_as(const char *message) {
    size_t n = strlen(message);
    if (n > sizeof crash_message - 1) n = sizeof crash_message - 1;
    memcpy(crash_message, message, n);
    crash_message[n] = '\0';
    crash_length = n;
    // A stack overflow or a failed stack mapping leaves no stack to run the handler on.
    static char alternate[64 * 1024];
    stack_t stack = {.ss_sp = alternate, .ss_size = sizeof alternate, .ss_flags = 0};
    if (sigaltstack(&stack, NULL) != 0) return errno;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = report_crash;
    action.sa_flags = SA_ONSTACK | SA_RESETHAND;
    sigfillset(&action.sa_mask);
    int signals[] = {SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        if (sigaction(signals[i], &action, NULL) != 0) return errno;
    }
    return 0;
}
