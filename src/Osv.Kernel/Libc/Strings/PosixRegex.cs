using System.Runtime.InteropServices;
using Osv.Annotations;

namespace Osv.Kernel.Libc.Strings
{
    /// <summary>
    /// POSIX regular expressions (regcomp, regexec) with glibc's types over musl's engine (its regcomp
    /// and regexec renamed __osv_musl_* in the kernel's libc.a). Both regex_t are 64 bytes, but glibc
    /// keeps re_nsub at offset 48, where musl's struct has a spare word (__nsub2), so regcomp copies the
    /// count there. glibc's regmatch_t holds int offsets and musl's long ones, so regexec matches into
    /// musl's form and narrows. REG_STARTEND (glibc's: match only pmatch[0]'s range of the string,
    /// offsets still from the string's start) is done here, since musl has no such flag. Flag bits and
    /// error codes are the same numbers in both; regfree and regerror are musl's as they are.
    /// </summary>
    internal static unsafe class PosixRegex
    {
        [DllImport("*"), SuppressGCTransition] private static extern int __osv_musl_regcomp(void* expression, byte* pattern, int flags);
        [DllImport("*"), SuppressGCTransition] private static extern int __osv_musl_regexec(void* expression, byte* text, nuint count, MuslMatch* matches, int flags);

        private const int GlibcSubexpressionCountOffset = 48;
        private const int NotBeginningOfLine = 1, StartEnd = 4;
        private const int OutOfMemory = 12; // REG_ESPACE
        private const int MostOnStack = 32;

        /// <summary>musl's regmatch_t, which only musl's regexec writes.</summary>
        [StructLayout(LayoutKind.Explicit, Size = 16)]
        private struct MuslMatch
        {
            [FieldOffset(0)] public readonly long Start;
            [FieldOffset(8)] public readonly long End;
        }

        public struct GlibcMatch
        {
            public int Start, End;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "regcomp")]
        public static int Compile(byte* expression, byte* pattern, int flags)
        {
            int result = __osv_musl_regcomp(expression, pattern, flags);
            if (result == 0)
                *(nuint*)(expression + GlibcSubexpressionCountOffset) = *(nuint*)expression; // musl's re_nsub, at glibc's offset
            return result;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "regexec")]
        public static int Execute(byte* expression, byte* text, nuint count, GlibcMatch* matches, int flags)
        {
            long offset = 0;
            byte* range = null;
            if ((flags & StartEnd) != 0 && matches != null)
            {
                offset = matches[0].Start;
                long length = matches[0].End - offset;
                range = (byte*)Malloc.Malloc.AllocateOrFail((nuint)length + 1);
                if (range == null)
                    return OutOfMemory;
                for (long i = 0; i < length; i++)
                    range[i] = text[offset + i];
                range[length] = 0;
                text = range;
            }
            flags &= ~StartEnd;
            MuslMatch* onStack = stackalloc MuslMatch[MostOnStack];
            MuslMatch* wide = count <= MostOnStack ? onStack : (MuslMatch*)Malloc.Malloc.AllocateOrFail(count * (nuint)sizeof(MuslMatch));
            int result = wide == null ? OutOfMemory : __osv_musl_regexec(expression, text, matches == null ? 0 : count, wide, flags);
            if (result == 0 && matches != null)
            {
                for (nuint i = 0; i < count; i++)
                {
                    bool matched = wide[i].Start >= 0;
                    matches[i].Start = matched ? (int)(wide[i].Start + offset) : -1;
                    matches[i].End = matched ? (int)(wide[i].End + offset) : -1;
                }
            }
            if (wide != onStack && wide != null)
                Malloc.Malloc.Release(wide);
            if (range != null)
                Malloc.Malloc.Release(range);
            return result;
        }
    }
}
