; A thread made by clone(2) starts here: the parent's registers at its `syscall` (a ThreadStartRegisters
; block on the new thread's own kernel stack), rax = 0 (clone's result in the child), rsp = the stack the
; parent passed, rcx/r11 = the return address and flags as `syscall` leaves them, then the instruction
; after the parent's `syscall`. The thread pointer (%fs) is set by the caller.

global osv_enter_clone_child

section .text
bits 64

; Offsets in Osv.Arch.X64.ThreadStartRegisters
%define R_RBX 0
%define R_RBP 8
%define R_R12 16
%define R_R13 24
%define R_R14 32
%define R_R15 40
%define R_RDI 48
%define R_RSI 56
%define R_RDX 64
%define R_R10 72
%define R_R8 80
%define R_R9 88
%define R_FLAGS 96
%define R_RIP 104
%define R_RSP 112

; void osv_enter_clone_child(ThreadStartRegisters* registers)   -- never returns
osv_enter_clone_child:
    mov rbx, [rdi + R_RBX]
    mov rbp, [rdi + R_RBP]
    mov r12, [rdi + R_R12]
    mov r13, [rdi + R_R13]
    mov r14, [rdi + R_R14]
    mov r15, [rdi + R_R15]
    mov rsi, [rdi + R_RSI]
    mov rdx, [rdi + R_RDX]
    mov r10, [rdi + R_R10]
    mov r8, [rdi + R_R8]
    mov r9, [rdi + R_R9]
    mov rcx, [rdi + R_RIP]
    mov r11, [rdi + R_FLAGS]
    push r11                            ; still on this thread's kernel stack (the block lives there too)
    popfq
    mov rsp, [rdi + R_RSP]
    mov rdi, [rdi + R_RDI]
    xor eax, eax
    jmp rcx
