using System;
using System.Runtime.InteropServices;
using Osv.Core.Elf;

namespace Osv.Kernel.Libc.Process
{
    /// <summary>
    /// The C library's data objects applications import by name: stdin, stdout, stderr, environ
    /// (= __environ), __progname (= program_invocation_short_name), __progname_full (=
    /// program_invocation_name). They are 8-byte pointers in the image's .data (Boot/libc_glue.asm).
    /// An executable that reads one directly takes it by COPY relocation: from then on the
    /// executable's copy is the object (it may assign stdout), so <see cref="AdoptProgramCopies"/>
    /// points the kernel's accessors at it.
    /// </summary>
    internal static unsafe class LibcData
    {
        public const int Stdin = 0, Stdout = 1, Stderr = 2, Environ = 3, ProgramName = 4, ProgramFullName = 5;
        private const int Count = 6;

        [DllImport("*"), SuppressGCTransition] private static extern ulong* osv_libc_data();

        private struct Slots
        {
            public fixed ulong Address[Count];
        }

        private static Slots s_slots;

        /// <summary>Where object <paramref name="which"/> lives now: the application's copy, or the kernel's.</summary>
        public static ulong* Slot(int which)
        {
            ulong redirected = s_slots.Address[which];
            return redirected != 0 ? (ulong*)redirected : osv_libc_data() + which;
        }

        /// <summary>Back to the kernel's own objects (a new program starts), all zero.</summary>
        public static void Reset()
        {
            ulong* own = osv_libc_data();
            for (int i = 0; i < Count; i++)
            {
                s_slots.Address[i] = 0;
                own[i] = 0;
            }
        }

        /// <summary>After linking: every object the executable defines itself (its COPY of ours) becomes the object.</summary>
        public static void AdoptProgramCopies(in LoadedProgram program)
        {
            Adopt(program, Stdin, "stdin"u8, default);
            Adopt(program, Stdout, "stdout"u8, default);
            Adopt(program, Stderr, "stderr"u8, default);
            Adopt(program, Environ, "__environ"u8, "environ"u8);
            Adopt(program, ProgramName, "__progname"u8, "program_invocation_short_name"u8);
            Adopt(program, ProgramFullName, "__progname_full"u8, "program_invocation_name"u8);
        }

        private static void Adopt(in LoadedProgram program, int which, ReadOnlySpan<byte> name, ReadOnlySpan<byte> alias)
        {
            void* copy = ProgramCopies.Find(program, name, alias, 8);
            if (copy != null)
                s_slots.Address[which] = (ulong)copy;
        }
    }
}
