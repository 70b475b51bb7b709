/* The floor for `overlay validate`: read every .yaml/.yml file under a folder and pull
 * libyaml's events from it, on one core, building nothing. What is left above this in
 * overlay's time is the tree, the checks and the process around them.
 *
 * cc -O2 -o libyaml_floor bench/libyaml_floor.c -lyaml
 * usage: libyaml_floor DIR   (prints files, bytes, events and seconds on stderr)
 */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

static long files, events, bytes_read, failed;

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void parse_file(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return;
    struct stat st;
    if (fstat(fd, &st) != 0) { close(fd); return; }
    unsigned char *buf = malloc(st.st_size + 1);
    ssize_t got = 0, n;
    while (got < st.st_size && (n = read(fd, buf + got, st.st_size - got)) > 0) got += n;
    close(fd);
    files++;
    bytes_read += got;
    yaml_parser_t parser;
    yaml_event_t event;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, buf, (size_t)got);
    for (;;) {
        if (!yaml_parser_parse(&parser, &event)) { failed++; break; }
        events++;
        int done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        if (done) break;
    }
    yaml_parser_delete(&parser);
    free(buf);
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)st;
    (void)ftw;
    if (type == FTW_F && (ends_with(path, ".yaml") || ends_with(path, ".yml"))) parse_file(path);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    if (nftw(argv[1], visit, 64, FTW_PHYS) != 0) return 1;
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    fprintf(stderr, "%ld files, %ld bytes, %ld events, %ld failed, %.4f s\n", files, bytes_read, events, failed, s);
    return 0;
}
