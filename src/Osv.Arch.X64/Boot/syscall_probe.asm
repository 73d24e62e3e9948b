; A `syscall` made the way compiled code makes one, for the test image's syscalls suite: it fills the
; callee-saved registers, the argument registers, xmm0-15 and the 128-byte red zone below rsp with
; known values, executes `syscall`, and counts what changed that Linux promises to keep.
;
; struct SyscallProbe { long Number, Argument0..5; long Result; long Damaged; }   (Osv.Kernel test code)

global osv_syscall_probe

%define PROBE_RESULT 56
%define PROBE_DAMAGED 64
%define RED_ZONE_PATTERN 0x5AA55AA5C33CC33C

section .text
bits 64

%macro expect_register 2
    mov r11, %2
    cmp %1, r11
    je %%same
    inc qword [r15 + PROBE_DAMAGED]
%%same:
%endmacro

%macro expect_xmm 2
    movq r11, %1
    mov rcx, %2
    cmp r11, rcx
    je %%same
    inc qword [r15 + PROBE_DAMAGED]
%%same:
%endmacro

%macro load_xmm 2
    mov rax, %2
    movq %1, rax
%endmacro

; void osv_syscall_probe(SyscallProbe* probe)
osv_syscall_probe:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    mov r15, rdi
    mov rax, RED_ZONE_PATTERN
%assign slot 1
%rep 16
    mov [rsp - 8 * slot], rax
%assign slot slot + 1
%endrep
    mov rbx, 0x1111111111111111
    mov rbp, 0x2222222222222222
    mov r12, 0x3333333333333333
    mov r13, 0x4444444444444444
    mov r14, 0x5555555555555555
%assign n 0
%rep 16
    load_xmm xmm %+ n, 0x0F0E0D0C0B0A0900 + n
%assign n n + 1
%endrep
    mov rax, [r15]
    mov rdi, [r15 + 8]
    mov rsi, [r15 + 16]
    mov rdx, [r15 + 24]
    mov r10, [r15 + 32]
    mov r8, [r15 + 40]
    mov r9, [r15 + 48]
    syscall
    mov [r15 + PROBE_RESULT], rax
    expect_register rbx, 0x1111111111111111
    expect_register rbp, 0x2222222222222222
    expect_register r12, 0x3333333333333333
    expect_register r13, 0x4444444444444444
    expect_register r14, 0x5555555555555555
    expect_register rdi, [r15 + 8]
    expect_register rsi, [r15 + 16]
    expect_register rdx, [r15 + 24]
    expect_register r10, [r15 + 32]
    expect_register r8, [r15 + 40]
    expect_register r9, [r15 + 48]
%assign n 0
%rep 16
    expect_xmm xmm %+ n, 0x0F0E0D0C0B0A0900 + n
%assign n n + 1
%endrep
%assign slot 1
%rep 16
    expect_register qword [rsp - 8 * slot], RED_ZONE_PATTERN
%assign slot slot + 1
%endrep
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    ret
