; Thread context switch. Only callee-saved state needs saving at a call boundary (SysV): rbx, rbp,
; r12-r15, the x87 control word and MXCSR. A thread preempted by an interrupt switches from inside
; the handler on its own interrupt stack; the trap stub saved everything else there.

global osv_switch_context
global osv_thread_trampoline
extern osv_thread_start

section .text
bits 64

; void osv_switch_context(ulong* saveStackPointer, ulong newStackPointer)
osv_switch_context:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    sub rsp, 8
    stmxcsr [rsp]
    fnstcw [rsp + 4]
    mov [rdi], rsp
    mov rsp, rsi
    ldmxcsr [rsp]
    fldcw [rsp + 4]
    add rsp, 8
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret

; A new thread's first "return" lands here with its control block in r12 (see ThreadStacks).
osv_thread_trampoline:
    mov rdi, r12
    xor ebp, ebp
    call osv_thread_start
.unreachable:
    ud2
    jmp .unreachable
