; Signals for programs that call the kernel's C library directly (glibc programs): the kernel
; delivers a pending signal when a thread returns from the `syscall` entry (LinuxSignals.DeliverPending),
; and a plain function call into C# never passes there. After raise, kill or an unblocking
; sigprocmask, C# calls osv_signal_checkpoint: an empty system call whose return runs the handler
; on this thread's stack, exactly as for a static program. sigaction installs osv_signal_restorer
; as SA_RESTORER: the handler returns into it, and rt_sigreturn resumes the checkpoint.

global osv_signal_checkpoint
global osv_signal_restorer_address

%define SYS_GETPID 39
%define SYS_RT_SIGRETURN 15

section .text
bits 64

; void osv_signal_checkpoint(void): getpid changes nothing; its return delivers.
osv_signal_checkpoint:
    mov eax, SYS_GETPID
    syscall
    ret

; The handler's return address; rsp then points at the ucontext rt_sigreturn reads.
osv_signal_restorer:
    mov eax, SYS_RT_SIGRETURN
    syscall
    ud2

osv_signal_restorer_address:
    lea rax, [rel osv_signal_restorer]
    ret
