/* pthreads without __thread: 4 threads count under a mutex behind a condition-variable gate; join values. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define THREADS 4
#define INCREMENTS 10000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done = PTHREAD_COND_INITIALIZER;
static int open_gate, finished;
static long counter;

static void *worker(void *argument)
{
    intptr_t id = (intptr_t)argument;
    pthread_mutex_lock(&lock);
    while (!open_gate)
        pthread_cond_wait(&gate, &lock);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < INCREMENTS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock);
    finished++;
    pthread_cond_signal(&done);
    pthread_mutex_unlock(&lock);
    return (void *)(id * 10 + 1);
}

int main(void)
{
    pthread_t threads[THREADS];
    for (intptr_t i = 0; i < THREADS; i++)
        if (pthread_create(&threads[i], NULL, worker, (void *)i) != 0) { printf("pthread_create failed\n"); return 1; }
    pthread_mutex_lock(&lock);
    open_gate = 1;
    pthread_cond_broadcast(&gate);
    while (finished < THREADS)
        pthread_cond_wait(&done, &lock);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < THREADS; i++) {
        void *value;
        pthread_join(threads[i], &value);
        printf("thread %d returned %ld\n", i, (long)(intptr_t)value);
    }
    printf("counter %ld (expected %d)\n", counter, THREADS * INCREMENTS);
    return counter == THREADS * INCREMENTS ? 0 : 1;
}
