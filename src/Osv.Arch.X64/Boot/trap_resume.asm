; Resuming a trapped thread later, from thread context: a trap redirected the thread here (rdi = a
; TrapResumeBlock on its own syscall stack: the TrapFrame traps.asm saved, then a callback). The
; stub keeps the SSE state the trap left, calls the callback (which may sleep), and returns to the
; trapped instruction with every register as it was, through the same iretq frame traps.asm pops.

global osv_trap_resume_address

%define TRAP_FRAME_SIZE 176         ; Osv.Arch.X64.Interrupts.TrapFrame: 22 quadwords
%define BLOCK_CALLBACK TRAP_FRAME_SIZE

section .text
bits 64

osv_trap_resume:
    mov rbx, rdi                        ; rbx: the block (callee-saved across the call)
    lea rsp, [rbx - 512]                ; below the block: the SSE state, then the callback's frames
    and rsp, -64
    fxsave64 [rsp]                      ; TrapResume.SavedSseState: the callback may read it
    call [rbx + BLOCK_CALLBACK]         ; rdi: still the block
    fxrstor64 [rsp]
    cli                                 ; iretq restores the trapped rflags
    mov rsp, rbx
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16                         ; vector and error code
    iretq

osv_trap_resume_address:
    lea rax, [rel osv_trap_resume]
    ret
