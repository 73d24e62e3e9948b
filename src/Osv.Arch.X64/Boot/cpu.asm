; Single instructions C# cannot emit, as SysV functions (called through [DllImport("*")]).

section .text
bits 64

%macro function 1
global %1
%1:
%endmacro

function osv_outb
    mov edx, edi
    mov eax, esi
    out dx, al
    ret
function osv_outw
    mov edx, edi
    mov eax, esi
    out dx, ax
    ret
function osv_outl
    mov edx, edi
    mov eax, esi
    out dx, eax
    ret
function osv_inb
    mov edx, edi
    xor eax, eax
    in al, dx
    ret
function osv_inw
    mov edx, edi
    xor eax, eax
    in ax, dx
    ret
function osv_inl
    mov edx, edi
    in eax, dx
    ret
function osv_rdtsc
    rdtsc
    shl rdx, 32
    or rax, rdx
    ret
function osv_rdmsr
    mov ecx, edi
    rdmsr
    shl rdx, 32
    or rax, rdx
    ret
function osv_wrmsr
    mov ecx, edi
    mov eax, esi
    mov rdx, rsi
    shr rdx, 32
    wrmsr
    ret
function osv_read_cr0
    mov rax, cr0
    ret
function osv_read_cr2
    mov rax, cr2
    ret
function osv_read_cr3
    mov rax, cr3
    ret
function osv_write_cr3
    mov cr3, rdi
    ret
function osv_read_cr4
    mov rax, cr4
    ret
function osv_write_cr4
    mov cr4, rdi
    ret
function osv_read_rflags
    pushfq
    pop rax
    ret
function osv_lgdt
    lgdt [rdi]
    ret
function osv_lidt
    lidt [rdi]
    ret
function osv_ltr
    ltr di
    ret
; Reload CS (far return) and the data segments after a new GDT.
function osv_reload_segments
    push rdi                        ; code selector
    lea rax, [rel .reloaded]
    push rax
    retfq
.reloaded:
    mov ds, esi
    mov es, esi
    mov ss, esi
    ret
function osv_cli
    cli
    ret
function osv_sti
    sti
    ret
function osv_hlt
    hlt
    ret
