/* setjmp and longjmp as interpreters use them: jumps out of nested calls with locals kept, longjmp
   with 0, sigsetjmp's saved mask (and _setjmp's lack of one), siglongjmp out of a signal handler,
   also from the alternate signal stack, and Lua-style nested protected calls. With "stale", a jump
   into a frame that has returned: a hardened build's __longjmp_chk ends the program. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static jmp_buf outer;
static volatile int depth_reached;

static void __attribute__((noinline)) dive(int depth)
{
    volatile char frame[64];
    frame[0] = (char)depth;
    if (depth < 5)
        dive(depth + 1);
    else
    {
        depth_reached = depth;
        longjmp(outer, 42);
    }
    printf("dive %d returned: not expected\n", frame[0]);
}

static int blocked(int signal)
{
    sigset_t current;
    sigprocmask(SIG_BLOCK, NULL, &current);
    return sigismember(&current, signal);
}

static sigjmp_buf from_handler;
static volatile int handler_runs;

static void jump_out(int signal)
{
    handler_runs++;
    siglongjmp(from_handler, signal);
}

/* Lua's error handling: a chain of catchers, each a jmp_buf set by _setjmp, errors thrown to the innermost. */
struct catcher
{
    jmp_buf buffer;
    struct catcher *previous;
};

static struct catcher *innermost;

static void __attribute__((noinline)) throw_error(int code) { longjmp(innermost->buffer, code); }

static int protected_call(void (*function)(int), int argument)
{
    struct catcher catcher;
    volatile int status = 0;
    catcher.previous = innermost;
    innermost = &catcher;
    int code = _setjmp(catcher.buffer);
    if (code == 0)
        function(argument);
    else
        status = code;
    innermost = catcher.previous;
    return status;
}

static void __attribute__((noinline)) fails(int code) { throw_error(code); }

static volatile int inner_status;

static void __attribute__((noinline)) catches_then_fails(int code)
{
    inner_status = protected_call(fails, code + 1);
    throw_error(100 + inner_status);
}

static void __attribute__((noinline)) succeeds(int code) { (void)code; }

static jmp_buf stale;

static void __attribute__((noinline)) set_stale(void)
{
    volatile char frame[256];
    frame[0] = 1;
    if (setjmp(stale) != 0)
        printf("resumed a frame that had returned\n");
    frame[1] = frame[0];
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "stale") == 0)
    {
        set_stale();
        printf("jumping into a returned frame\n");
        fflush(stdout);
        longjmp(stale, 1);
    }

    /* Out of nested calls: the value arrives, a local changed after setjmp keeps its new value
       (volatile), one never changed keeps its (callee-saved registers restored). */
    volatile int changed = 7;
    int kept = argc * 3 + 1;
    int value = setjmp(outer);
    if (value == 0)
    {
        changed = 8;
        dive(0);
    }
    printf("nested: setjmp returned %d, depth %d, changed %d, kept %d\n", value, depth_reached, changed, kept);

    jmp_buf again;
    volatile int attempts = 0;
    value = setjmp(again);
    attempts++;
    if (attempts == 1)
        longjmp(again, 0);
    printf("longjmp 0: setjmp returned %d after %d attempts\n", value, attempts);

    /* sigsetjmp(…, 1) brings back the mask of its call; sigsetjmp(…, 0) leaves the current one. */
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigjmp_buf masks;
    if (sigsetjmp(masks, 1) == 0)
    {
        sigprocmask(SIG_BLOCK, &usr1, NULL);
        siglongjmp(masks, 1);
    }
    printf("sigsetjmp 1: SIGUSR1 blocked after the jump %d\n", blocked(SIGUSR1));
    if (sigsetjmp(masks, 0) == 0)
    {
        sigprocmask(SIG_BLOCK, &usr1, NULL);
        siglongjmp(masks, 1);
    }
    printf("sigsetjmp 0: SIGUSR1 blocked after the jump %d\n", blocked(SIGUSR1));
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);

    /* Out of a handler: the handler's mask (SIGUSR2 blocked) goes with the jump. */
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = jump_out;
    sigaction(SIGUSR2, &action, NULL);
    for (volatile int round = 1; round <= 2; round++)
    {
        value = sigsetjmp(from_handler, 1);
        if (value == 0)
        {
            raise(SIGUSR2);
            printf("raise returned: not expected\n");
        }
        printf("handler jump %d: sigsetjmp returned %d, handler runs %d, SIGUSR2 blocked %d\n", (int)round, value, (int)handler_runs,
               blocked(SIGUSR2));
    }

    /* The same from the alternate signal stack, wherever it lies relative to this one. */
    static char alternate[65536];
    stack_t stack;
    memset(&stack, 0, sizeof stack);
    stack.ss_sp = alternate;
    stack.ss_size = sizeof alternate;
    sigaltstack(&stack, NULL);
    action.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &action, NULL);
    value = sigsetjmp(from_handler, 1);
    if (value == 0)
    {
        raise(SIGUSR1);
        printf("raise returned: not expected\n");
    }
    printf("alternate stack jump: sigsetjmp returned %d, handler runs %d\n", value, (int)handler_runs);

    innermost = NULL;
    int outer_status = protected_call(catches_then_fails, 5);
    int quiet_status = protected_call(succeeds, 0);
    printf("protected calls: inner %d, outer %d, quiet %d, chain unwound %s\n", (int)inner_status, outer_status, quiet_status,
           innermost == NULL ? "yes" : "no");
    return 0;
}
