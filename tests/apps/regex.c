/* POSIX regular expressions with glibc's regex_t and regmatch_t (int offsets, re_nsub at offset 48):
   groups, REG_ICASE, REG_NOSUB, REG_NEWLINE, REG_NOTBOL, glibc's REG_STARTEND, no match, and a bad
   pattern's regerror text. The same lines print on Linux. */
#include <regex.h>
#include <stdio.h>
#include <string.h>

static void show(const char *label, const char *text, regmatch_t *m, size_t n)
{
    printf("%s:", label);
    for (size_t i = 0; i < n; i++) {
        if (m[i].rm_so < 0)
            printf(" [-]");
        else
            printf(" [%d,%d %.*s]", (int)m[i].rm_so, (int)m[i].rm_eo, (int)(m[i].rm_eo - m[i].rm_so), text + m[i].rm_so);
    }
    printf("\n");
}

int main(void)
{
    regex_t re;
    regmatch_t m[4];
    const char *text = "date 2026-11-27 and 1999-01-02";
    int status = regcomp(&re, "([0-9]{4})-([0-9]{2})-([0-9]{2})", REG_EXTENDED);
    printf("regcomp %d, re_nsub %zu\n", status, re.re_nsub);
    status = regexec(&re, text, 4, m, 0);
    show("first date", text, m, 4);
    m[0].rm_so = 16;
    m[0].rm_eo = (int)strlen(text);
    status = regexec(&re, text, 4, m, REG_STARTEND);
    printf("REG_STARTEND %d\n", status);
    show("second date", text, m, 4);
    printf("no match: %d\n", regexec(&re, "no dates here", 4, m, 0) == REG_NOMATCH);
    regfree(&re);

    regcomp(&re, "^hello (w(or)?ld)?", REG_EXTENDED | REG_ICASE);
    regexec(&re, "HELLO there", 3, m, 0);
    show("icase, unmatched group", "HELLO there", m, 3);
    printf("REG_NOTBOL: %d\n", regexec(&re, "hello world", 0, NULL, REG_NOTBOL) == REG_NOMATCH);
    regfree(&re);

    regcomp(&re, "^b", REG_NEWLINE | REG_NOSUB);
    printf("REG_NEWLINE|REG_NOSUB: %d\n", regexec(&re, "a\nb", 0, NULL, 0));
    regfree(&re);

    char message[64];
    status = regcomp(&re, "a(b", REG_EXTENDED);
    regerror(status, &re, message, sizeof message);
    printf("bad pattern: %d %s\n", status, message);
    return 0;
}
