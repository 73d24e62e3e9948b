/* Faults in a program's own code end the program with a signal (or run its handler), as on Linux;
 * system calls given bad pointers fail with EFAULT. The first argument picks the case. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile int zero;
static char *volatile expected_address;

static void say(const char *text) { write(1, text, strlen(text)); }

#ifndef FAULTS_ONLY /* the glibc build: the kernel's libc.so.6 has no sigaction or syscall yet */
static void on_fault(int signal, siginfo_t *info, void *context)
{
    (void)context;
    char line[160];
    snprintf(line, sizeof line, "handler: signal %d, code %d, si_addr %s\n", signal, info->si_code,
             info->si_addr == (void *)expected_address ? "is the faulting address" : "is wrong");
    say(line);
    _exit(42);
}

#endif

static int recurse(int depth)
{
    volatile char pad[4096];
    pad[0] = (char)depth;
    return recurse(depth + 1) + pad[0];
}

/* Uses about depth * 4 KiB of stack, quickly: more than the kernel's lazy-stack page pool holds. */
static int descend(int depth)
{
    volatile char pad[4000];
    pad[0] = (char)depth;
    pad[sizeof pad - 1] = 1;
    return depth == 0 ? pad[0] : descend(depth - 1) + pad[sizeof pad - 1];
}

#ifndef FAULTS_ONLY
static long bad_pointer_calls(void)
{
    void *bad = (void *)16;
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    write(fds[1], "x", 1);
    struct { const char *name; long result; int error; } calls[10];
    int count = 0;
#define CALL(name, ...) do { errno = 0; long r = syscall(__VA_ARGS__); calls[count++] = (typeof(calls[0])){ name, r, errno }; } while (0)
    CALL("write", SYS_write, 1, bad, 5);
    CALL("read", SYS_read, fds[0], bad, 1);
    CALL("open", SYS_open, bad, 0);
    CALL("stat", SYS_stat, "/", bad);
    CALL("clock_gettime", SYS_clock_gettime, CLOCK_MONOTONIC, bad);
    CALL("nanosleep", SYS_nanosleep, bad, NULL);
    CALL("pipe", SYS_pipe, bad);
    CALL("rt_sigaction", SYS_rt_sigaction, SIGUSR1, bad, NULL, 8);
    CALL("uname", SYS_uname, bad);
    CALL("getcwd", SYS_getcwd, (void *)0x100000000000ULL, 64);
    int efault = 0;
    for (int i = 0; i < count; i++) {
        if (calls[i].result == -1 && calls[i].error == EFAULT)
            efault++;
        else
            printf("%s: %ld (errno %d)\n", calls[i].name, calls[i].result, calls[i].error);
    }
    printf("bad pointers: %d of %d calls failed with EFAULT\n", efault, count);
    return 0;
}
#endif

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    setvbuf(stdout, NULL, _IONBF, 0);
    if (strcmp(mode, "null") == 0) {
        say("writing through a null pointer\n");
        *(volatile int *)0 = 1;
    } else if (strcmp(mode, "ud2") == 0) {
        say("executing ud2\n");
        __builtin_trap();
    } else if (strcmp(mode, "divide") == 0) {
        say("dividing by zero\n");
        printf("%d\n", 10 / zero);
    } else if (strcmp(mode, "strlen-null") == 0) {
        /* in a glibc program, strlen is the kernel's (musl's leaf code linked into it) */
        const char *volatile nothing = NULL;
        say("calling strlen(NULL)\n");
        printf("%zu\n", strlen(nothing));
    } else if (strcmp(mode, "deep") == 0 && argc > 2) {
        int depth = atoi(argv[2]);
        printf("deep stack: %d frames of 4000 bytes, result %d\n", depth, descend(depth));
        return 0;
    } else if (strcmp(mode, "overflow") == 0) {
        say("recursing without end\n");
        return recurse(0);
#ifndef FAULTS_ONLY
    } else if (strcmp(mode, "handler") == 0 || strcmp(mode, "handler-readonly") == 0) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_sigaction = on_fault;
        action.sa_flags = SA_SIGINFO;
        sigaction(SIGSEGV, &action, NULL);
        if (strcmp(mode, "handler") == 0) {
            expected_address = (char *)8; /* page 0: the only low page left unmapped */
        } else {
            char *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            expected_address = page + 100;
        }
        say("faulting with a SIGSEGV handler\n");
        *expected_address = 1;
        say("the store did not fault\n");
    } else if (strcmp(mode, "efault") == 0) {
        return (int)bad_pointer_calls();
#endif
    } else if (strcmp(mode, "exit") == 0 && argc > 2) {
        return atoi(argv[2]);
    } else {
        say("usage: faults null|ud2|divide|strlen-null|overflow|deep N|handler|handler-readonly|efault|exit N\n");
        return 2;
    }
    say("still running after the fault\n");
    return 0;
}
