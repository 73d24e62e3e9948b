#define _GNU_SOURCE
/* Time and identity calls. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <sys/time.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/utsname.h>

int main(void)
{
    struct timespec a, b, real;
    clock_gettime(CLOCK_MONOTONIC, &a);
    struct timespec nap = { 0, 20 * 1000 * 1000 };
    int slept = nanosleep(&nap, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long elapsed = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
    printf("nanosleep %d, slept at least 20 ms: %s\n", slept, elapsed >= 20000000L ? "yes" : "no");
    clock_gettime(CLOCK_REALTIME, &real);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("realtime after 2020: %s, gettimeofday agrees: %s\n", real.tv_sec > 1577836800L ? "yes" : "no",
           tv.tv_sec - real.tv_sec <= 1 && tv.tv_sec >= real.tv_sec ? "yes" : "no");
    printf("time() agrees: %s\n", time(NULL) - real.tv_sec <= 1 ? "yes" : "no");
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_nsec += 10 * 1000 * 1000;
    if (deadline.tv_nsec >= 1000000000L) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000L; }
    int absolute = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("clock_nanosleep absolute %d, reached: %s\n", absolute,
           b.tv_sec > deadline.tv_sec || (b.tv_sec == deadline.tv_sec && b.tv_nsec >= deadline.tv_nsec) ? "yes" : "no");

    unsigned char first[32], second[32];
    ssize_t n1 = getrandom(first, sizeof first, 0);
    ssize_t n2 = getrandom(second, sizeof second, GRND_NONBLOCK);
    int zero = 1;
    for (int i = 0; i < 32; i++) zero &= first[i] == 0;
    printf("getrandom %zd %zd, differ: %s, nonzero: %s\n", n1, n2, memcmp(first, second, 32) ? "yes" : "no", zero ? "no" : "yes");

    printf("uid %d euid %d gid %d egid %d pid %d ppid %d\n", (int)getuid(), (int)geteuid(), (int)getgid(), (int)getegid(), (int)getpid(), (int)getppid());
    struct rlimit stack, files;
    getrlimit(RLIMIT_STACK, &stack);
    getrlimit(RLIMIT_NOFILE, &files);
    printf("stack limit %llu, files limit %llu\n", (unsigned long long)stack.rlim_cur, (unsigned long long)files.rlim_cur);
    cpu_set_t set;
    CPU_ZERO(&set);
    sched_getaffinity(0, sizeof set, &set);
    printf("cpus %d, sysconf agrees: %s\n", CPU_COUNT(&set), sysconf(_SC_NPROCESSORS_ONLN) == CPU_COUNT(&set) ? "yes" : "no");
    struct utsname name;
    uname(&name);
    printf("uname %s %s\n", name.sysname, name.machine);
    return 0;
}
