/* References strfry, a glibc function the kernel does not export, and calls it only when given an
   argument. Built as a plain PIE (lazy binding) it runs without the call and ends with glibc's
   `symbol lookup error` and 127 at the call; built with -z now the kernel refuses it at load by
   naming the symbol and its version. Never a crash. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    char word[] = "osv";
    printf("missing: %d arguments\n", argc - 1);
    if (argc > 1)
        printf("unreachable: %s\n", strfry(word));
    printf("missing: strfry never called\n");
    return 3;
}
