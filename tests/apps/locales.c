/* glibc's locale objects: newlocale/uselocale/duplocale/freelocale round trips, and the fields of
 * struct __locale_struct that libstdc++ reads directly (__ctype_b, __ctype_tolower/toupper, __names).
 * One line per check, "ok" or "FAIL"; the last line counts the failures. */
#define _GNU_SOURCE
#include <ctype.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

static int failures;

static void check(const char *what, int ok)
{
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    if (!ok)
        failures++;
}

int main(void)
{
    check("the thread starts on the global locale", uselocale((locale_t)0) == LC_GLOBAL_LOCALE);

    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    check("newlocale(LC_ALL_MASK, \"C\") gives an object", c != (locale_t)0);
    check("__ctype_b classifies 'a' as alpha", (c->__ctype_b['a'] & _ISalpha) != 0 && (c->__ctype_b['a'] & _ISdigit) == 0);
    check("__ctype_b classifies '1' as digit", (c->__ctype_b['1'] & _ISdigit) != 0 && (c->__ctype_b['1'] & _ISalpha) == 0);
    check("__ctype_b classifies ' ' as space", (c->__ctype_b[' '] & _ISspace) != 0 && (c->__ctype_b[' '] & _ISprint) != 0);
    check("__ctype_b agrees with isalpha/isdigit/isspace for every byte", ({
        int same = 1;
        for (int ch = 0; ch < 256; ch++)
            same &= !!(c->__ctype_b[ch] & _ISalpha) == !!isalpha(ch) && !!(c->__ctype_b[ch] & _ISdigit) == !!isdigit(ch)
                 && !!(c->__ctype_b[ch] & _ISspace) == !!isspace(ch);
        same; }));
    check("__ctype_toupper/__ctype_tolower map letters", c->__ctype_toupper['q'] == 'Q' && c->__ctype_tolower['Q'] == 'q'
        && c->__ctype_toupper['5'] == '5');
    check("__ctype_b is the table __ctype_b_loc gives", c->__ctype_b == *__ctype_b_loc());
    check("__names[LC_CTYPE] and __names[LC_NUMERIC] are \"C\"", strcmp(c->__names[LC_CTYPE], "C") == 0 && strcmp(c->__names[LC_NUMERIC], "C") == 0);

    check("nl_langinfo_l(CODESET) of the C locale", strcmp(nl_langinfo_l(CODESET, c), "ANSI_X3.4-1968") == 0
        || strcmp(nl_langinfo_l(CODESET, c), "ASCII") == 0);
    printf("codeset %s\n", nl_langinfo_l(CODESET, c));
    char *end;
    double d = strtod_l("2.5e3xyz", &end, c);
    check("strtod_l", d == 2500.0 && strcmp(end, "xyz") == 0);
    check("strcoll_l orders", strcoll_l("apple", "banana", c) < 0 && strcoll_l("b", "a", c) > 0 && strcoll_l("same", "same", c) == 0);
    check("toupper_l/tolower_l", toupper_l('x', c) == 'X' && tolower_l('X', c) == 'x');
    check("towupper_l", towupper_l(L'k', c) == L'K');
    check("isalpha_l/isdigit_l/toupper_l called, not inlined", (isalpha_l)('a', c) && !(isalpha_l)('1', c) && (isdigit_l)('1', c)
        && (isspace_l)(' ', c) && (toupper_l)('b', c) == 'B');

    locale_t old = uselocale(c);
    check("uselocale(c) returns the global locale it replaces", old == LC_GLOBAL_LOCALE);
    check("uselocale(0) returns what was set", uselocale((locale_t)0) == c);
    check("MB_CUR_MAX in the C locale is 1", MB_CUR_MAX == 1);

    locale_t copy = duplocale(c);
    check("duplocale gives an object", copy != (locale_t)0);
    check("the copy has the tables", copy->__ctype_b == c->__ctype_b && copy->__ctype_toupper['a'] == 'A');
    check("uselocale(copy) returns c", uselocale(copy) == c);
    check("uselocale(0) returns the copy", uselocale((locale_t)0) == copy);
    check("uselocale(LC_GLOBAL_LOCALE) returns the copy", uselocale(LC_GLOBAL_LOCALE) == copy);
    check("uselocale(0) is the global locale again", uselocale((locale_t)0) == LC_GLOBAL_LOCALE);
    freelocale(copy);

    locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", c);
    check("newlocale with a base gives an object", utf8 != (locale_t)0);
    check("its LC_CTYPE is UTF-8", utf8 && strcmp(nl_langinfo_l(CODESET, utf8), "UTF-8") == 0);
    check("its __names[LC_CTYPE] is C.UTF-8", utf8 && strcmp(utf8->__names[LC_CTYPE], "C.UTF-8") == 0);
    check("its __ctype_b still classifies", utf8 && (utf8->__ctype_b['z'] & _ISlower) != 0);

    locale_t global = duplocale(LC_GLOBAL_LOCALE);
    check("duplocale(LC_GLOBAL_LOCALE) gives an object", global != (locale_t)0 && global->__ctype_b['7'] & _ISxdigit);
    freelocale(global);
    freelocale(utf8);

    printf("failures %d\n", failures);
    return failures == 0 ? 0 : 1;
}
