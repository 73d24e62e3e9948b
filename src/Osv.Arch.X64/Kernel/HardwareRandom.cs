using System.Runtime.InteropServices;

namespace Osv.Arch.X64
{
    /// <summary>The CPU's random-number instruction (RDRAND), when CPUID advertises it.</summary>
    public static unsafe class HardwareRandom
    {
        [DllImport("*"), SuppressGCTransition] private static extern int osv_rdrand64(ulong* value);

        private static int s_checked; // 0 unknown, 1 absent, 2 present

        /// <summary>Whether the CPU has RDRAND (CPUID.01H:ECX bit 30).</summary>
        public static bool IsAvailable
        {
            get
            {
                if (s_checked == 0)
                {
                    Cpu.Cpuid(1, 0, out _, out _, out uint ecx, out _);
                    s_checked = (ecx & (1u << 30)) != 0 ? 2 : 1;
                }
                return s_checked == 2;
            }
        }

        /// <summary>A 64-bit random value from RDRAND; false if the CPU has none or it stayed empty after retries.</summary>
        public static bool TryNext(out ulong value)
        {
            ulong result = 0;
            bool ok = IsAvailable && osv_rdrand64(&result) != 0;
            value = result;
            return ok;
        }
    }
}
