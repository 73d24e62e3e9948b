; Resuming a trapped thread later, from thread context: a trap redirected the thread here (rdi = a
; TrapResumeBlock on its own syscall stack: the TrapFrame traps.asm saved, then a callback). The
; stub keeps the SSE state the trap left, calls the callback (which may sleep), and returns to the
; trapped instruction with every register as it was, through the same iretq frame traps.asm pops.

%include "trap_frame.inc"

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
    pop_trap_frame_and_return

osv_trap_resume_address:
    lea rax, [rel osv_trap_resume]
    ret
