/* A glibc PIE that needs libgreet.so (tests/apps/libgreet.c), found through its RUNPATH (/lib). */
#include <stdio.h>

extern const char *greet(const char *who);
extern int greet_count;

int main(void)
{
    printf("main: start\n");
    printf("%s\n", greet("world"));
    printf("%s\n", greet("again"));
    printf("main: greet_count %d\n", greet_count);
    return 0;
}
