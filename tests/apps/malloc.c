/* malloc stress from 4 threads: random sizes, realloc, calloc, free, content checks; a checksum. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 4
#define SLOTS 256
#define ROUNDS 20000

static unsigned long checksums[THREADS];
static int errors[THREADS];

static unsigned next(unsigned *state) { *state = *state * 1103515245u + 12345u; return *state >> 8; }

static void *worker(void *argument)
{
    int id = (int)(intptr_t)argument;
    unsigned state = 1234 + id;
    unsigned char *blocks[SLOTS] = {0};
    size_t sizes[SLOTS] = {0};
    unsigned long sum = 0;
    for (int round = 0; round < ROUNDS; round++) {
        int slot = next(&state) % SLOTS;
        unsigned char *p = blocks[slot];
        if (p) { /* check the fill pattern */
            for (size_t i = 0; i < sizes[slot]; i++)
                if (p[i] != (unsigned char)(slot + i)) { errors[id]++; break; }
            sum += sizes[slot];
        }
        size_t size = next(&state) % (round % 97 == 0 ? 65536 : 512) + 1;
        switch (next(&state) % 4) {
        case 0: free(p); p = malloc(size); break;
        case 1: free(p); p = calloc(size, 1); for (size_t i = 0; i < size; i++) if (p[i]) { errors[id]++; break; } break;
        case 2: { /* realloc keeps the common prefix */
            size_t keep = sizes[slot] < size ? sizes[slot] : size;
            p = realloc(p, size);
            for (size_t i = 0; i < keep; i++) if (p[i] != (unsigned char)(slot + i)) { errors[id]++; break; }
            break; }
        default: free(p); p = NULL; size = 0; break;
        }
        if (size && !p) { errors[id]++; size = 0; }
        if (((uintptr_t)p & 15) != 0) errors[id]++;
        for (size_t i = 0; i < size; i++) p[i] = (unsigned char)(slot + i);
        blocks[slot] = p;
        sizes[slot] = size;
    }
    for (int slot = 0; slot < SLOTS; slot++) free(blocks[slot]);
    void *aligned = NULL;
    if (posix_memalign(&aligned, 4096, 100) != 0 || ((uintptr_t)aligned & 4095) != 0) errors[id]++;
    free(aligned);
    checksums[id] = sum;
    return NULL;
}

int main(void)
{
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&threads[i], NULL, worker, (void *)(intptr_t)i) != 0) { printf("pthread_create failed\n"); return 1; }
    unsigned long total = 0;
    int bad = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        total += checksums[i];
        bad += errors[i];
    }
    char *text = strdup("malloc");
    printf("%s: %d threads x %d rounds, checksum %lu, errors %d\n", text, THREADS, ROUNDS, total, bad);
    free(text);
    return bad == 0 ? 0 : 1;
}
