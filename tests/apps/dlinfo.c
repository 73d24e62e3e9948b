/* The dynamic linker's introspection: dladdr/dladdr1, dl_iterate_phdr, _dl_find_object, dlinfo.
   Linked with -rdynamic against libgreet.so (tests/apps/libgreet.c, DT_NEEDED). Every check prints
   "ok" or "FAIL" with what it saw; the last line counts the failures. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <string.h>

extern const char *greet(const char *who);
extern int greet_count;
extern __thread int greet_calls;

int main(int argc, char **argv);

static int failures;

static void check(int condition, const char *what)
{
    printf("%s: %s\n", condition ? "ok" : "FAIL", what);
    if (!condition)
        failures++;
}

static const char *text(const char *s) { return s == NULL ? "(null)" : s; }

struct seen {
    int calls, stop_at;
    char names[8][64];
    int phnum[8], header_phnum[8];
    const void *phdr[8], *header_phdr[8];
    ElfW(Addr) addr[8];
    size_t size[8], tls_modid[8];
    void *tls_data[8];
    int covers_main[8];
    unsigned long long adds;
};

static int visit(struct dl_phdr_info *info, size_t size, void *data)
{
    struct seen *seen = data;
    int i = seen->calls++;
    if (i < 8) {
        snprintf(seen->names[i], sizeof seen->names[i], "%s", text(info->dlpi_name));
        seen->phnum[i] = info->dlpi_phnum;
        seen->phdr[i] = info->dlpi_phdr;
        seen->addr[i] = info->dlpi_addr;
        seen->size[i] = size;
        seen->tls_modid[i] = info->dlpi_tls_modid;
        seen->tls_data[i] = info->dlpi_tls_data;
        seen->adds = info->dlpi_adds;
        /* An object whose first PT_LOAD starts at offset 0 has its ELF header at its base. */
        const ElfW(Ehdr) *header = (const ElfW(Ehdr) *)info->dlpi_addr;
        if (info->dlpi_addr != 0 && memcmp(header->e_ident, ELFMAG, SELFMAG) == 0) {
            seen->header_phnum[i] = header->e_phnum;
            seen->header_phdr[i] = (const char *)header + header->e_phoff;
        }
        for (int j = 0; j < info->dlpi_phnum; j++) {
            const ElfW(Phdr) *p = &info->dlpi_phdr[j];
            ElfW(Addr) start = info->dlpi_addr + p->p_vaddr;
            if (p->p_type == PT_LOAD && (ElfW(Addr))main >= start && (ElfW(Addr))main < start + p->p_memsz && (p->p_flags & PF_X))
                seen->covers_main[i] = 1;
        }
    }
    return seen->stop_at == seen->calls ? 7 : 0;
}

