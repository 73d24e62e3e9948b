using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;
using Osv.Core.Threads;

namespace Osv.Kernel.KernelTests
{
    /// <summary>
    /// System calls made with the `syscall` instruction the way compiled code makes them
    /// (Boot/syscall_probe.asm), from threads that have a syscall stack (application-style threads,
    /// created with a lazy stack). The probe also counts registers and red-zone words a call changed.
    /// </summary>
    [KernelThreadOnly] // tests start their application threads from the boot thread
    internal static unsafe class SyscallProbe
    {
        [StructLayout(LayoutKind.Sequential)]
        private struct Frame
        {
            public long Number, Argument0, Argument1, Argument2, Argument3, Argument4, Argument5;
            public long Result;
            public long Damaged;
        }

        [DllImport("*"), SuppressGCTransition] private static extern void osv_syscall_probe(Frame* frame);

        private static long s_damaged;
        private static int s_passed;

        /// <summary>Registers and red-zone words changed by calls since the current check began.</summary>
        public static long Damaged => Volatile.Read(ref s_damaged);

        public static long Call(long number, long a0, long a1, long a2, long a3, long a4, long a5)
        {
            Frame frame = default;
            frame.Number = number;
            frame.Argument0 = a0;
            frame.Argument1 = a1;
            frame.Argument2 = a2;
            frame.Argument3 = a3;
            frame.Argument4 = a4;
            frame.Argument5 = a5;
            osv_syscall_probe(&frame);
            if (frame.Damaged != 0)
                Interlocked.Add(ref s_damaged, frame.Damaged);
            return frame.Result;
        }

        /// <summary>Runs <paramref name="test"/> on a new application-style thread; true when it passed and no call damaged a register.</summary>
        public static bool OnApplicationThread(delegate*<bool> test)
        {
            s_passed = 0;
            KernelThread? thread = Scheduler.Create(&RunTest, test, 256 * 1024);
            if (thread == null)
                return false;
            Scheduler.Join(thread);
            return s_passed == 1;
        }

        /// <summary>Starts counting damage for a check that runs its own threads.</summary>
        public static void ResetDamage() => Volatile.Write(ref s_damaged, 0);

        private static void RunTest(void* test)
        {
            ResetDamage();
            bool passed = ((delegate*<bool>)test)();
            passed &= Expect.Equal("registers or red-zone words changed by syscalls", 0, Damaged);
            s_passed = passed ? 1 : 0;
        }
    }
}
