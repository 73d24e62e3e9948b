; RDRAND, for getrandom(2): the caller checks CPUID.01H:ECX.RDRAND[bit 30] first.

global osv_rdrand64

section .text
bits 64

; int osv_rdrand64(ulong* value): 1 with a random value stored, 0 when the generator had none (retry later)
osv_rdrand64:
    mov ecx, 10
.retry:
    rdrand rax
    jc .ok
    dec ecx
    jnz .retry
    xor eax, eax
    ret
.ok:
    mov [rdi], rax
    mov eax, 1
    ret
