# Symbols the kernel symbol table must treat specially (GNU as syntax, assembled with -L so
# the '.L' label stays in the symbol table):
#  - a local label that starts with '.' must be left out;
#  - a label at the same address as a sized function must lose to the function.
    .text
    .globl test_kernel_aliased_function
    .type test_kernel_aliased_function, @function
test_kernel_alias_label:
test_kernel_aliased_function:
    nop
.Ltest_kernel_dot_label:
    ret
    .size test_kernel_aliased_function, . - test_kernel_aliased_function
    .section .note.GNU-stack, "", @progbits
