; The baseline for bench/boot-time.py: the smallest PVH kernel QEMU can boot. It exits through
; isa-debug-exit at once, so its wall time is QEMU's own start-up and tear-down cost.
section .note.pvh note alloc noexec nowrite align=4
    dd 4, 4, 18
    db "Xen", 0
    dd start
section .text
bits 32
global start
start:
    mov dx, 0xf4
    xor eax, eax
    out dx, eax
.halt:
    hlt
    jmp .halt
