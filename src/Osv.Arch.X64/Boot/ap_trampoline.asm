; Secondary CPUs start in 16-bit real mode at the page the start-up IPI names. The kernel copies
; this blob to TRAMPOLINE (0x8000) and fills the mailbox page (0x9000); the blob enters long mode
; with the kernel's own page tables and jumps to osv_ap_long_mode in kernel text.
; Every address inside the blob is computed relative to its copy at TRAMPOLINE.

%include "cpu_setup.inc"

%define TRAMPOLINE 0x8000
%define MAILBOX 0x9000
%define MAILBOX_CR3 0
%define MAILBOX_STACK 8
%define MAILBOX_ENTRY 16
%define AT(label) (TRAMPOLINE + (label - osv_ap_trampoline_start))

global osv_ap_trampoline_start
global osv_ap_trampoline_end
global osv_ap_long_mode
extern osv_ap_main

section .rodata
align 16
bits 16
osv_ap_trampoline_start:
    cli
    cld
    xor ax, ax
    mov ds, ax
    lgdt [AT(trampoline_gdt_pointer)]
    mov eax, cr0
    or eax, 1                       ; protected mode
    mov cr0, eax
    jmp dword 0x18:AT(protected_mode)

bits 32
protected_mode:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, cr4
    or eax, (1 << 5)                ; PAE
    mov cr4, eax
    mov eax, [MAILBOX + MAILBOX_CR3]
    mov cr3, eax
    mov ecx, 0xC0000080             ; EFER: long mode, no-execute
    rdmsr
    or eax, (1 << 8) | (1 << 11)
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | (1 << 16)   ; paging, write protect
    mov cr0, eax
    jmp 0x08:AT(long_mode)

bits 64
long_mode:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov rsp, [MAILBOX + MAILBOX_STACK]
    mov rax, [MAILBOX + MAILBOX_ENTRY]
    jmp rax

align 16
trampoline_gdt:
    dq 0
    dq 0x00AF9A000000FFFF           ; 0x08: 64-bit code
    dq 0x00CF92000000FFFF           ; 0x10: data
    dq 0x00CF9A000000FFFF           ; 0x18: 32-bit code
trampoline_gdt_pointer:
    dw trampoline_gdt_pointer - trampoline_gdt - 1
    dd AT(trampoline_gdt)
osv_ap_trampoline_end:

section .text
; Kernel-side continuation: the same CPU set-up as the boot CPU, then C#.
osv_ap_long_mode:
    enable_x87_and_sse
    xor ebp, ebp
    mov rdi, MAILBOX
    call osv_ap_main
.halt:
    cli
    hlt
    jmp .halt
