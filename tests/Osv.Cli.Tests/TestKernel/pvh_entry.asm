; A tiny PVH kernel the CLI's tests link and boot in place of the real one.
; It stays in 32-bit protected mode (where PVH enters), prints its command line
; on COM1 and then does what the command line says:
;   exit=N   report exit status N through isa-debug-exit
;   triple   triple-fault (empty IDT, then a breakpoint)
;   hang     spin forever with interrupts off (for timeouts)
;   other    exit with status 0

bits 32

XEN_ELFNOTE_PHYS32_ENTRY equ 18
PVH_START_INFO_CMDLINE   equ 24
COM1                     equ 0x3f8
COM1_LINE_STATUS         equ COM1 + 5
DEBUG_EXIT_PORT          equ 0xf4

section .note.pvh note alloc noexec nowrite align=4
    dd 4                        ; name size
    dd 4                        ; descriptor size
    dd XEN_ELFNOTE_PHYS32_ENTRY
    db "Xen", 0
    dd pvh_entry

section .text
global pvh_entry
pvh_entry:
    cli
    mov esp, stack_top
    mov esi, [ebx + PVH_START_INFO_CMDLINE]
    mov edi, banner
    call print_string
    test esi, esi
    jz exit_zero
    mov edi, esi
    call print_string
    mov al, 10
    call put_char

    cmp dword [esi], 'exit'
    jne not_exit
    cmp byte [esi + 4], '='
    jne not_exit
    lea ecx, [esi + 5]
    xor eax, eax
parse_digit:
    movzx edx, byte [ecx]
    sub edx, '0'
    cmp edx, 9
    ja exit_with_status
    imul eax, eax, 10
    add eax, edx
    inc ecx
    jmp parse_digit

not_exit:
    cmp dword [esi], 'trip'
    je triple_fault
    cmp dword [esi], 'hang'
    je hang

exit_zero:
    xor eax, eax
exit_with_status:
    mov dx, DEBUG_EXIT_PORT
    out dx, eax
hang:                           ; also reached if isa-debug-exit is missing
    hlt
    jmp hang

triple_fault:
    lidt [empty_idt]
    int3

; edi = NUL-terminated string
print_string:
    mov al, [edi]
    test al, al
    jz .done
    call put_char
    inc edi
    jmp print_string
.done:
    ret

; al = character; waits until the transmitter holding register is empty
put_char:
    mov ah, al
    mov dx, COM1_LINE_STATUS
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov al, ah
    mov dx, COM1
    out dx, al
    ret

section .rodata
banner: db "test kernel cmdline: ", 0
empty_idt:
    dw 0
    dd 0

section .bss
align 16
    resb 4096
stack_top:
