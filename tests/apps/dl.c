/* dlopen/dlsym/dlclose/dlerror: tests/apps/libgreet.c opened at run time (nothing links it). */
#include <dlfcn.h>
#include <stdio.h>

int main(void)
{
    printf("main: before dlopen\n");
    void *library = dlopen("/lib/libgreet.so", RTLD_NOW);
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
