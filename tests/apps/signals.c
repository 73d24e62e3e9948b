/* Minimal signals: a handler runs for raise and kill, the mask defers a signal, abort ends the program with 134. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>

static volatile sig_atomic_t seen;
static volatile int last_signal;
static volatile int info_signal;

static void handler(int signal) { seen++; last_signal = signal; }

static void with_info(int signal, siginfo_t *info, void *context)
{
    (void)context;
    info_signal = info->si_signo;
    const char text[] = "handler writes from inside\n";
    write(1, text, sizeof text - 1);
}

int main(int argc, char **argv)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigaction(SIGUSR1, &action, NULL);
    raise(SIGUSR1);
    printf("raise: handler ran %d time(s), signal %d\n", (int)seen, last_signal);
    kill(getpid(), SIGUSR1);
    printf("kill: handler ran %d time(s)\n", (int)seen);

    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    raise(SIGUSR1);
    printf("blocked: handler ran %d time(s)\n", (int)seen);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    printf("pending while blocked: SIGUSR1 %d, SIGUSR2 %d\n", sigismember(&pending, SIGUSR1), sigismember(&pending, SIGUSR2));
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("unblocked: handler ran %d time(s)\n", (int)seen);

    memset(&action, 0, sizeof action);
    action.sa_sigaction = with_info;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &action, NULL);
    raise(SIGUSR2);
    printf("siginfo: si_signo %d\n", info_signal);

    signal(SIGUSR1, SIG_IGN);
    raise(SIGUSR1);
    printf("ignored: handler ran %d time(s)\n", (int)seen);

    /* sigsuspend (glibc: the kernel's C library; musl: rt_sigsuspend): a pending signal runs under the temporary mask. */
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigaction(SIGUSR1, &action, NULL);
    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR1);
    sigset_t none;
    sigemptyset(&none);
    int suspended = sigsuspend(&none);
    int suspend_error = errno;
    sigprocmask(SIG_BLOCK, NULL, &old);
    printf("sigsuspend: returned %d errno %d, handler ran %d time(s), SIGUSR1 blocked again %d\n", suspended, suspend_error, (int)seen,
           sigismember(&old, SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    fflush(stdout);
    if (argc > 1 && strcmp(argv[1], "abort") == 0)
        abort();
    return 0;
}
