/* The default application and the first test program: formatted output of integers and doubles,
   argv, and an exit status chosen by the arguments. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    printf("Hello from %s: %d argument%s\n", argv[0], argc - 1, argc == 2 ? "" : "s");
    for (int i = 1; i < argc; i++)
        printf("argv[%d] = %s\n", i, argv[i]);
    printf("integers %d %ld %u, doubles %.3f %g %e\n", -42, 1234567890123L, 4000000000u, 3.14159265, 0.5, 6.02e23);
    const char *status = getenv("EXIT_STATUS");
    return status ? atoi(status) : 0;
}
