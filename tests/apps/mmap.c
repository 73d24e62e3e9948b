/* Memory: anonymous and file-backed mmap, mprotect, munmap, mremap. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
    size_t size = 1 << 20;
    unsigned char *anonymous = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (anonymous == MAP_FAILED) { printf("anonymous mmap failed\n"); return 1; }
    int zero = 1;
    for (size_t i = 0; i < size; i += 4096) zero &= anonymous[i] == 0;
    for (size_t i = 0; i < size; i++) anonymous[i] = (unsigned char)i;
    long sum = 0;
    for (size_t i = 0; i < size; i++) sum += anonymous[i];
    printf("anonymous: zeroed %s, sum %ld\n", zero ? "yes" : "no", sum);
    printf("mprotect read-only: %d\n", mprotect(anonymous, size, PROT_READ));
    unsigned char *bigger = mremap(anonymous, size, 2 * size, MREMAP_MAYMOVE);
    printf("mremap grow: %s, data kept: %s\n", bigger != MAP_FAILED ? "ok" : "failed",
           bigger != MAP_FAILED && bigger[4097] == (unsigned char)4097 && bigger[size - 1] == (unsigned char)(size - 1) ? "yes" : "no");
    printf("munmap: %d\n", munmap(bigger, 2 * size));

    const char *path = argc > 1 ? argv[1] : "/mmap";
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("open %s failed\n", path); return 1; }
    off_t length = lseek(fd, 0, SEEK_END);
    unsigned char *file = mmap(NULL, length, PROT_READ, MAP_PRIVATE, fd, 0);
    if (file == MAP_FAILED) { printf("file mmap failed\n"); return 1; }
    unsigned char header[4];
    pread(fd, header, 4, 0);
    printf("file: %ld bytes, ELF magic %s, same as read: %s\n", (long)length,
           file[0] == 0x7f && file[1] == 'E' ? "yes" : "no", memcmp(header, file, 4) == 0 ? "yes" : "no");
    unsigned char *page2 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 4096);
    unsigned char expected[16];
    pread(fd, expected, 16, 4096);
    int same = page2 != MAP_FAILED && memcmp(page2, expected, 16) == 0;
    if (page2 != MAP_FAILED) page2[0] ^= 0xff; /* private: writable copy */
    printf("offset mapping matches: %s\n", same ? "yes" : "no");
    printf("shared writable file mapping refused: %s\n",
           mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED ? "yes" : "no");
    munmap(file, length);
    close(fd);
    return 0;
}
