/* Signals and threads: a signal sent to one thread (pthread_kill) waits for that thread's mask and
 * runs its handler on that thread; raise in a thread stays there; a fault handler that makes the page
 * writable and returns resumes the faulting store with every register and the SSE state as they
 * were, on the main thread and on a second one; sigsuspend sleeps until another thread's signal.
 * Modes: threads | fault | suspend. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static volatile int handled;
static volatile pid_t handler_tid;
static pthread_t handler_self;
static volatile int handler_signal;

static void record(int signal)
{
    handled++;
    handler_tid = gettid();
    handler_self = pthread_self();
    handler_signal = signal;
}

static void wait_for(volatile int *flag)
{
    while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE))
        sched_yield();
}

static void set_flag(volatile int *flag) { __atomic_store_n(flag, 1, __ATOMIC_RELEASE); }

static int blocked_in_this_thread(int signal)
{
    sigset_t mask;
    pthread_sigmask(SIG_BLOCK, NULL, &mask);
    return sigismember(&mask, signal);
}

static int pending_in_this_thread(int signal)
{
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    return sigismember(&pending, signal);
}

/* threads */

static volatile int worker_ready, signal_sent;
static volatile pid_t worker_tid;

static void *worker(void *unused)
{
    (void)unused;
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL);
    worker_tid = gettid();
    set_flag(&worker_ready);
    wait_for(&signal_sent);
    printf("worker while blocked: handler ran %d time(s), SIGUSR1 pending here %d\n", (int)handled, pending_in_this_thread(SIGUSR1));
    pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
    printf("worker after unblocking: handler ran %d time(s), on this thread %s, pthread_self %s\n", (int)handled,
           handler_tid == gettid() ? "yes" : "no", pthread_equal(handler_self, pthread_self()) ? "matches" : "differs");
    raise(SIGUSR2);
    printf("worker raise: handler ran %d time(s), signal %d, on this thread %s\n", (int)handled, handler_signal,
           handler_tid == gettid() ? "yes" : "no");
    return NULL;
}

static int threads(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = record;
    sigaction(SIGUSR1, &action, NULL);
    sigaction(SIGUSR2, &action, NULL);
    pthread_t thread;
    pthread_create(&thread, NULL, worker, NULL);
    wait_for(&worker_ready);
    printf("main: SIGUSR1 blocked here %d (the worker's mask is its own)\n", blocked_in_this_thread(SIGUSR1));
    int sent = pthread_kill(thread, SIGUSR1);
    printf("main: pthread_kill returned %d, handler ran %d time(s), SIGUSR1 pending here %d\n", sent, (int)handled,
           pending_in_this_thread(SIGUSR1));
    set_flag(&signal_sent);
    pthread_join(thread, NULL);
    printf("main: the worker was thread %s, the handler never ran on main %s\n", worker_tid != gettid() ? "apart" : "the same",
           handler_tid != gettid() ? "yes" : "no");
    printf("pthread_kill after join: %s\n", pthread_kill(pthread_self(), 0) == 0 ? "self ok" : "self failed");
    return 0;
}

/* fault */

static char *page;
static volatile int fault_handled;
static volatile pid_t fault_tid;
static volatile unsigned long seen_rcx, seen_r11;
static volatile double seen_xmm7;

static void fix_page(int signal, siginfo_t *info, void *context)
{
    (void)signal;
    ucontext_t *uc = context;
    fault_handled++;
    fault_tid = gettid();
    seen_rcx = uc->uc_mcontext.gregs[REG_RCX];
    seen_r11 = uc->uc_mcontext.gregs[REG_R11];
    double xmm7 = 0;
    if (uc->uc_mcontext.fpregs != NULL)
        memcpy(&xmm7, &uc->uc_mcontext.fpregs->_xmm[7], sizeof xmm7);
    seen_xmm7 = xmm7;
    mprotect((void *)((unsigned long)info->si_addr & ~4095UL), 4096, PROT_READ | PROT_WRITE);
    /* Whatever the handler does to these registers must not reach the interrupted code. */
    __asm__ volatile("xorps %%xmm7, %%xmm7\n\tmovq $-1, %%rcx\n\tmovq $-1, %%r11" ::: "xmm7", "rcx", "r11");
}

static void fault_once(const char *who)
{
    mprotect(page, 4096, PROT_READ);
    double in = 1.5, out = 0;
    unsigned long rcx = 0, r11 = 0;
    __asm__ volatile(
        "movq $0x1122334455667788, %%rcx\n\t"
        "movq $0x0102030405060708, %%r11\n\t"
        "movsd %[in], %%xmm7\n\t"
        "mulsd %%xmm7, %%xmm7\n\t" /* 2.25 */
        "movl $42, (%[page])\n\t"  /* faults: the page is read-only */
        "addsd %%xmm7, %%xmm7\n\t" /* 4.5 */
        "movsd %%xmm7, %[out]\n\t"
        "movq %%rcx, %[rcx]\n\t"
        "movq %%r11, %[r11]\n\t"
        : [out] "=m"(out), [rcx] "=m"(rcx), [r11] "=m"(r11)
        : [page] "r"(page + 64), [in] "m"(in)
        : "rcx", "r11", "xmm7", "memory");
    printf("%s fault: handler ran %d time(s) on the faulting thread %s, store %d, xmm7 %.2f, rcx %s, r11 %s\n", who,
           (int)fault_handled, fault_tid == gettid() ? "yes" : "no", *(int *)(page + 64), out,
           rcx == 0x1122334455667788UL ? "kept" : "lost", r11 == 0x0102030405060708UL ? "kept" : "lost");
    printf("%s frame: rcx %s, r11 %s, fpregs xmm7 %.2f\n", who, seen_rcx == 0x1122334455667788UL ? "saved" : "missing",
           seen_r11 == 0x0102030405060708UL ? "saved" : "missing", seen_xmm7);
}

static void *faulting_worker(void *unused)
{
    (void)unused;
    fault_once("worker");
    return NULL;
}

static int fault(void)
{
    page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = fix_page;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &action, NULL);
    fault_once("main");
    pthread_t thread;
    pthread_create(&thread, NULL, faulting_worker, NULL);
    pthread_join(thread, NULL);
    return 0;
}

/* suspend */

static volatile int suspend_sent;
static pthread_t main_thread;

static void *waker(void *unused)
{
    (void)unused;
    struct timespec pause = {0, 30 * 1000 * 1000};
    nanosleep(&pause, NULL);
    set_flag(&suspend_sent);
    pthread_kill(main_thread, SIGUSR1);
    return NULL;
}

static int suspend(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = record;
    sigaction(SIGUSR1, &action, NULL);
    sigset_t usr1, none;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    main_thread = pthread_self();
    pthread_t thread;
    pthread_create(&thread, NULL, waker, NULL);
    int result = sigsuspend(&none);
    int error = errno;
    printf("sigsuspend woken by another thread: returned %d errno %d, after the send %s, handler ran %d time(s) on main %s, SIGUSR1 blocked again %d\n",
           result, error, suspend_sent ? "yes" : "no", (int)handled, handler_tid == gettid() ? "yes" : "no", blocked_in_this_thread(SIGUSR1));
    pthread_join(thread, NULL);
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "threads";
    int status;
    if (strcmp(mode, "threads") == 0)
        status = threads();
    else if (strcmp(mode, "fault") == 0)
        status = fault();
    else if (strcmp(mode, "suspend") == 0)
        status = suspend();
    else {
        printf("usage: sigthreads threads|fault|suspend\n");
        status = 2;
    }
    fflush(stdout);
    return status;
}
