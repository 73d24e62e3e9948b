/* A library whose function calls glibc's strfry, which the kernel does not export: dlopen with
   RTLD_NOW must refuse it, RTLD_LAZY loads it (the call would fail, and is never made). */
#define _GNU_SOURCE
#include <string.h>

char *needs_fry(char *text) { return strfry(text); }
