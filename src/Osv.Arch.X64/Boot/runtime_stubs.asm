; Runtime helpers that ILC-generated code calls with conventions C# cannot express.

extern RhpResolveInterfaceCall

global RhpStackProbe
global RhpInitialDynamicInterfaceDispatch
global RhpByRefAssignRef

section .text
bits 64

; Frames larger than a page call this first. rax = lowest address the frame will touch.
; Touch every page from the one below rsp down to rax, so lazily mapped stacks fault in order.
RhpStackProbe:
    mov r11, rsp
    and r11, -4096
    and rax, -4096
.probe:
    sub r11, 4096
    test dword [r11], 0
    cmp r11, rax
    jg .probe
    ret

; Interface call sites call through a dispatch cell; r11 = the cell, rdi = this.
; Save every argument register, ask C# for the target, restore, and jump to it.
RhpInitialDynamicInterfaceDispatch:
    test byte [rdi], 0              ; a null `this` faults here, at the call site's expense
    push rbp
    mov rbp, rsp
    push rdi
    push rsi
    push rdx
    push rcx
    push r8
    push r9
    sub rsp, 8 * 16 + 16            ; xmm0-7, keeping rsp 16-byte aligned
    movdqu [rsp + 0x00], xmm0
    movdqu [rsp + 0x10], xmm1
    movdqu [rsp + 0x20], xmm2
    movdqu [rsp + 0x30], xmm3
    movdqu [rsp + 0x40], xmm4
    movdqu [rsp + 0x50], xmm5
    movdqu [rsp + 0x60], xmm6
    movdqu [rsp + 0x70], xmm7
    and rsp, -16
    mov rsi, r11
    call RhpResolveInterfaceCall
    mov r11, rax
    lea rsp, [rbp - 6 * 8 - (8 * 16 + 16)]
    movdqu xmm0, [rsp + 0x00]
    movdqu xmm1, [rsp + 0x10]
    movdqu xmm2, [rsp + 0x20]
    movdqu xmm3, [rsp + 0x30]
    movdqu xmm4, [rsp + 0x40]
    movdqu xmm5, [rsp + 0x50]
    movdqu xmm6, [rsp + 0x60]
    movdqu xmm7, [rsp + 0x70]
    add rsp, 8 * 16 + 16
    pop r9
    pop r8
    pop rcx
    pop rdx
    pop rsi
    pop rdi
    pop rbp
    jmp r11

; Copies one object reference from [rsi] to [rdi] and advances both (no GC: no barrier needed).
RhpByRefAssignRef:
    mov rcx, [rsi]
    mov [rdi], rcx
    add rdi, 8
    add rsi, 8
    ret
section .data
global RhpTrapThreads
RhpTrapThreads: dd 0