int main(int argc, char **argv)
{
    char line[256];
    Dl_info info;
    (void)argc;

    /* dladdr */
    memset(&info, 0, sizeof info);
    int found = dladdr((const char *)main + 1, &info);
    snprintf(line, sizeof line, "dladdr(main+1) = %d fname %s sname %s saddr==main %d", found, text(info.dli_fname), text(info.dli_sname),
        info.dli_saddr == (void *)main);
    check(found != 0 && strcmp(text(info.dli_fname), argv[0]) == 0 && strcmp(text(info.dli_sname), "main") == 0
        && info.dli_saddr == (void *)main && info.dli_fbase != NULL && (char *)info.dli_fbase <= (char *)main, line);
    void *main_base = info.dli_fbase;

    memset(&info, 0, sizeof info);
    found = dladdr((const char *)greet + 2, &info);
    snprintf(line, sizeof line, "dladdr(greet+2) = %d fname %s sname %s saddr==greet %d", found, text(info.dli_fname), text(info.dli_sname),
        info.dli_saddr == (void *)greet);
    check(found != 0 && strcmp(text(info.dli_fname), "/lib/libgreet.so") == 0 && strcmp(text(info.dli_sname), "greet") == 0
        && info.dli_saddr == (void *)greet && info.dli_fbase != main_base, line);
    void *greet_base = info.dli_fbase;

    memset(&info, 0, sizeof info);
    found = dladdr(&greet_count, &info);
    snprintf(line, sizeof line, "dladdr(&greet_count) = %d sname %s", found, text(info.dli_sname));
    check(found != 0 && strcmp(text(info.dli_sname), "greet_count") == 0 && info.dli_saddr == (void *)&greet_count, line);

    memset(&info, 0, sizeof info);
    found = dladdr((void *)printf, &info);
    snprintf(line, sizeof line, "dladdr(printf) = %d fname %s sname %s saddr==printf %d", found, text(info.dli_fname), text(info.dli_sname),
        info.dli_saddr == (void *)printf);
    check(found != 0 && strcmp(text(info.dli_fname), "libc.so.6") == 0 && strcmp(text(info.dli_sname), "printf") == 0
        && info.dli_saddr == (void *)printf, line);

    memset(&info, 0, sizeof info);
    found = dladdr((void *)16, &info);
    snprintf(line, sizeof line, "dladdr(16) = %d", found);
    check(found == 0, line);

    const ElfW(Sym) *symbol = NULL;
    struct link_map *map = NULL;
    found = dladdr1((void *)greet, &info, (void **)&symbol, RTLD_DL_SYMENT);
    snprintf(line, sizeof line, "dladdr1(greet, SYMENT) = %d st_value+base==greet %d", found,
        symbol != NULL && (char *)greet_base + symbol->st_value == (char *)greet);
    check(found != 0 && symbol != NULL && (char *)greet_base + symbol->st_value == (char *)greet && ELF64_ST_TYPE(symbol->st_info) == STT_FUNC, line);
    found = dladdr1((void *)greet, &info, (void **)&map, RTLD_DL_LINKMAP);
    snprintf(line, sizeof line, "dladdr1(greet, LINKMAP) = %d l_name %s", found, map == NULL ? "(none)" : text(map->l_name));
    check(found != 0 && map != NULL && strcmp(text(map->l_name), "/lib/libgreet.so") == 0 && (void *)map->l_addr == greet_base, line);

    /* dl_iterate_phdr */
    static struct seen seen;
    int result = dl_iterate_phdr(visit, &seen);
    snprintf(line, sizeof line, "dl_iterate_phdr = %d, %d objects: '%s' '%s' '%s'", result, seen.calls, seen.names[0], seen.names[1], seen.names[2]);
    check(result == 0 && seen.calls == 3 && strcmp(seen.names[0], "") == 0 && strcmp(seen.names[1], "/lib/libgreet.so") == 0
        && strcmp(seen.names[2], "libc.so.6") == 0, line);
    snprintf(line, sizeof line, "size %zu, executable phnum %d (ELF header %d), phdr at e_phoff %d", seen.size[0], seen.phnum[0], seen.header_phnum[0],
        seen.phdr[0] == seen.header_phdr[0]);
    check(seen.size[0] == sizeof(struct dl_phdr_info) && seen.phnum[0] > 0 && seen.phnum[0] == seen.header_phnum[0] && seen.phdr[0] == seen.header_phdr[0]
        && (void *)seen.addr[0] == main_base, line);
    snprintf(line, sizeof line, "library phnum %d (ELF header %d), phdr at e_phoff %d", seen.phnum[1], seen.header_phnum[1], seen.phdr[1] == seen.header_phdr[1]);
    check(seen.phnum[1] > 0 && seen.phnum[1] == seen.header_phnum[1] && seen.phdr[1] == seen.header_phdr[1] && (void *)seen.addr[1] == greet_base, line);
    snprintf(line, sizeof line, "an executable PT_LOAD covers main: executable %d library %d kernel %d", seen.covers_main[0], seen.covers_main[1], seen.covers_main[2]);
    check(seen.covers_main[0] && !seen.covers_main[1] && !seen.covers_main[2], line);
    snprintf(line, sizeof line, "TLS: library module %zu data==&greet_calls %d; kernel module %zu", seen.tls_modid[1], seen.tls_data[1] == (void *)&greet_calls,
        seen.tls_modid[2]);
    check(seen.tls_modid[1] != 0 && seen.tls_data[1] == (void *)&greet_calls && seen.tls_modid[2] == 0 && seen.tls_data[2] == NULL && seen.adds >= 3, line);
    snprintf(line, sizeof line, "kernel: phnum %d addr %lu", seen.phnum[2], (unsigned long)seen.addr[2]);
    check(seen.phnum[2] > 0 && seen.addr[2] == 0, line);

    static struct seen stopped;
    stopped.stop_at = 2;
    result = dl_iterate_phdr(visit, &stopped);
    snprintf(line, sizeof line, "a callback's non-zero stops the walk: result %d after %d calls", result, stopped.calls);
    check(result == 7 && stopped.calls == 2, line);

    /* _dl_find_object */
    struct dl_find_object object;
    memset(&object, 0, sizeof object);
    result = _dl_find_object((void *)main, &object);
    const unsigned char *eh_frame_hdr = object.dlfo_eh_frame;
    snprintf(line, sizeof line, "_dl_find_object(main) = %d, map covers main %d, eh_frame %s (version %d), link map l_addr==base %d", result,
        (char *)object.dlfo_map_start <= (char *)main && (char *)main < (char *)object.dlfo_map_end, eh_frame_hdr == NULL ? "null" : "set",
        eh_frame_hdr == NULL ? -1 : eh_frame_hdr[0], object.dlfo_link_map != NULL && (void *)object.dlfo_link_map->l_addr == main_base);
    check(result == 0 && (char *)object.dlfo_map_start <= (char *)main && (char *)main < (char *)object.dlfo_map_end && eh_frame_hdr != NULL
        && eh_frame_hdr[0] == 1 && object.dlfo_link_map != NULL && (void *)object.dlfo_link_map->l_addr == main_base
        && object.dlfo_map_start == main_base, line);
    memset(&object, 0, sizeof object);
    result = _dl_find_object((void *)greet, &object);
    snprintf(line, sizeof line, "_dl_find_object(greet) = %d l_name %s", result, object.dlfo_link_map == NULL ? "(none)" : text(object.dlfo_link_map->l_name));
    check(result == 0 && object.dlfo_link_map != NULL && strcmp(text(object.dlfo_link_map->l_name), "/lib/libgreet.so") == 0
        && object.dlfo_eh_frame != NULL && object.dlfo_map_start == greet_base, line);
    result = _dl_find_object((void *)16, &object);
    snprintf(line, sizeof line, "_dl_find_object(16) = %d", result);
    check(result == -1, line);

    /* dlopen handles are link maps */
    void *self = dlopen(NULL, RTLD_NOW);
    map = NULL;
    result = dlinfo(self, RTLD_DI_LINKMAP, &map);
    snprintf(line, sizeof line, "dlinfo(dlopen(NULL), LINKMAP) = %d: '%s' -> '%s' -> '%s' -> %s", result, map ? text(map->l_name) : "?",
        map && map->l_next ? text(map->l_next->l_name) : "?", map && map->l_next && map->l_next->l_next ? text(map->l_next->l_next->l_name) : "?",
        map && map->l_next && map->l_next->l_next && map->l_next->l_next->l_next == NULL ? "end" : "more");
    check(result == 0 && map != NULL && map->l_prev == NULL && strcmp(text(map->l_name), "") == 0 && map->l_next != NULL
        && strcmp(text(map->l_next->l_name), "/lib/libgreet.so") == 0 && map->l_next->l_prev == map && map->l_next->l_next != NULL
        && strcmp(text(map->l_next->l_next->l_name), "libc.so.6") == 0 && map->l_next->l_next->l_next == NULL, line);
    void *libc = dlopen("libc.so.6", RTLD_NOW);
    snprintf(line, sizeof line, "dlopen(libc.so.6) %s, dlsym(printf)==printf %d, dlsym(greet) %s", libc ? "ok" : text(dlerror()),
        libc != NULL && dlsym(libc, "printf") == (void *)printf, libc != NULL && dlsym(libc, "greet") != NULL ? "found" : "null");
    check(libc != NULL && dlsym(libc, "printf") == (void *)printf && dlsym(libc, "greet") == NULL, line);
    size_t module = 0;
    void *library = dlopen("libgreet.so", RTLD_NOW);
    result = library == NULL ? -2 : dlinfo(library, RTLD_DI_TLS_MODID, &module);
    snprintf(line, sizeof line, "dlinfo(libgreet, TLS_MODID) = %d module %zu", result, module);
    check(result == 0 && module == seen.tls_modid[1], line);
    result = dlinfo((void *)&info, RTLD_DI_LINKMAP, &map);
    snprintf(line, sizeof line, "dlinfo(not a handle) = %d", result);
    check(result == -1 && dlerror() != NULL, line);

    printf("dlinfo done, %d failures\n", failures);
    return failures == 0 ? 0 : 1;
}
