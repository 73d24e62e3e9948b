; The `syscall` instruction entry (LSTAR). Applications run in ring 0 with the kernel, so `syscall`
; only jumps here: no privilege change, no stack change. The caller's stack keeps its red zone
; (musl and gcc keep live data below rsp around an inline `syscall`), so nothing is written there:
; the stub switches to the running thread's syscall stack (CpuLocal.SyscallStackTop, set at every
; context switch) before its first push. Preserved for the caller, as Linux does: every register
; but rax (the result), rcx and r11 (which `syscall` itself clobbers), and the SSE/x87 state.
; rt_sigreturn may rewrite all of them (the frame, the saved registers, the fxsave area) and asks
; for an exact return (ResumeExactly), which gives back rcx and r11 too.

extern osv_syscall_dispatch
extern osv_syscall_without_stack

global osv_syscall_entry_address

%define CPU_SYSCALL_STACK_TOP 32    ; Osv.Arch.X64.Smp.CpuLocal.SyscallStackTop
%define CPU_SYSCALL_SCRATCH 40      ; Osv.Arch.X64.Smp.CpuLocal.SyscallScratch

section .text
bits 64

osv_syscall_entry:
    ; FMASK cleared IF: nothing can switch threads (and reuse the scratch slot) until the stack is ours.
    mov [gs:CPU_SYSCALL_SCRATCH], rsp
    mov rsp, [gs:CPU_SYSCALL_STACK_TOP]
    test rsp, rsp
    jz .no_stack
    push qword 0                        ; SystemCallFrame, from the top down: ResumeExactly (rt_sigreturn sets it),
    push r11                            ; ResumeR11 and ResumeRcx (what rt_sigreturn gives back),
    push rcx
    push qword [gs:CPU_SYSCALL_SCRATCH] ; caller's rsp,
    push rcx                            ; return address,
    push r11                            ; rflags,
    push r9                             ; arguments 5..0,
    push r8
    push r10
    push rdx
    push rsi
    push rdi
    push rax                            ; and the number (lowest address: the frame's start)
    push rbx                            ; the callee-saved registers below the frame (SystemCallRegisters):
    push rbp                            ; clone copies them into the child, rt_sigreturn rewrites them
    push r12
    push r13
    push r14
    push r15
    mov rbx, rsp                        ; rbx: the saved registers, frame 48 bytes above
    sub rsp, 512
    and rsp, -64
    fxsave64 [rsp]
    lea rdi, [rbx + 48]
    sti                                 ; system calls are preemptible and may sleep
    call osv_syscall_dispatch
    cli
    fxrstor64 [rsp]
    mov rsp, rbx
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    add rsp, 8                          ; the number: rax now holds the result
    pop rdi
    pop rsi
    pop rdx
    pop r10
    pop r8
    pop r9
    pop r11
    pop rcx
    cmp qword [rsp + 24], 0             ; ResumeExactly?
    jne .resume_exactly
    push r11                            ; the caller's rflags (IF included), restored on this stack
    popfq
    mov rsp, [rsp]                      ; the caller's stack, untouched
    jmp rcx

.resume_exactly:
    ; rt_sigreturn into code a signal interrupted anywhere (a fault): rcx and r11 are live there, so
    ; return through an iretq frame built below, in the part of the frame already popped.
    mov [rsp - 40], rcx                 ; rip
    mov rcx, cs
    mov [rsp - 32], rcx
    mov [rsp - 24], r11                 ; rflags
    mov rcx, [rsp]
    mov [rsp - 16], rcx                 ; rsp
    mov rcx, ss
    mov [rsp - 8], rcx
    mov rcx, [rsp + 8]                  ; ResumeRcx
    mov r11, [rsp + 16]                 ; ResumeR11
    sub rsp, 40
    iretq

.no_stack:
    ; A thread without a syscall stack (a kernel thread) executed `syscall`: report it, below the red zone.
    mov rsp, [gs:CPU_SYSCALL_SCRATCH]
    sub rsp, 128
    and rsp, -16
    mov rdi, rax
    mov rsi, rcx
    call osv_syscall_without_stack
.unreachable:
    ud2
    jmp .unreachable

osv_syscall_entry_address:
    lea rax, [rel osv_syscall_entry]
    ret
