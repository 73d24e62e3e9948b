/* Threads through clone/futex: 4 workers count under a mutex, a condition variable hands out work,
   __thread variables are per thread, join returns each worker's value. */
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sched.h>
#include <time.h>

#define WORKERS 4
#define ROUNDS 10000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int started;
static int open_gate;
static long counter;
static __thread long mine = 100;
static __thread char tag[16];

static void *work(void *argument)
{
    long index = (long)(intptr_t)argument;
    snprintf(tag, sizeof tag, "worker%ld", index);
    pthread_mutex_lock(&lock);
    started++;
    pthread_cond_broadcast(&go);
    while (!open_gate)
        pthread_cond_wait(&go, &lock);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
        mine++;
    }
    if (mine != 100 + ROUNDS || tag[6] != '0' + index)
        return (void *)(intptr_t)-1;
    return (void *)(intptr_t)(index * 10 + 1);
}

static void *sleeper(void *argument)
{
    pthread_mutex_lock(&lock);
    for (;;)
        pthread_cond_wait(&go, &lock); /* never signalled again: exit_group must end it */
    return argument;
}

static void *spinner(void *argument)
{
    for (;;)
        sched_yield(); /* a system call now and then: exit_group ends it at the next one */
    return argument;
}

int main(int argc, char **argv)
{
    pthread_t threads[WORKERS];
    if (argc > 1) { /* exit while threads sleep in futex and spin in sched_yield */
        pthread_t a, b;
        pthread_create(&a, NULL, sleeper, NULL);
        pthread_create(&b, NULL, spinner, NULL);
        struct timespec nap = { 0, 10 * 1000 * 1000 };
        nanosleep(&nap, NULL);
        printf("exiting with threads alive\n");
        return 0;
    }
    mine = 7;
    for (long i = 0; i < WORKERS; i++) {
        if (pthread_create(&threads[i], NULL, work, (void *)(intptr_t)i) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    }
    pthread_mutex_lock(&lock);
    while (started < WORKERS)
        pthread_cond_wait(&go, &lock);
    open_gate = 1;
    pthread_cond_broadcast(&go);
    pthread_mutex_unlock(&lock);
    long sum = 0;
    for (int i = 0; i < WORKERS; i++) {
        void *result;
        if (pthread_join(threads[i], &result) != 0) {
            printf("pthread_join failed\n");
            return 1;
        }
        printf("thread %d returned %ld\n", i, (long)(intptr_t)result);
        sum += (long)(intptr_t)result;
    }
    printf("counter %ld (expected %d)\n", counter, WORKERS * ROUNDS);
    printf("main's __thread value %ld\n", mine);
    printf("tids differ: %s\n", syscall(SYS_gettid) != 0 ? "yes" : "no");
    return counter == WORKERS * ROUNDS && sum == 64 && mine == 7 ? 0 : 2;
}