; Enable interrupts and wait for one atomically (sti's shadow covers the hlt).
function osv_sti_hlt
    sti
    hlt
    ret
function osv_pause
    pause
    ret
function osv_invlpg
    invlpg [rdi]
    ret
; cpuid(leaf, subleaf, uint32_t out[4])
function osv_cpuid
    push rbx
    mov r8, rdx
    mov eax, edi
    mov ecx, esi
    cpuid
    mov [r8], eax
    mov [r8 + 4], ebx
    mov [r8 + 8], ecx
    mov [r8 + 12], edx
    pop rbx
    ret
; The caller's registers as they will be after this call returns: {rip, rsp, rbp}.
function osv_capture_registers
    mov rax, [rsp]
    mov [rdi], rax
    lea rax, [rsp + 8]
    mov [rdi + 8], rax
    mov [rdi + 16], rbp
    ret
; int osv_red_zone_survives_interrupt(volatile long* counter)
; Fills the 128-byte red zone below %rsp, enables interrupts until *counter changes (an interrupt
; was taken), and reports whether every byte is still there. Interrupt entry that used the
; interrupted stack would overwrite it; IST stacks leave it alone.
function osv_red_zone_survives_interrupt
    mov r8, [rdi]
    lea rdx, [rsp - 128]
    mov rcx, 16
    mov rax, 0x5A5A5A5A00000000
.fill:
    mov [rdx + 8 * rcx - 8], rax
    inc rax
    loop .fill
    mov r9, 200000000               ; bounded wait
    sti
.wait:
    cmp [rdi], r8
    jne .check
    pause
    dec r9
    jnz .wait
.check:
    cli
    mov rcx, 16
    mov rax, 0x5A5A5A5A00000000
.verify:
    cmp [rdx + 8 * rcx - 8], rax
    jne .clobbered
    inc rax
    loop .verify
    cmp [rdi], r8                   ; no interrupt arrived: nothing was proven
    je .clobbered
    mov eax, 1
    ret
.clobbered:
    xor eax, eax
    ret

; int osv_registers_survive_interrupt(volatile long* counter)
; Loads every general-purpose register (but rsp/rdi) and xmm0-15 with distinct patterns, takes
; an interrupt, and reports whether all of them still hold their patterns afterwards.
function osv_registers_survive_interrupt
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    push qword [rdi]                ; [rsp + 8]: the counter before waiting
    push 200000000                  ; [rsp]: bounded wait
    %assign i 0
    %rep 16
        movdqu xmm %+ i, [rel register_patterns + 16 * i]
        %assign i i + 1
    %endrep
    mov rax, [rel register_patterns + 0]
    mov rbx, [rel register_patterns + 8]
    mov rcx, [rel register_patterns + 16]
    mov rdx, [rel register_patterns + 24]
    mov rsi, [rel register_patterns + 32]
    mov rbp, [rel register_patterns + 40]
    mov r8,  [rel register_patterns + 48]
    mov r9,  [rel register_patterns + 56]
    mov r10, [rel register_patterns + 64]
    mov r11, [rel register_patterns + 72]
    mov r12, [rel register_patterns + 80]
    mov r13, [rel register_patterns + 88]
    mov r14, [rel register_patterns + 96]
    mov r15, [rel register_patterns + 104]
    sti
.wait:
    pause
    push r8
    mov r8, [rdi]
    cmp r8, [rsp + 16]
    pop r8
    jne .arrived
    dec qword [rsp]
    jnz .wait
.arrived:
    cli
    cmp rax, [rel register_patterns + 0]
    jne .clobbered
    cmp rbx, [rel register_patterns + 8]
    jne .clobbered
    cmp rcx, [rel register_patterns + 16]
    jne .clobbered
    cmp rdx, [rel register_patterns + 24]
    jne .clobbered
    cmp rsi, [rel register_patterns + 32]
    jne .clobbered
    cmp rbp, [rel register_patterns + 40]
    jne .clobbered
    cmp r8, [rel register_patterns + 48]
    jne .clobbered
    cmp r9, [rel register_patterns + 56]
    jne .clobbered
    cmp r10, [rel register_patterns + 64]
    jne .clobbered
    cmp r11, [rel register_patterns + 72]
    jne .clobbered
    cmp r12, [rel register_patterns + 80]
    jne .clobbered
    cmp r13, [rel register_patterns + 88]
    jne .clobbered
    cmp r14, [rel register_patterns + 96]
    jne .clobbered
    cmp r15, [rel register_patterns + 104]
    jne .clobbered
    %assign i 0
    %rep 16
        pcmpeqb xmm %+ i, [rel register_patterns + 16 * i]
        pmovmskb eax, xmm %+ i
        cmp eax, 0xFFFF
        jne .clobbered
        %assign i i + 1
    %endrep
    mov rax, [rdi]
    cmp rax, [rsp + 8]              ; no interrupt arrived: nothing was proven
    je .clobbered
    mov eax, 1
    jmp .done
.clobbered:
    xor eax, eax
.done:
    add rsp, 16
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    ret

section .rodata
align 16
register_patterns:
    %assign i 0
    %rep 32
        dq 0x0123456789ABCDEF ^ (i * 0x1111111111111111) ^ (i << 56)
        %assign i i + 1
    %endrep
section .text

; The current CPU's CpuLocal block: its first field points at itself (Osv.Arch.X64.Smp.CpuLocal).
function osv_cpu_local
    mov rax, [gs:0]
    ret

; The running thread (CpuLocal.CurrentThread), read in one instruction: a thread that migrates between
; finding its CPU block and reading the field would otherwise read another CPU's thread.
function osv_current_thread
    mov rax, [gs:24]
    ret

; The running thread's thread pointer, read from %fs:0 (every thread control block holds its own
; address there: ThreadControlBlock, src/Osv.Kernel/Libc/ThreadBlocks.cs). Cheaper than rdmsr.
function osv_thread_pointer
    mov rax, [fs:0]
    ret
