/* The C library around main: constructors and destructors, atexit order, stdout/stderr taken by
   COPY relocation (fprintf(stdout)), puts/fputs/fputc/fwrite, environ and program_invocation_name,
   a file written and read back with fopen on /tmp, and exit() with buffered output still pending. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

__attribute__((constructor)) static void before_main(void) { printf("constructor runs before main\n"); }
__attribute__((destructor)) static void after_exit(void) { printf("destructor runs after the atexit handlers\n"); }
static void first(void) { printf("atexit handler registered first runs last\n"); }
static void second(void) { printf("atexit handler registered second runs first\n"); }

int main(int argc, char **argv)
{
    atexit(first);
    atexit(second);
    fprintf(stdout, "fprintf to stdout: %s %d\n", program_invocation_short_name, argc);
    puts("puts adds a newline");
    fputs("fputs ", stdout);
    fputc('+', stdout);
    fwrite(" fwrite\n", 1, 8, stdout);
    int count = 0;
    for (char **e = environ; *e; e++)
        count++;
    printf("environ has %d entries, GREETING=%s\n", count, getenv("GREETING") ? getenv("GREETING") : "(unset)");
    FILE *f = fopen("/tmp/stdio-test.txt", "w");
    if (!f) { printf("fopen for writing failed: errno %d\n", errno); return 2; }
    fprintf(f, "line one %d\nline two\n", 1);
    fclose(f);
    f = fopen("/tmp/stdio-test.txt", "r");
    char line[64];
    while (f && fgets(line, sizeof line, f))
        printf("read back: %s", line);
    if (f) fclose(f);
    if (fopen("/no/such/file", "r") == NULL)
        printf("fopen of a missing file: errno %d\n", errno);
    fprintf(stderr, "to stderr\n");
    printf("pending output without a newline");
    exit(5);
}
