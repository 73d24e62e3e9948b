/* For `&` on the command line: prints "<name> <i>" <count> times, <delay> ms apart, while checking that
 * memory from its own break and from mmap keeps what it wrote (programs running at once must not share
 * a break or lose mappings), then exits with <status>. Usage: concurrent name count delay-ms status */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int intact(const unsigned char *bytes, size_t length, unsigned char value)
{
    for (size_t i = 0; i < length; i++)
        if (bytes[i] != value)
            return 0;
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        printf("usage: concurrent name count delay-ms status\n");
        return 2;
    }
    const char *name = argv[1];
    int count = atoi(argv[2]);
    long delay = atol(argv[3]);
    unsigned char mark = (unsigned char)name[0];
    setvbuf(stdout, NULL, _IOLBF, 0);

    enum { BreakBytes = 64 * 1024, MapBytes = 256 * 1024 };
    /* brk itself: musl's sbrk refuses to move the break */
    unsigned long start = (unsigned long)syscall(SYS_brk, 0);
    unsigned char *from_break = (unsigned long)syscall(SYS_brk, start + BreakBytes) == start + BreakBytes ? (unsigned char *)start : (void *)-1;
    unsigned char *mapped = mmap(NULL, MapBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (from_break == (void *)-1 || mapped == MAP_FAILED) {
        printf("%s: no memory\n", name);
        return 3;
    }
    memset(from_break, mark, BreakBytes);
    memset(mapped, mark, MapBytes);

    int good = 1;
    for (int i = 0; i < count; i++) {
        printf("%s %d\n", name, i);
        struct timespec pause = { delay / 1000, (delay % 1000) * 1000000 };
        nanosleep(&pause, NULL);
        good &= intact(from_break, BreakBytes, mark) && intact(mapped, MapBytes, mark);
    }
    printf("%s: memory %s\n", name, good ? "intact" : "CHANGED");
    return atoi(argv[4]);
}
