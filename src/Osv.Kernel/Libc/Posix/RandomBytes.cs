using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Core.Linux;
using Osv.Kernel.Libc.Threads;
using S = Osv.Core.Linux.SystemCallNumbers;

namespace Osv.Kernel.Libc.Posix
{
    /// <summary>
    /// getentropy and glibc 2.36's arc4random family, on the kernel's getrandom (the same source
    /// /dev/urandom and getrandom(2) give programs).
    /// </summary>
    internal static unsafe class RandomBytes
    {
        private const int EntropyLimit = 256; // getentropy refuses more (EIO), as glibc

        private static bool Fill(byte* buffer, nuint length)
        {
            nuint done = 0;
            while (done < length)
            {
                long got = LinuxSystemCalls.Invoke(S.Getrandom, (long)(buffer + done), (long)(length - done), 0);
                if (got <= 0)
                    return false;
                done += (nuint)got;
            }
            return true;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getentropy")]
        public static int GetEntropy(byte* buffer, nuint length)
        {
            if (length > EntropyLimit)
            {
                ErrnoLocation.Set(LibcErrors.EIO);
                return -1;
            }
            if (!Fill(buffer, length))
            {
                ErrnoLocation.Set(LibcErrors.EIO);
                return -1;
            }
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "arc4random_buf")]
        public static void FillBuffer(byte* buffer, nuint length) => Fill(buffer, length);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "arc4random")]
        public static uint Next() => NextWord();

        private static uint NextWord()
        {
            uint value = 0;
            Fill((byte*)&value, 4);
            return value;
        }

        /// <summary>arc4random_uniform: uniform in [0, bound) by rejecting the values that would bias the remainder.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "arc4random_uniform")]
        public static uint Uniform(uint bound)
        {
            if (bound < 2)
                return 0;
            uint threshold = (uint)(0x100000000UL % bound);
            while (true)
            {
                uint value = NextWord();
                if (value >= threshold)
                    return value % bound;
            }
        }
    }
}
