/* Calls strfry, a glibc function the kernel does not export: the kernel must refuse the program by
   naming the symbol and its version, not crash. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

int main(void)
{
    char word[] = "osv";
    printf("unreachable: %s\n", strfry(word));
    return 0;
}
