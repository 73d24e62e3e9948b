; PVH entry: QEMU's -kernel starts us in 32-bit protected mode, paging off, %ebx = start_info.
; We take the earliest timestamp, build throw-away identity page tables (first 4 GiB, 2 MiB pages),
; enter long mode, enable x87/SSE (RyuJIT uses SSE everywhere), and call the C# entry point.
; The kernel then builds its real page tables (W^X, guard pages) and never returns here.

%include "cpu_setup.inc"

%define XEN_ELFNOTE_PHYS32_ENTRY 18
%define BOOT_STACK_SIZE 65536

extern osv_kernel_main

global pvh_start32
global osv_boot_tsc
global osv_boot_start_info
global osv_boot_stack_guard
global osv_boot_stack_bottom
global osv_boot_stack_top
global __security_cookie

section .note.pvh note alloc noexec nowrite align=4
    dd 4                            ; name size
    dd 4                            ; descriptor size
    dd XEN_ELFNOTE_PHYS32_ENTRY
    db "Xen", 0
    dd pvh_start32

section .boot.text progbits alloc exec nowrite align=16
bits 32
pvh_start32:
    cli
    cld
    mov esi, ebx                    ; keep start_info out of the way of rdtsc
    rdtsc
    mov [osv_boot_tsc], eax
    mov [osv_boot_tsc + 4], edx
    mov [osv_boot_start_info], esi

    ; PML4[0] -> PDPT, PDPT[0..3] -> PD0..PD3, each PD entry a 2 MiB page.
    mov eax, early_pdpt
    or eax, 3
    mov [early_pml4], eax
    mov ecx, 0
.fill_pdpt:
    mov eax, ecx
    shl eax, 12
    add eax, early_pd
    or eax, 3
    mov [early_pdpt + ecx * 8], eax
    inc ecx
    cmp ecx, 4
    jne .fill_pdpt
    mov ecx, 0
.fill_pd:
    mov eax, ecx
    shl eax, 21
    or eax, 0x83                    ; present, writable, 2 MiB
    mov [early_pd + ecx * 8], eax
    mov eax, ecx
    shr eax, 11                     ; high dword of the physical address
    mov [early_pd + ecx * 8 + 4], eax
    inc ecx
    cmp ecx, 2048
    jne .fill_pd

    mov eax, cr4
    or eax, (1 << 5)                ; PAE
    mov cr4, eax
    mov eax, early_pml4
    mov cr3, eax
    mov ecx, 0xC0000080             ; EFER
    rdmsr
    or eax, (1 << 8) | (1 << 11)    ; LME, NXE (the real page tables use NX)
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | (1 << 16) | 1 ; PG, WP, PE
    mov cr0, eax
    lgdt [early_gdt_pointer]
    jmp 0x08:long_mode_entry

bits 64
long_mode_entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov rsp, osv_boot_stack_top
    xor ebp, ebp

    enable_x87_and_sse

    ; Randomise the stack-protector cookie before any C# frame saves a copy of it.
    rdtsc
    shl rdx, 32
    or rax, rdx
    mov rcx, 0x9E3779B97F4A7C15
    imul rax, rcx
    xor [__security_cookie], rax

    mov edi, [osv_boot_start_info]
    mov rsi, [osv_boot_tsc]
    call osv_kernel_main
.halt:
    cli
    hlt
    jmp .halt

section .rodata
align 16
early_gdt:
    dq 0                            ; null
    dq 0x00AF9A000000FFFF           ; 0x08: 64-bit code
    dq 0x00CF92000000FFFF           ; 0x10: data
early_gdt_end:
early_gdt_pointer:
    dw early_gdt_end - early_gdt - 1
    dd early_gdt

section .data
align 8
osv_boot_tsc: dq 0
osv_boot_start_info: dq 0
; The stack-protector cookie ILC's stackalloc checks read; randomised at boot from the TSC.
__security_cookie: dq 0x2B992DDFA232

section .bss
alignb 4096
early_pml4: resb 4096
early_pdpt: resb 4096
early_pd: resb 4096 * 4
; The boot stack sits above a guard page the kernel leaves unmapped in its own page tables.
osv_boot_stack_guard: resb 4096
osv_boot_stack_bottom: resb BOOT_STACK_SIZE
osv_boot_stack_top:
