; The glibc ABI pieces C# cannot express: data objects applications import by name (and usually
; take by COPY relocation), and the variadic entry points, which turn their register arguments into
; a SysV va_list and call the C# v* function.

; Data objects (8-byte pointers, ELF type OBJECT with a size, as glibc's). C# reads their addresses
; through osv_libc_data (fixed layout below) and redirects to the application's copy after a COPY
; relocation (Osv.Kernel/Libc/Process/LibcData.cs).
global osv_libc_data
global stdin:data 8
global stdout:data 8
global stderr:data 8
global environ:data 8
global __environ:data 8
global __progname:data 8
global program_invocation_short_name:data 8
global __progname_full:data 8
global program_invocation_name:data 8

section .data
align 16
libc_data:
stdin:  dq 0                        ; +0
stdout: dq 0                        ; +8
stderr: dq 0                        ; +16
environ:
__environ: dq 0                     ; +24
__progname:
program_invocation_short_name: dq 0 ; +32
__progname_full:
program_invocation_name: dq 0       ; +40

; musl's `struct __libc` (104 bytes, src/internal/libc.h) and __hwcap, zero as musl leaves them
; before __init_libc runs: its time-zone and locale code read `secure` and the global locale there.
; Defined here because musl's libc.lo would also define __progname, which the block above owns.
global __libc:data 104
global __hwcap:data 8

section .bss
align 16
__libc: resb 104
__hwcap: resq 1

section .text
bits 64

osv_libc_data:
    lea rax, [rel libc_data]
    ret

; variadic name, target, fixed: name(fixed GP arguments, ...) calls target(the same fixed arguments,
; va_list *). The register save area is the psABI's (gp 0..48, xmm 48..176); the va_list says
; `fixed` GP registers are used, no vector registers, and the stack arguments start above the
; return address. The frame (216 bytes) keeps rsp 16-byte aligned at the call.
%macro variadic 3
global %1
extern %2
%1:
    sub rsp, 216
    mov [rsp + 0], rdi
    mov [rsp + 8], rsi
    mov [rsp + 16], rdx
    mov [rsp + 24], rcx
    mov [rsp + 32], r8
    mov [rsp + 40], r9
    test al, al
    jz %%no_vectors
    movaps [rsp + 48], xmm0
    movaps [rsp + 64], xmm1
    movaps [rsp + 80], xmm2
    movaps [rsp + 96], xmm3
    movaps [rsp + 112], xmm4
    movaps [rsp + 128], xmm5
    movaps [rsp + 144], xmm6
    movaps [rsp + 160], xmm7
%%no_vectors:
    mov dword [rsp + 176], %3 * 8   ; gp_offset
    mov dword [rsp + 180], 48       ; fp_offset
    lea r11, [rsp + 224]
    mov [rsp + 184], r11            ; overflow_arg_area: the caller's stack arguments
    mov [rsp + 192], rsp            ; reg_save_area
%if %3 == 1
    lea rsi, [rsp + 176]
%elif %3 == 2
    lea rdx, [rsp + 176]
%elif %3 == 3
    lea rcx, [rsp + 176]
%elif %3 == 4
    lea r8, [rsp + 176]
%elif %3 == 5
    lea r9, [rsp + 176]
%else
    %error "variadic: 1 to 5 fixed arguments"
%endif
    call %2
    add rsp, 216
    ret
%endmacro

variadic printf, vprintf, 1
variadic fprintf, vfprintf, 2
variadic dprintf, vdprintf, 2
variadic __printf_chk, __vprintf_chk, 2
variadic __fprintf_chk, __vfprintf_chk, 3
variadic __dprintf_chk, __vdprintf_chk, 3

; fortified formatting into a buffer (Osv.Kernel/Libc/Stdio/Fortify.cs)
variadic __snprintf_chk, __vsnprintf_chk, 5
variadic __sprintf_chk, __vsprintf_chk, 4

variadic __asprintf_chk, __vasprintf_chk, 3
variadic fscanf, vfscanf, 2
variadic scanf, vscanf, 1
variadic syslog, vsyslog, 2
variadic error, osv_error_v, 3
variadic error_at_line, osv_error_at_line_v, 5
variadic __syslog_chk, __vsyslog_chk, 3

; glibc's internal names that programs import (headers map mbrlen, some *_l locale functions and the
; C99 scanf to them) where musl has no function of that name: same arguments, so a tail jump to
; musl's function (registers and al intact, which is what the variadic sscanf needs too). musl's own
; __nl_langinfo_l, __strcoll_l & co. are exported as they are (exported_symbols/libc.so.6.symbols); the
; locale objects' functions (__newlocale, __freelocale ...) are C# (src/Osv.Kernel/Libc/Locale).
%macro same_as 2
global %1:function
extern %2
%1:
    jmp %2
%endmacro

same_as __mbrlen, mbrlen
same_as __strtod_l, strtod_l
same_as __strtof_l, strtof_l
same_as __isoc99_sscanf, sscanf
same_as __isoc99_vsscanf, vsscanf
same_as __isoc99_fscanf, fscanf
same_as gamma, lgamma
same_as __isoc99_scanf, scanf

; glibc 2.32+: nonzero promises the process is single-threaded (libstdc++ then skips atomics). Always
; 0, the answer that is never wrong: threads can start at any time and nothing here would reset it.
global __libc_single_threaded:data 1
section .data
__libc_single_threaded: db 0

; musl's time-zone variables, for the C# that copies them into a program's COPY-relocated ones
; (Osv.Kernel/Libc/Time/TimeZoneVariables.cs): rdi = void*[3] <- &__timezone, &__daylight, &__tzname.
section .text
global osv_musl_time_zone_state:function
extern __timezone
extern __daylight
extern __tzname
osv_musl_time_zone_state:
    lea rax, [rel __timezone]
    mov [rdi], rax
    lea rax, [rel __daylight]
    mov [rdi + 8], rax
    lea rax, [rel __tzname]
    mov [rdi + 16], rax
    ret

; getopt's variables (glibc: optarg char*, optind/opterr/optopt int), which programs take by COPY
; relocation; Osv.Kernel/Libc/Getopt/GetoptVariables.cs works on the program's copies after linking.
global optarg:data 8
global optind:data 4
global opterr:data 4
global optopt:data 4
section .data
align 8
getopt_data:
optarg: dq 0        ; +0
optind: dd 1        ; +8
opterr: dd 1        ; +12
optopt: dd 63       ; +16 ('?')

section .text
global osv_getopt_data:function
osv_getopt_data:
    lea rax, [rel getopt_data]
    ret
