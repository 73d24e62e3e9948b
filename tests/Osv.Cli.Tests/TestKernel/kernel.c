/* Stands in for ILC's kernel.o: a few 64-bit functions (FUNC symbols with sizes),
   global and static, so the symbol table has something real to describe. */

static int square(int value) { return value * value; }

int test_kernel_sum_of_squares(int a, int b) { return square(a) + square(b); }

__attribute__((weak)) int test_kernel_weak_hook(void) { return 42; }

int test_kernel_counter;

void test_kernel_increment(void) { test_kernel_counter += test_kernel_weak_hook(); }
