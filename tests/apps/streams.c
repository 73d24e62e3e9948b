/* stdio beyond the basics, as glibc's headers compile it at -O2: getc_unlocked/putc_unlocked and
   feof_unlocked inlined against the FILE layout (they call __uflow/__overflow), flockfile, ungetc,
   fscanf (musl's scanner on a kernel stream), freopen, tmpfile, mkstemp/mkdtemp/remove, and the
   shell-less system/popen. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    FILE *f = fopen64("/tmp/streams.txt", "w");
    if (!f) { printf("fopen64 failed: errno %d\n", errno); return 2; }
    const char *text = "alpha beta\ngamma\n";
    for (const char *p = text; *p; p++)
        putc_unlocked(*p, f);
    fclose(f);

    f = fopen("/tmp/streams.txt", "r");
    flockfile(f);
    int count = 0, lines = 0, c;
    while ((c = getc_unlocked(f)) != EOF) {
        count++;
        lines += c == '\n';
    }
    int at_end = feof_unlocked(f) != 0, failed = ferror_unlocked(f) != 0;
    funlockfile(f);
    printf("getc_unlocked read %d bytes in %d lines, eof %d, error %d\n", count, lines, at_end, failed);

    rewind(f);
    int first = getc(f);
    int pushed = ungetc('Z', f);
    int again = getc(f), next = getc(f);
    printf("ungetc: first %c, pushed %c, read back %c then %c\n", first, pushed, again, next);
    printf("ungetc(EOF) = %d\n", ungetc(EOF, f));

    FILE *same = freopen("/tmp/streams.txt", "r", f);
    char line[64];
    printf("freopen same stream: %s, first line %s", same == f ? "yes" : "no", fgets(line, sizeof line, f) ? line : "(none)\n");
    fclose(f);

    f = fopen("/tmp/scan.txt", "w+");
    fputs("12 apples 3.5\nnext line\n", f);
    rewind(f);
    int number = 0;
    char word[16] = {0};
    double amount = 0;
    int scanned = fscanf(f, "%d %15s %lf", &number, word, &amount);
    int after = getc(f);
    char rest[32] = {0};
    fgets(rest, sizeof rest, f);
    int at_eof = fscanf(f, "%d", &number);
    printf("fscanf: %d fields, %d %s %.1f, then %s, rest %s", scanned, number, word, amount,
           after == '\n' ? "newline" : "other", rest);
    printf("fscanf at end of file: %d\n", at_eof);
    fclose(f);

    FILE *t = tmpfile();
    fputs("scratch data", t);
    rewind(t);
    char back[32] = {0};
    size_t n = fread(back, 1, sizeof back - 1, t);
    printf("tmpfile: read back %zu bytes: %s\n", n, back);
    fclose(t);

    char name[] = "/tmp/streamsXXXXXX";
    int fd = mkstemp(name);
    struct stat st;
    printf("mkstemp: fd ok %s, name changed %s, exists %s\n", fd >= 0 ? "yes" : "no",
           strstr(name, "XXXXXX") ? "no" : "yes", stat(name, &st) == 0 ? "yes" : "no");
    close(fd);
    int removed = remove(name);
    errno = 0;
    int gone = stat(name, &st) != 0 && errno == ENOENT;
    printf("remove file: %d, gone %s\n", removed, gone ? "yes" : "no");
    char dir[] = "/tmp/dirXXXXXX";
    char *made = mkdtemp(dir);
    int is_directory = made && stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
    int removed_directory = made ? remove(dir) : -2;
    printf("mkdtemp: %s, is a directory %s, remove %d\n", made ? "ok" : "failed", is_directory ? "yes" : "no", removed_directory);
    char bad[] = "/tmp/noplaceholders";
    errno = 0;
    int bad_fd = mkstemp(bad);
    printf("mkstemp without XXXXXX: %d errno %d\n", bad_fd, errno);

    errno = 0;
    FILE *pipe = popen("ls", "r");
    int popen_errno = errno;
    printf("popen: %s errno %d, system(NULL) %d\n", pipe ? "stream" : "NULL", popen_errno, system(NULL));
    return 0;
}
