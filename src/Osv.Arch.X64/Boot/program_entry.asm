; Entering an application's _start: the psABI's process entry state (3.4.1). rsp points at argc and is
; 16-byte aligned; rdx is the function the program should register with atexit (none: 0); rbp is 0
; (the outermost frame); the other registers carry nothing the program may rely on, so they are cleared.

global osv_enter_program

section .text
bits 64

; void osv_enter_program(ulong entry, ulong stackPointer)   -- never returns
osv_enter_program:
    mov rsp, rsi
    mov rax, rdi
    xor edx, edx
    xor ebp, ebp
    xor ebx, ebx
    xor ecx, ecx
    xor esi, esi
    xor edi, edi
    xor r8d, r8d
    xor r9d, r9d
    xor r10d, r10d
    xor r11d, r11d
    xor r12d, r12d
    xor r13d, r13d
    xor r14d, r14d
    xor r15d, r15d
    jmp rax

; A shared object's program (OSv's old style: `main` exported, no _start): entered like _start, rsp
; at argc on the initial stack; calls the C library's start with (argc, argv) on that stack.
global osv_shared_object_start_address
extern osv_run_shared_object_main

osv_start_shared_object:
    mov rdi, [rsp]
    lea rsi, [rsp + 8]
    and rsp, -16
    call osv_run_shared_object_main
    ud2

osv_shared_object_start_address:
    lea rax, [rel osv_start_shared_object]
    ret
