using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Kernel.Libc.Threads;

namespace Osv.Kernel.Libc.Process
{
    /// <summary>
    /// getauxval: the auxiliary vector the kernel put on the program's initial stack (after the
    /// environment's terminating null), remembered when the program starts.
    /// </summary>
    internal static unsafe class AuxiliaryValues
    {
        private const ulong EndOfVector = 0; // AT_NULL
        private static ulong* s_vector;

        /// <summary>Finds the vector above <paramref name="environment"/> (the initial envp).</summary>
        public static void Remember(byte** environment)
        {
            while (*environment != null)
                environment++;
            s_vector = (ulong*)(environment + 1);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getauxval")]
        public static ulong Get(ulong type)
        {
            for (ulong* pair = s_vector; pair != null && pair[0] != EndOfVector; pair += 2)
            {
                if (pair[0] == type)
                    return pair[1];
            }
            ErrnoLocation.Set(LibcErrors.ENOENT);
            return 0;
        }
    }
}
