/* Loaded by dlopen (lazy.c): defines what liblazycall.so calls, and prints the arguments it gets. */
#include <stdarg.h>
#include <stdio.h>

double lazy_mix(long a, long b, long c, long d, long e, long f, double g)
{
    printf("lazy_mix(%ld, %ld, %ld, %ld, %ld, %ld, %.2f)\n", a, b, c, d, e, f, g);
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + g;
}

int lazy_format(const char *format, ...)
{
    char text[128];
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(text, sizeof text, format, arguments);
    va_end(arguments);
    printf("lazy_format: %s\n", text);
    return length;
}
