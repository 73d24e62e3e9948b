; Faults raised on purpose for --debug-fault (Osv.Kernel/DebugFaults.cs). The names carry
; "DebugFault" because they are frame #0 of the backtraces the integration tests check.

section .text
bits 64

global DebugFault_InvalidOpcode
global DebugFault_Divide
global DebugFault_TripleFault

DebugFault_InvalidOpcode:
    ud2
    ret

; Integer division with no software check, so a zero divisor raises #DE.
DebugFault_Divide:
    mov eax, edi
    cdq
    idiv esi
    ret

; Load an empty IDT and raise an exception: the CPU can deliver nothing, so it triple-faults.
DebugFault_TripleFault:
    sub rsp, 16
    mov word [rsp], 0
    mov qword [rsp + 2], 0
    lidt [rsp]
    int3
    ret
