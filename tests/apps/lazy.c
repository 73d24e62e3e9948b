/* Needs liblazycall.so (liblazycall.c), whose calls to lazy_mix and lazy_format name functions no
   object defines when the program starts: they are bound at their first call, after dlopen brought
   liblazymix.so (liblazymix.c) into the global scope. The libraries print the arguments they got.
   libneedsfry.so names a function no object defines: RTLD_NOW refuses it, RTLD_LAZY loads it. */
#include <dlfcn.h>
#include <stdio.h>

extern double lazy_call(int round);

int main(void)
{
    void *now = dlopen("/lib/libneedsfry.so", RTLD_NOW);
    printf("lazy: RTLD_NOW of libneedsfry: %s\n", now ? "loaded" : dlerror());
    void *lazy = dlopen("/lib/libneedsfry.so", RTLD_LAZY);
    printf("lazy: RTLD_LAZY of libneedsfry: %s\n", lazy ? "loaded" : dlerror());
    printf("lazy: before dlopen\n");
    if (dlopen("/lib/liblazymix.so", RTLD_NOW | RTLD_GLOBAL) == NULL)
    {
        printf("lazy: dlopen failed: %s\n", dlerror());
        return 1;
    }
    printf("lazy: first call %.2f\n", lazy_call(1));
    printf("lazy: second call %.2f\n", lazy_call(2));
    return 0;
}
