; The setjmp family of libc.so.6 with glibc's x86-64 jmp_buf (struct __jmp_buf_tag):
;   long __jmpbuf[8]   rbx, rbp, r12, r13, r14, r15, rsp, rip   (bytes 0..63)
;   int __mask_was_saved                                        (byte 64)
;   sigset_t __saved_mask, 128 bytes                            (byte 72)
; glibc mangles rbp, rsp and rip with a per-process secret (PTR_MANGLE). That is private to the C
; library: only its own setjmp and longjmp read those words, and here both are these, so the
; words are stored plain. A program that decodes a jmp_buf itself is non-portable and not served.
; The signal mask is C#'s (Libc/Signals/LibcJumpMasks.cs): saved by __sigsetjmp with savemask != 0,
; restored by longjmp when the buffer says it was saved (so setjmp/longjmp are the BSD pair, as
; glibc's; _setjmp saves no mask).

extern osv_sigjmp_save_mask         ; int (jmp_buf *buffer): saves the current mask, returns 0
extern osv_longjmp_restore_mask     ; void (jmp_buf *buffer)
extern osv_longjmp_check_downward          ; void (ulong target, ulong current): returns only if the jump is allowed

global setjmp:function
global _setjmp:function
global __sigsetjmp:function
global longjmp:function
global _longjmp:function
global siglongjmp:function
global __longjmp_chk:function

%define JB_RBX 0
%define JB_RBP 8
%define JB_R12 16
%define JB_R13 24
%define JB_R14 32
%define JB_R15 40
%define JB_RSP 48
%define JB_RIP 56
%define JB_MASK_WAS_SAVED 64

section .text
bits 64

; int setjmp(jmp_buf): BSD semantics, the mask is saved.
setjmp:
    mov esi, 1
    jmp __sigsetjmp

; int _setjmp(jmp_buf): no mask.
_setjmp:
    xor esi, esi
    ; falls through

; int __sigsetjmp(sigjmp_buf, int savemask) -- sigsetjmp is a macro for it. The caller's rsp and
; rip are the ones after this call returns: rsp + 8 and the return address.
__sigsetjmp:
    mov [rdi + JB_RBX], rbx
    mov [rdi + JB_RBP], rbp
    mov [rdi + JB_R12], r12
    mov [rdi + JB_R13], r13
    mov [rdi + JB_R14], r14
    mov [rdi + JB_R15], r15
    lea rdx, [rsp + 8]
    mov [rdi + JB_RSP], rdx
    mov rdx, [rsp]
    mov [rdi + JB_RIP], rdx
    mov dword [rdi + JB_MASK_WAS_SAVED], 0
    test esi, esi
    jnz osv_sigjmp_save_mask        ; tail call: it sets __mask_was_saved and returns 0 to our caller
    xor eax, eax
    ret

; void longjmp(jmp_buf, int value): setjmp returns value there, 1 for 0. All three names are one
; function, as in glibc: whether the mask comes back depends on how the buffer was filled.
longjmp:
_longjmp:
siglongjmp:
    mov r12, rdi                    ; callee-saved across the C# call; reloaded from the buffer below
    mov r13d, esi
    cmp dword [rdi + JB_MASK_WAS_SAVED], 0
    je .jump
    and rsp, -16                    ; this frame is abandoned: only the call's alignment matters
    call osv_longjmp_restore_mask
.jump:
    mov eax, r13d
    test eax, eax
    jnz .value_ready
    mov eax, 1
.value_ready:
    mov rdi, r12
    mov rbx, [rdi + JB_RBX]
    mov rbp, [rdi + JB_RBP]
    mov r12, [rdi + JB_R12]
    mov r13, [rdi + JB_R13]
    mov r14, [rdi + JB_R14]
    mov r15, [rdi + JB_R15]
    mov rsp, [rdi + JB_RSP]
    jmp [rdi + JB_RIP]

; void __longjmp_chk(jmp_buf, int value): _FORTIFY_SOURCE's longjmp. A target below the current
; stack pointer is a frame that has already returned; C# allows it only when the jump leaves the
; signal alternate stack (the handler's stack can lie anywhere), otherwise it ends the program.
__longjmp_chk:
    mov rax, [rdi + JB_RSP]
    cmp rax, rsp
    jae longjmp                     ; an outer frame: the ordinary jump
    mov r12, rdi
    mov r13d, esi
    mov rdi, rax
    mov rsi, rsp
    and rsp, -16
    call osv_longjmp_check_downward
    mov rdi, r12
    mov esi, r13d
    jmp longjmp
