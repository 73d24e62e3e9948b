/* time.h, locale.h and the rest of the C library a scripting language touches: broken-down time in UTC
   and in a POSIX TZ zone, timezone/daylight/tzname, strftime, mktime/timegm, clock, locale queries, setenv/unsetenv/putenv,
   select on a pipe, isatty, the user and group databases from /etc/passwd and /etc/group, and chown's one owner. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <langinfo.h>
#include <locale.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int environment_size(void)
{
    int n = 0;
    for (char **e = environ; *e; e++)
        n++;
    return n;
}

int main(void)
{
    time_t when = 1700000000;
    struct tm tm;
    char text[128];
    gmtime_r(&when, &tm);
    strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S %a %b %j", &tm);
    printf("gmtime: %s\n", text);
    printf("timegm round trip: %s\n", timegm(&tm) == when ? "yes" : "no");

    setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
    tzset();
    printf("after tzset: timezone %ld daylight %d tzname %s %s\n", timezone, daylight, tzname[0], tzname[1]);
    localtime_r(&when, &tm);
    strftime(text, sizeof text, "%H:%M %Z", &tm);
    printf("localtime in New York: %s, isdst %d\n", text, tm.tm_isdst);
    time_t summer = 1690000000;
    localtime_r(&summer, &tm);
    strftime(text, sizeof text, "%H:%M %Z", &tm);
    printf("summer in New York: %s, isdst %d, mktime back %s\n", text, tm.tm_isdst, mktime(&tm) == summer ? "yes" : "no");

    setenv("TZ", "Europe/Paris", 1); /* a zoneinfo file, when the image has one */
    tzset();
    localtime_r(&when, &tm);
    strftime(text, sizeof text, "%H:%M %Z %z", &tm);
    printf("localtime in Europe/Paris: %s\n", text);
    setenv("TZ", "JST-9", 1);
    localtime(&when); /* re-reads TZ (glibc and musl alike), and with it timezone and tzname */
    printf("after localtime: timezone %ld tzname %s\n", timezone, tzname[0]);
    unsetenv("TZ");
    tzset();

    clock_t start = clock();
    volatile double x = 0;
    for (int i = 0; i < 2000000; i++)
        x += i * 0.5;
    clock_t end = clock();
    printf("clock: advances %s\n", end > start && start >= 0 ? "yes" : "no");

    printf("setlocale C: %s, decimal point '%s', codeset %s\n", setlocale(LC_ALL, "C"),
           localeconv()->decimal_point, nl_langinfo(CODESET));

    int before = environment_size();
    setenv("OSV_ADDED", "one", 0);
    setenv("OSV_ADDED", "two", 0);
    printf("setenv keeps: %s\n", getenv("OSV_ADDED"));
    setenv("OSV_ADDED", "three", 1);
    printf("setenv overwrites: %s, environ grew by %d\n", getenv("OSV_ADDED"), environment_size() - before);
    static char put[] = "OSV_PUT=yes";
    putenv(put);
    printf("putenv: %s\n", getenv("OSV_PUT"));
    unsetenv("OSV_ADDED");
    printf("unsetenv: %s, environ grew by %d\n", getenv("OSV_ADDED") ? "still set" : "gone", environment_size() - before);
    errno = 0;
    int refused = setenv("A=B", "x", 1);
    printf("setenv with '=' in the name: %d errno %d\n", refused, errno);

    int fds[2];
    pipe(fds);
    fd_set readable;
    struct timeval zero = {0, 0};
    FD_ZERO(&readable);
    FD_SET(fds[0], &readable);
    int empty = select(fds[0] + 1, &readable, NULL, NULL, &zero);
    write(fds[1], "x", 1);
    FD_ZERO(&readable);
    FD_SET(fds[0], &readable);
    struct timeval second = {1, 0};
    int ready = select(fds[0] + 1, &readable, NULL, NULL, &second);
    printf("select: empty pipe %d, after a write %d, bit set %s\n", empty, ready, FD_ISSET(fds[0], &readable) ? "yes" : "no");

    int file = open("/tmp/calendar.txt", O_CREAT | O_RDWR, 0644);
    errno = 0;
    int file_tty = isatty(file);
    printf("isatty: console %d, file %d errno %d\n", isatty(1), file_tty, errno);

    struct passwd *root = getpwnam("root");
    struct passwd *user = getpwuid(1000);
    printf("getpwnam root: %s uid %d home %s\n", root ? root->pw_name : "(none)", root ? (int)root->pw_uid : -1, root ? root->pw_dir : "-");
    printf("getpwuid 1000: %s shell %s\n", user ? user->pw_name : "(none)", user ? user->pw_shell : "-");
    printf("getpwnam nobody-here: %s\n", getpwnam("nobody-here") ? "found" : "none");
    int entries = 0;
    setpwent();
    while (getpwent())
        entries++;
    endpwent();
    printf("getpwent: %d entries\n", entries);

    struct group *wheel = getgrnam("wheel");
    printf("getgrnam wheel: gid %d members", wheel ? (int)wheel->gr_gid : -1);
    for (char **member = wheel ? wheel->gr_mem : NULL; member && *member; member++)
        printf(" %s", *member);
    printf("\n");
    struct group *own = getgrgid(1000);
    printf("getgrgid 1000: %s, %s members\n", own ? own->gr_name : "(none)", own && own->gr_mem[0] == NULL ? "no" : "some");
    gid_t list[8];
    int listed = 8;
    int groups = getgrouplist("osv", 1000, list, &listed);
    printf("getgrouplist osv: %d:", groups);
    for (int i = 0; i < listed && i < 8; i++)
        printf(" %d", (int)list[i]);
    printf("\n");
    int small = 1;
    int too_few = getgrouplist("osv", 1000, list, &small);
    printf("getgrouplist with room for 1: %d, needs %d\n", too_few, small);
    int group_entries = 0;
    setgrent();
    while (getgrent())
        group_entries++;
    endgrent();
    printf("getgrent: %d entries\n", group_entries);

    errno = 0;
    int same_owner = chown("/tmp/calendar.txt", 0, 0);
    int other_owner = chown("/tmp/calendar.txt", 1000, -1);
    int chown_errno = errno;
    printf("chown: to root %d, to 1000 %d errno %d\n", same_owner, other_owner, chown_errno);
    return 0;
}
