/* Permission bits and file times through the C library: chmod, fchmod, fchmodat, lchmod, utime,
 * utimes, futimes, lutimes, futimens, utimensat on /tmp (ramfs) and the read-only root, with errno
 * checks. Each line prints what stat saw, so the test can compare values, not only "ok". */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

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

static unsigned mode_of(const char *path, int follow)
{
    struct stat st;
    if ((follow ? stat(path, &st) : lstat(path, &st)) != 0)
        return 0;
    return (unsigned)st.st_mode;
}

static int near_now(time_t t)
{
    time_t now = time(NULL);
    return t <= now && now - t <= 2;
}

/* "<what>: <result> atime S.N mtime S.N" from stat (lstat when follow is 0). */
static void print_times(const char *what, int result, const char *path, int follow)
{
    struct stat st;
    memset(&st, 0, sizeof st);
    if ((follow ? stat(path, &st) : lstat(path, &st)) != 0)
        failures++;
    printf("%s: %d atime %lld.%09ld mtime %lld.%09ld\n", what, result,
           (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    if (result != 0) failures++;
}

int main(int argc, char **argv)
{
    const char *self = argc > 0 ? argv[0] : "/permissions";
    struct stat st;

    int fd = open("/tmp/p", O_CREAT | O_RDWR | O_TRUNC, 0644);
    check("create /tmp/p", fd >= 0 && write(fd, "x", 1) == 1);

    /* ---- permission bits ---- */
    int r = chmod("/tmp/p", 0600);
    printf("chmod 0600: %d mode %o\n", r, mode_of("/tmp/p", 1));
    r = fchmod(fd, 04751);
    printf("fchmod 04751: %d mode %o\n", r, mode_of("/tmp/p", 1));
    r = chmod("/tmp/p", 0170644); /* type bits in the argument are ignored */
    printf("chmod with type bits: %d mode %o\n", r, mode_of("/tmp/p", 1));
    int dirfd = open("/tmp", O_RDONLY | O_DIRECTORY);
    r = fchmodat(dirfd, "p", 0640, 0);
    printf("fchmodat: %d mode %o\n", r, mode_of("/tmp/p", 1));
    check("symlink", symlink("/tmp/p", "/tmp/plink") == 0);
    r = chmod("/tmp/plink", 0444);
    printf("chmod through a symlink: %d target %o link %o\n", r, mode_of("/tmp/p", 1), mode_of("/tmp/plink", 0));
    check_errno("lchmod symlink", lchmod("/tmp/plink", 0600), EOPNOTSUPP);
    check_errno("fchmodat NOFOLLOW symlink", fchmodat(AT_FDCWD, "/tmp/plink", 0600, AT_SYMLINK_NOFOLLOW), EOPNOTSUPP);
#ifdef __GLIBC__
    /* musl's lchmod of a non-symlink goes through /proc/self/fd, which Osv does not have. */
    r = lchmod("/tmp/p", 0604);
    printf("lchmod file: %d mode %o\n", r, mode_of("/tmp/p", 1));
#endif
    check_errno("fchmodat bad flags", fchmodat(AT_FDCWD, "/tmp/p", 0600, 0x7777), EINVAL);
    check_errno("chmod missing", chmod("/tmp/missing", 0600), ENOENT);
    check_errno("chmod under a file", chmod("/tmp/p/x", 0600), ENOTDIR);
    check_errno("fchmod bad fd", fchmod(99, 0600), EBADF);
    char *volatile unmapped = (char *)8; /* page 0: the kernel must answer EFAULT, not fault */
    check_errno("chmod bad pointer", chmod(unmapped, 0600), EFAULT);
    unsigned root_mode = mode_of(self, 1);
    check_errno("chmod rofs file", chmod(self, 0777), EROFS);
    check_errno("chmod rofs root", chmod("/", 0777), EROFS);
    check_errno("chmod rofs missing", chmod("/missing", 0777), ENOENT);
    check("rofs mode unchanged", root_mode != 0 && mode_of(self, 1) == root_mode);

    /* ---- times ---- */
    struct timeval tv[2] = { { 1000000000, 250000 }, { 1200000000, 500000 } };
    print_times("utimes", utimes("/tmp/p", tv), "/tmp/p", 1);
    check("utimes ctime near now", stat("/tmp/p", &st) == 0 && near_now(st.st_ctim.tv_sec));
    struct timespec ts[2] = { { 1300000000, 123456789 }, { 0, UTIME_OMIT } };
    print_times("utimensat omit mtime", utimensat(AT_FDCWD, "/tmp/p", ts, 0), "/tmp/p", 1);
    ts[0].tv_nsec = UTIME_NOW;
    r = utimensat(AT_FDCWD, "/tmp/p", ts, 0);
    check("utimensat UTIME_NOW", r == 0 && stat("/tmp/p", &st) == 0 && near_now(st.st_atim.tv_sec) && st.st_mtim.tv_sec == 1200000000);
    ts[0].tv_sec = 1400000000; ts[0].tv_nsec = 1;
    ts[1].tv_sec = 1500000000; ts[1].tv_nsec = 2;
    print_times("futimens", futimens(fd, ts), "/tmp/p", 1);
    struct timeval tv2[2] = { { 1600000000, 7 }, { 1600000001, 8 } };
    print_times("futimes", futimes(fd, tv2), "/tmp/p", 1);
    struct utimbuf ub = { 1700000000, 1700000001 };
    print_times("utime", utime("/tmp/p", &ub), "/tmp/p", 1);
    r = utime("/tmp/p", NULL);
    check("utime NULL is now", r == 0 && stat("/tmp/p", &st) == 0 && near_now(st.st_atim.tv_sec) && near_now(st.st_mtim.tv_sec));
    struct timeval tv3[2] = { { 1000, 0 }, { 2000, 0 } };
    print_times("lutimes link", lutimes("/tmp/plink", tv3), "/tmp/plink", 0);
    check("lutimes left the target", stat("/tmp/p", &st) == 0 && st.st_mtim.tv_sec != 2000);
    ts[0].tv_sec = 3000; ts[0].tv_nsec = 0;
    ts[1].tv_sec = 4000; ts[1].tv_nsec = 0;
    print_times("utimensat NOFOLLOW link", utimensat(AT_FDCWD, "/tmp/plink", ts, AT_SYMLINK_NOFOLLOW), "/tmp/plink", 0);
    ts[1].tv_nsec = 1000000000;
    check_errno("utimensat bad nsec", utimensat(AT_FDCWD, "/tmp/p", ts, 0), EINVAL);
    ts[1].tv_nsec = 0;
    check_errno("utimensat bad flags", utimensat(AT_FDCWD, "/tmp/p", ts, 0x7777), EINVAL);
    check_errno("utimes missing", utimes("/tmp/missing", tv), ENOENT);
    check_errno("utimensat missing", utimensat(AT_FDCWD, "/tmp/missing", ts, 0), ENOENT);
    check_errno("futimens bad fd", futimens(99, ts), EBADF);
#ifdef __GLIBC__
    /* glibc hands the pointer to the kernel; musl reads the times first (and faults, on Linux too). */
    check_errno("utimensat bad times pointer", utimensat(AT_FDCWD, "/tmp/p", (struct timespec *)unmapped, 0), EFAULT);
#endif
    check_errno("utimes rofs", utimes(self, NULL), EROFS);
    struct timespec omit[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
    printf("utimensat both omitted on a missing path: %d\n", utimensat(AT_FDCWD, "/tmp/missing", omit, 0));

    close(fd);
    close(dirfd);
    unlink("/tmp/plink");
    unlink("/tmp/p");
    printf("permissions done, %d failures\n", failures);
    return failures == 0 ? 0 : 1;
}
