/* glibc-only entry points a compiled program reaches without naming them: sscanf as __isoc99_sscanf,
   asprintf/realpath as __asprintf_chk/__realpath_chk under _FORTIFY_SOURCE, SIGRTMIN through
   __libc_current_sigrtmin, assert as __assert_fail, C++ thread_local destructors as
   __cxa_thread_atexit_impl, libstdc++'s __newlocale/__libc_single_threaded; plus getauxval, perror,
   syslog, setbuf, __fsetlocking and pthread_atfork. `glibcisms assert` ends in a failed assertion. */
#define _GNU_SOURCE
#include <assert.h>
#include <error.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/single_threaded.h>
#include <syslog.h>

extern int __cxa_thread_atexit_impl(void (*destructor)(void *), void *object, void *dso_symbol);
extern void *__dso_handle; /* what g++ passes as dso_symbol: this object */
extern locale_t __newlocale(int mask, const char *name, locale_t base);
extern double __strtod_l(const char *text, char **end, locale_t locale);

static int destroyed;
static void destroy(void *object) { destroyed += *(int *)object; }
static void *thread_body(void *argument)
{
    static int value = 10;
    __cxa_thread_atexit_impl(destroy, &value, &__dso_handle);
    return argument;
}
static void main_thread_object(void *object) { printf("thread_local destructor of main ran: %s\n", (char *)object); }
static void at_exit(void) { printf("atexit handler after it\n"); }

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "assert") == 0) {
        int answer = 41;
        assert(answer == 42);
    }
    int day, year;
    char month[16];
    int fields = sscanf("27 November 2026", "%d %15s %d", &day, month, &year);
    printf("sscanf: %d fields, %d %s %d\n", fields, day, month, year);
    char *text = NULL;
    int length = asprintf(&text, "%s-%04d", "value", 7);
    printf("asprintf: %d %s\n", length, text);
    free(text);
    char resolved[PATH_MAX];
    printf("realpath: %s\n", realpath("/tmp/../tmp/./", resolved) ? resolved : strerror(errno));
    printf("SIGRTMIN %d SIGRTMAX %d\n", SIGRTMIN, SIGRTMAX);
    errno = 0;
    unsigned long missing = getauxval(12345);
    int missing_errno = errno;
    printf("getauxval: page size %lu, random bytes %s, missing %lu errno %d\n", getauxval(AT_PAGESZ),
           getauxval(AT_RANDOM) ? "yes" : "no", missing, missing_errno);
    locale_t c = __newlocale(LC_ALL_MASK, "C", (locale_t)0);
    printf("__strtod_l: %.2f\n", __strtod_l("2.75", NULL, c));
    printf("single threaded flag is a flag: %s, __fsetlocking %d, pthread_atfork %d\n", __libc_single_threaded <= 1 ? "yes" : "no",
           __fsetlocking(stdout, FSETLOCKING_QUERY), pthread_atfork(NULL, NULL, NULL));

    FILE *lines = fopen("/tmp/glibcisms.txt", "w+");
    fputs("first line\na much longer second line that needs a bigger buffer than the first one did\nlast", lines);
    printf("__fpending before fflush: %zu\n", __fpending(lines));
    rewind(lines);
    char *line = NULL;
    size_t capacity = 0;
    ssize_t got;
    while ((got = getline(&line, &capacity, lines)) != -1)
        printf("getline %zd: %s%s", got, line, line[got - 1] == '\n' ? "" : "\n");
    free(line);
    fclose(lines);
    const char *haystack = "find the x";
    printf("rawmemchr: offset %ld\n", (long)((char *)rawmemchr(haystack, 'x') - haystack));
    unsigned char entropy[300];
    int entropy_ok = getentropy(entropy, 16);
    errno = 0;
    int entropy_too_much = getentropy(entropy, sizeof entropy);
    int entropy_errno = errno;
    unsigned bounded = 0;
    for (int i = 0; i < 1000; i++)
        bounded |= arc4random_uniform(10) >= 10;
    arc4random_buf(entropy, sizeof entropy);
    printf("getentropy %d, 300 bytes %d errno %d, arc4random_uniform in range %s\n", entropy_ok, entropy_too_much,
           entropy_errno, bounded ? "no" : "yes");
    struct rusage usage;
    printf("getrusage: %d\n", getrusage(RUSAGE_SELF, &usage));
    errno = 0;
    pid_t child = fork();
    if (child == 0)
        _exit(0); /* on Linux, where fork works */
    int fork_errno = errno;
    errno = 0;
    pid_t waited = waitpid(-1, NULL, 0);
    printf("fork %d errno %d, waitpid %d errno %d\n", child, fork_errno, waited, errno);
    fflush(stdout);
    error(0, ENOENT, "error() says %d", 5);

    pthread_t thread;
    pthread_create(&thread, NULL, thread_body, NULL);
    pthread_join(thread, NULL);
    printf("thread_local destructor of a thread: %d\n", destroyed);

    fflush(stdout);
    errno = ENOENT;
    perror("perror says");
    openlog("glibcisms", 0, LOG_USER);
    syslog(LOG_INFO, "syslog line %d", 42);
    setlogmask(LOG_UPTO(LOG_ERR));
    syslog(LOG_INFO, "masked, never printed");
    closelog();
    setbuf(stdout, NULL);
    atexit(at_exit);
    static char name[] = "main-object";
    __cxa_thread_atexit_impl(main_thread_object, name, &__dso_handle);
    printf("exiting\n");
    return 0;
}
