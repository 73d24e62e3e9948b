/* Files through the C library: POSIX calls and stdio on /tmp (ramfs) and the read-only root, with errno checks. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) failures++;
}

static void check_errno(const char *what, int result, int expected)
{
    int error = errno;
    printf("%s: %d errno %d\n", what, result, result < 0 ? error : 0);
    if (result >= 0 || error != expected) failures++;
}

int main(int argc, char **argv)
{
    const char *self = argc > 0 ? argv[0] : "/files";
    char buffer[256];

    check("mkdir /tmp/d", mkdir("/tmp/d", 0755) == 0);
    check_errno("mkdir again", mkdir("/tmp/d", 0755), EEXIST);
    int fd = open("/tmp/d/a.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    check("open O_CREAT", fd >= 3);
    check("write", write(fd, "hello, files\n", 13) == 13);
    check("lseek SEEK_CUR", lseek(fd, 0, SEEK_CUR) == 13);
    memset(buffer, 0, sizeof buffer);
    check("pread", pread(fd, buffer, 5, 7) == 5 && memcmp(buffer, "files", 5) == 0);
    check("lseek SEEK_SET", lseek(fd, 0, SEEK_SET) == 0);
    check("read", read(fd, buffer, sizeof buffer) == 13 && memcmp(buffer, "hello", 5) == 0);
    struct stat st;
    check("fstat", fstat(fd, &st) == 0 && st.st_size == 13 && S_ISREG(st.st_mode));
    check("ftruncate", ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5);
    check("fsync", fsync(fd) == 0);
    int copy = dup(fd);
    check("dup", copy > fd);
    check("dup2", dup2(fd, 20) == 20);
    check("close", close(fd) == 0 && close(copy) == 0 && close(20) == 0);
    check_errno("close closed", close(fd), EBADF);

    int dirfd = open("/tmp/d", O_RDONLY | O_DIRECTORY);
    fd = openat(dirfd, "b.txt", O_CREAT | O_WRONLY, 0600);
    check("openat", fd >= 0 && write(fd, "b", 1) == 1 && close(fd) == 0 && close(dirfd) == 0);
    check("stat", stat("/tmp/d/b.txt", &st) == 0 && st.st_size == 1);
    check_errno("stat missing", stat("/tmp/d/none", &st), ENOENT);
    check_errno("open missing", open("/tmp/d/none", O_RDONLY), ENOENT);
    check_errno("open under a file", open("/tmp/d/a.txt/x", O_RDONLY), ENOTDIR);
    check("access", access("/tmp/d/a.txt", R_OK | W_OK) == 0);
    check_errno("access missing", access("/tmp/nowhere", F_OK), ENOENT);
    check("rename", rename("/tmp/d/b.txt", "/tmp/d/c.txt") == 0 && stat("/tmp/d/c.txt", &st) == 0);
    check("symlink", symlink("/tmp/d/a.txt", "/tmp/d/link") == 0);
    ssize_t n = readlink("/tmp/d/link", buffer, sizeof buffer - 1);
    check("readlink", n == 12 && memcmp(buffer, "/tmp/d/a.txt", 12) == 0);
    check("lstat", lstat("/tmp/d/link", &st) == 0 && S_ISLNK(st.st_mode));
    check("stat through link", stat("/tmp/d/link", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 5);

    DIR *dir = opendir("/tmp/d");
    int entries = 0, sawA = 0;
    struct dirent *entry;
    while (dir && (entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        entries++;
        if (strcmp(entry->d_name, "a.txt") == 0 && entry->d_type == DT_REG) sawA = 1;
    }
    check("opendir/readdir", dir != NULL && entries == 3 && sawA);
    check("closedir", dir != NULL && closedir(dir) == 0);
    check_errno("opendir missing", opendir("/tmp/none") == NULL ? -1 : 0, ENOENT);

    check("getcwd /", getcwd(buffer, sizeof buffer) != NULL && strcmp(buffer, "/") == 0);
    check("chdir", chdir("/tmp/d") == 0 && getcwd(buffer, sizeof buffer) != NULL && strcmp(buffer, "/tmp/d") == 0);
    check("relative open", (fd = open("c.txt", O_RDONLY)) >= 0 && close(fd) == 0);
    check("chdir back", chdir("/") == 0);

    int fds[2];
    check("pipe", pipe(fds) == 0 && write(fds[1], "xyz", 3) == 3 && read(fds[0], buffer, 3) == 3 && memcmp(buffer, "xyz", 3) == 0);
    close(fds[0]);
    close(fds[1]);

    FILE *f = fopen("/tmp/d/stdio.txt", "w");
    check("fopen w", f != NULL);
    fprintf(f, "line %d\n", 1);
    fwrite("line 2\n", 1, 7, f);
    check("ftell", ftell(f) == 14);
    check("fclose", fclose(f) == 0);
    f = fopen("/tmp/d/stdio.txt", "r");
    check("fgets", f != NULL && fgets(buffer, sizeof buffer, f) != NULL && strcmp(buffer, "line 1\n") == 0);
    check("fseek", fseek(f, 7, SEEK_SET) == 0 && ftell(f) == 7 && fread(buffer, 1, 7, f) == 7 && memcmp(buffer, "line 2\n", 7) == 0);
    fclose(f);
    check_errno("fopen missing", fopen("/tmp/none", "r") == NULL ? -1 : 0, ENOENT);

    /* the read-only root */
    check("stat self", stat(self, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 1000);
    fd = open(self, O_RDONLY);
    check("read self", fd >= 0 && read(fd, buffer, 4) == 4 && memcmp(buffer, "\177ELF", 4) == 0);
    close(fd);
    check("rofs refuses writes", open(self, O_WRONLY) < 0 && mkdir("/newdir", 0755) < 0);
    printf("rofs errno %s\n", errno == EROFS ? "EROFS" : strerror(errno));

    check("unlink", unlink("/tmp/d/a.txt") == 0 && unlink("/tmp/d/c.txt") == 0 && unlink("/tmp/d/link") == 0 && unlink("/tmp/d/stdio.txt") == 0);
    check_errno("unlink missing", unlink("/tmp/d/a.txt"), ENOENT);
    check_errno("rmdir a file's name", rmdir("/tmp/nowhere"), ENOENT);
    check("rmdir", rmdir("/tmp/d") == 0);
    snprintf(buffer, sizeof buffer, "%s done", "files");
    printf("%s, %d failures\n", buffer, failures);
    return failures == 0 ? 0 : 1;
}
