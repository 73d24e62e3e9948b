; Lazy PLT binding (psABI 5.2, "Procedure Linkage Table"): the first call through a JUMP_SLOT the
; dynamic linker left unbound runs the PLT entry's `push <relocation index>; jmp PLT0`, and PLT0
; `push GOT[1]; jmp *GOT[2]`. GOT[1] holds the object's library record, GOT[2] this trampoline.
; On entry:  [rsp] = the object, [rsp+8] = the relocation index, [rsp+16] = the caller's return address.
; Everything the call's arguments may be in is kept across the C# resolver: rdi, rsi, rdx, rcx,
; r8, r9 (integers), rax (al: the vector-register count of a variadic call), r10 (static chain),
; xmm0-7 (floating point). The resolver writes the GOT slot and returns the function; the trampoline
; drops the two pushed words and jumps there, so the function returns straight to the caller.
; A missing function never comes back: the resolver prints glibc's line and ends the program.

global osv_lazy_binding_trampoline_address
extern osv_resolve_lazy_slot        ; ulong (ulong object, ulong relocationIndex): the function's address

%define SAVED_GPRS 8
%define SAVE_AREA (SAVED_GPRS * 8 + 8 * 16)

section .text
bits 64

osv_lazy_binding_trampoline:
    push rbp
    mov rbp, rsp                        ; [rbp+8] object, [rbp+16] index
    and rsp, -16                        ; whatever the caller's alignment, the call below gets the psABI's
    sub rsp, SAVE_AREA
    mov [rsp + 0], rax
    mov [rsp + 8], rcx
    mov [rsp + 16], rdx
    mov [rsp + 24], rsi
    mov [rsp + 32], rdi
    mov [rsp + 40], r8
    mov [rsp + 48], r9
    mov [rsp + 56], r10
    movdqa [rsp + 64], xmm0
    movdqa [rsp + 80], xmm1
    movdqa [rsp + 96], xmm2
    movdqa [rsp + 112], xmm3
    movdqa [rsp + 128], xmm4
    movdqa [rsp + 144], xmm5
    movdqa [rsp + 160], xmm6
    movdqa [rsp + 176], xmm7
    mov rdi, [rbp + 8]
    mov rsi, [rbp + 16]
    call osv_resolve_lazy_slot
    mov r11, rax                        ; r11: scratch at a call boundary, free to carry the target
    movdqa xmm7, [rsp + 176]
    movdqa xmm6, [rsp + 160]
    movdqa xmm5, [rsp + 144]
    movdqa xmm4, [rsp + 128]
    movdqa xmm3, [rsp + 112]
    movdqa xmm2, [rsp + 96]
    movdqa xmm1, [rsp + 80]
    movdqa xmm0, [rsp + 64]
    mov r10, [rsp + 56]
    mov r9, [rsp + 48]
    mov r8, [rsp + 40]
    mov rdi, [rsp + 32]
    mov rsi, [rsp + 24]
    mov rdx, [rsp + 16]
    mov rcx, [rsp + 8]
    mov rax, [rsp + 0]
    mov rsp, rbp
    pop rbp
    add rsp, 16                         ; the object and the index PLT0 and the entry pushed
    jmp r11

; ulong osv_lazy_binding_trampoline_address(void): what the dynamic linker writes into GOT[2].
osv_lazy_binding_trampoline_address:
    lea rax, [rel osv_lazy_binding_trampoline]
    ret
