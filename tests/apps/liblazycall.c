/* Calls two functions it does not define and nothing loaded with it defines either (shared objects
   may leave symbols undefined): lazy_mix with six integer arguments and a double, lazy_format with
   a variadic list (al counts the vector registers used). */
extern double lazy_mix(long a, long b, long c, long d, long e, long f, double g);
extern int lazy_format(const char *format, ...);

double lazy_call(int round)
{
    lazy_format("format %d %s %.2f %.3f %c", round, "args", 1.25 * round, 2.5, 'x');
    return lazy_mix(round, 2, 3, 4, 5, 6, 0.5);
}
