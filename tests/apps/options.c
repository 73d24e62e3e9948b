/* getopt and getopt_long as glibc parses them: options after operands (argv permuted), clustered
   short options, required and optional arguments, "--", unique prefixes of long options, flags,
   the messages for bad options, ':' mode, and a restart with optind = 0. Run as
   `options -v input1 -o out --level=3 --verb input2 -x --count 7 -- -notanoption`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

static int verbose_flag;

int main(int argc, char **argv)
{
    static struct option options[] = {
        {"verbose", no_argument, &verbose_flag, 1},
        {"level", required_argument, NULL, 'l'},
        {"count", required_argument, NULL, 'c'},
        {"color", optional_argument, NULL, 'C'},
        {NULL, 0, NULL, 0},
    };
    int c, index;
    while ((c = getopt_long(argc, argv, "vo:x", options, &index)) != -1) {
        if (c == 0)
            printf("long flag %s set, verbose_flag %d\n", options[index].name, verbose_flag);
        else if (c == '?')
            printf("bad option, optopt %d\n", optopt);
        else
            printf("option %c%s%s\n", c, optarg ? " = " : "", optarg ? optarg : "");
    }
    printf("operands from %d:", optind);
    for (int i = optind; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");

    char *again[] = {"options", "-ab", "value", "-c", NULL};
    optind = 0;
    opterr = 1;
    while ((c = getopt(4, again, ":ab:c:")) != -1)
        printf("second scan: %c optarg %s optopt %c\n", c, optarg ? optarg : "(null)", optopt);
    char *posix[] = {"options", "first", "-a", NULL};
    optind = 0;
    c = getopt(3, posix, "+a");
    printf("'+' stops at the first operand: %d, optind %d\n", c, optind);
    return 0;
}
