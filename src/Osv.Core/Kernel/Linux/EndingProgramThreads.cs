using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Arch.X64.Interrupts;
using Osv.Arch.X64.Smp;
using Osv.Core.Memory;
using Osv.Core.Threads;

namespace Osv.Core.Linux
{
    /// <summary>
    /// After exit_group (or a fatal signal), a thread of the ending program that runs in its own code
    /// without system calls would never reach the check at the next call. Every CPU takes a timer
    /// interrupt at least every time slice, so at the return of an interrupt that caught such a thread
    /// in program code (or when it runs again after one preempted it), the thread is sent to end
    /// itself (<see cref="ProgramThreadRedirect"/>). A thread caught in kernel code ends at its next
    /// system call as before.
    /// </summary>
    internal static unsafe class EndingProgramThreads
    {
        internal static void Register() => TrapDispatcher.RegisterInterruptReturn(&OnInterruptReturn);

        [PopulatedStack] // an interrupt stack, interrupts off
        private static void OnInterruptReturn(TrapFrame* frame)
        {
            if (!LinuxThreads.Ending || !ApplicationMemory.InRegion(frame->Rip))
                return;
            void* current = CpuLocal.CurrentThreadPointer;
            if (current == null || KernelThread.FromPointer(current).PreemptionDisabled != 0)
                return;
            ulong stackTop = CpuLocal.Current->SyscallStackTop;
            if (stackTop == 0 || !LinuxThreads.IsCurrentProgramEnding)
                return;
            ProgramThreadRedirect.Redirect(frame, stackTop, 16, (ulong)(delegate* unmanaged<void*, void>)&End);
        }

        [PopulatedStack] // the thread's syscall stack
        [UnmanagedCallersOnly]
        private static void End(void* unused) => LinuxThreads.ExitThread();
    }
}
