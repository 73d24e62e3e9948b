/* A shared library loaded from the disk (DT_NEEDED by withlib.c): a constructor, a destructor,
   a function, data and a thread-local variable of its own. */
#include <stdio.h>

__thread int greet_calls = 40;
int greet_count = 0;

__attribute__((constructor)) static void greet_constructor(void)
{
    printf("libgreet: constructor before main\n");
}

__attribute__((destructor)) static void greet_destructor(void)
{
    printf("libgreet: destructor after main (%d greetings)\n", greet_count);
}

const char *greet(const char *who)
{
    static char line[128];
    greet_count++;
    greet_calls++;
    snprintf(line, sizeof line, "Hello, %s, from libgreet (call %d)", who, greet_calls);
    return line;
}
