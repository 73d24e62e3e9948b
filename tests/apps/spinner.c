/* exit with threads that never make a system call: they spin in the program's own code until the
 * kernel stops them. Usage: spinner threads status */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile unsigned long spins[8];

static void *spin(void *argument)
{
    volatile unsigned long *counter = argument;
    for (;;)
        (*counter)++;
    return NULL;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    if (threads > 8)
        threads = 8;
    for (int i = 0; i < threads; i++) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, spin, (void *)&spins[i]) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    }
    struct timespec pause = { 0, 100 * 1000000 };
    for (int i = 0; i < threads; i++)
        while (spins[i] == 0)
            nanosleep(&pause, NULL);
    printf("%d threads spinning; exiting\n", threads);
    fflush(stdout);
    exit(argc > 2 ? atoi(argv[2]) : 0);
}
