; Interrupt and exception entry. Every vector has a stub that pushes a uniform frame
; (error code or 0, vector number), then trap_common saves the general registers and the
; SSE state and calls the C# dispatcher with a pointer to the frame (Osv.Arch.X64.TrapFrame).
; The IDT routes every vector to an IST stack, so the interrupted stack (and its red zone,
; which applications and musl use) is never written.

%include "trap_frame.inc"

extern osv_trap_dispatch

global osv_trap_stub_table
global osv_cpu0_idt
global osv_cpu0_gdt
global osv_cpu0_ist_stacks
global osv_cpu0_tls

%define IST_STACK_SIZE 16384
%define IST_STACK_COUNT 3

section .text
bits 64

; CPU pushes an error code for these vectors. Stubs are 16 bytes apart: stub(v) = table + 16 * v.
%macro trap_stub 1
    align 16
%if %1 == 0
osv_trap_stub_table:
%endif
%if %1 == 8 || (%1 >= 10 && %1 <= 14) || %1 == 17 || %1 == 21 || %1 == 29 || %1 == 30
%else
    push 0
%endif
    push strict dword %1
    jmp strict near trap_common
%endmacro

%assign vector 0
%rep 256
    trap_stub vector
%assign vector vector + 1
%endrep

trap_common:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    mov rbx, rsp                    ; rbx: the frame (callee-saved across the call)
    sub rsp, 512
    and rsp, -64
    fxsave64 [rsp]
    mov rdi, rbx
    cld
    call osv_trap_dispatch
    fxrstor64 [rsp]
    mov rsp, rbx
    pop_trap_frame_and_return

section .bss
alignb 4096
osv_cpu0_idt: resb 4096
osv_cpu0_gdt: resb 256              ; GDT at 0, TSS at 64 (DescriptorTables.LoadOnThisCpu)
alignb 4096
; Each IST stack sits above a guard page that the kernel's page tables leave unmapped.
osv_cpu0_ist_stacks: resb (4096 + IST_STACK_SIZE) * IST_STACK_COUNT
alignb 64
osv_cpu0_tls: resb 4096
