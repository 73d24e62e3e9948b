/* __thread variables in a glibc PIE: initialized (.tdata) and zeroed (.tbss) values, local-exec in the
   executable, a per-thread copy in main and in 4 pthreads (one per CPU when there are 4), an address
   taken through a pointer, and an extern __thread (initial-exec / general-dynamic under -fPIC). */
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define WORKERS 4

__thread long counter = 1000;                 /* .tdata */
__thread int zeroed[64];                      /* .tbss */
__thread char label[24] = "initial label";    /* .tdata */
static __thread double scale = 2.5;           /* .tdata, 8-aligned */
__attribute__((aligned(64))) __thread char wide[64]; /* .tbss, 64-aligned */

static pthread_barrier_t barrier;

static int check_initial(const char *who)
{
    int bad = 0;
    if (counter != 1000) { printf("%s: counter starts at %ld\n", who, counter); bad = 1; }
    for (int i = 0; i < 64; i++)
        if (zeroed[i] != 0) { printf("%s: zeroed[%d] = %d\n", who, i, zeroed[i]); bad = 1; break; }
    if (strcmp(label, "initial label") != 0) { printf("%s: label starts as '%s'\n", who, label); bad = 1; }
    if (scale != 2.5) { printf("%s: scale starts at %g\n", who, scale); bad = 1; }
    if (((uintptr_t)wide & 63) != 0) { printf("%s: wide misaligned %p\n", who, (void *)wide); bad = 1; }
    return bad;
}

static void *work(void *argument)
{
    long index = (long)(intptr_t)argument;
    char who[16];
    snprintf(who, sizeof who, "worker%ld", index);
    long bad = check_initial(who);
    long *mine = &counter;
    for (int i = 0; i < 100000; i++)
        (*mine)++;
    zeroed[5] = (int)index;
    snprintf(label, sizeof label, "label of %ld", index);
    scale = (double)index;
    wide[63] = (char)index;
    pthread_barrier_wait(&barrier); /* everyone has written before anyone checks */
    if (counter != 1000 + 100000 || zeroed[5] != index || scale != (double)index || wide[63] != (char)index) bad = 1;
    char expected[24];
    snprintf(expected, sizeof expected, "label of %ld", index);
    if (strcmp(label, expected) != 0) bad = 1;
    printf("%s: counter %ld, label '%s', %s\n", who, counter, label, bad ? "WRONG" : "ok");
    return (void *)bad;
}

int main(void)
{
    int bad = check_initial("main");
    counter = 7;
    strcpy(label, "main's label");
    pthread_barrier_init(&barrier, NULL, WORKERS);
    pthread_t threads[WORKERS];
    for (long i = 0; i < WORKERS; i++)
        pthread_create(&threads[i], NULL, work, (void *)(intptr_t)i);
    for (int i = 0; i < WORKERS; i++)
    {
        void *result;
        pthread_join(threads[i], &result);
        bad |= result != NULL;
    }
    if (counter != 7 || strcmp(label, "main's label") != 0 || zeroed[5] != 0) bad = 1;
    printf("main: counter %ld, label '%s'\n", counter, label);
    printf("tls %s\n", bad ? "FAILED" : "passed");
    return bad;
}
