/* dlopen/dlsym/dlclose/dlerror: tests/apps/libgreet.c opened at run time (nothing links it), while two
   threads walk the loaded objects with dl_iterate_phdr. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

static volatile int stop_walking;
static volatile long walks;
static int fewest = 1000, most, damaged;

static int count_object(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (*(int *)data)++;
    if (info->dlpi_phnum == 0 || info->dlpi_phdr == NULL || info->dlpi_name == NULL)
        __atomic_add_fetch(&damaged, 1, __ATOMIC_RELAXED);
    return 0;
}

static void *walk(void *unused)
{
    (void)unused;
    while (!stop_walking) {
        int objects = 0;
        dl_iterate_phdr(count_object, &objects);
        int seen = __atomic_load_n(&fewest, __ATOMIC_RELAXED);
        while (objects < seen && !__atomic_compare_exchange_n(&fewest, &seen, objects, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            ;
        seen = __atomic_load_n(&most, __ATOMIC_RELAXED);
        while (objects > seen && !__atomic_compare_exchange_n(&most, &seen, objects, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            ;
        __atomic_add_fetch(&walks, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

int main(void)
{
    pthread_t walkers[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&walkers[i], NULL, walk, NULL);
    while (walks < 4) /* both walkers saw the objects before dlopen */
        sched_yield();
    printf("main: before dlopen\n");
    void *library = dlopen("/lib/libgreet.so", RTLD_NOW);
    long walked = walks;
    while (walks < walked + 4) /* and after it */
        sched_yield();
    stop_walking = 1;
    for (int i = 0; i < 2; i++)
        pthread_join(walkers[i], NULL);
    printf("dl_iterate_phdr beside dlopen: objects %d..%d, %d damaged\n", fewest, most, damaged);
    if (library == NULL) {
        printf("dlopen failed: %s\n", dlerror());
        return 1;
    }
    const char *(*greet)(const char *) = (const char *(*)(const char *))dlsym(library, "greet");
    int *count = (int *)dlsym(library, "greet_count");
    if (greet == NULL || count == NULL) {
        printf("dlsym failed: %s\n", dlerror());
        return 1;
    }
    printf("%s\n", greet("dlopen"));
    printf("main: greet_count %d\n", *count);
    if (dlsym(library, "no_such_function") == NULL)
        printf("dlsym missing: %s\n", dlerror());
    printf("dlerror again: %s\n", dlerror() == NULL ? "null" : "not null");
    if (dlopen("/lib/libmissing.so", RTLD_NOW) == NULL)
        printf("dlopen missing: %s\n", dlerror());
    printf("dlclose: %d\n", dlclose(library));
    return 0;
}
