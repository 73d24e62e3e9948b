using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Core.Elf;

namespace Osv.Kernel.KernelTests
{
    /// <summary>
    /// `--test=libc`: musl's leaf code linked into the image computes the same results as on Linux
    /// when called from C#, and the image's own dynamic symbol table exports it (the table the kernel's
    /// ELF loader will bind applications against).
    /// </summary>
    [KernelThreadOnly] // runs from the boot thread: musl's printf and strtod frames need more than 8 KiB
    internal static unsafe class LibcTests
    {
        [DllImport("*"), SuppressGCTransition] private static extern nuint strlen(byte* text);
        [DllImport("*"), SuppressGCTransition] private static extern int memcmp(byte* left, byte* right, nuint length);
        [DllImport("*"), SuppressGCTransition] private static extern double strtod(byte* text, byte** end);
        [DllImport("*"), SuppressGCTransition] private static extern long strtol(byte* text, byte** end, int @base);
        [DllImport("*"), SuppressGCTransition] private static extern int* __errno_location();
        [DllImport("*"), SuppressGCTransition] private static extern int vsnprintf(byte* buffer, nuint size, byte* format, VaList* arguments);
        [DllImport("*")] private static extern void qsort(void* items, nuint count, nuint size, delegate* unmanaged<void*, void*, int> compare);
        [DllImport("*"), SuppressGCTransition] private static extern byte* strerror(int error);
        [DllImport("*"), SuppressGCTransition] private static extern nuint __ctype_get_mb_cur_max();
        [DllImport("*"), SuppressGCTransition] private static extern double sin(double x);
        [DllImport("*"), SuppressGCTransition] private static extern double pow(double x, double y);
        [DllImport("*"), SuppressGCTransition] private static extern double sqrt(double x);

        /// <summary>
        /// The SysV x86-64 va_list. With both register areas marked used up (gp_offset 48, fp_offset
        /// 304) every argument comes from overflow_arg_area, one 8-byte slot each, which C# can build.
        /// </summary>
        private struct VaList
        {
            public uint GeneralOffset;
            public uint FloatOffset;
            public ulong* Overflow;
            public void* RegisterSave;
        }

        private const int ErrnoRange = 34; // ERANGE
        private const int ErrnoNoEntry = 2; // ENOENT

        public static void Run(ref CheckReport report)
        {
            report.Check("strlen and memcmp", Strings());
            report.Check("strtod and strtol (with ERANGE in errno)", Conversions());
            report.Check("vsnprintf with a va_list built in C#: %d %s %.3f %g %e", Formatting());
            report.Check("qsort with an [UnmanagedCallersOnly] comparator", Sorting());
            report.Check("sin, pow, sqrt", Math());
            report.Check("strerror and MB_CUR_MAX read musl's locale through %fs", Locale());
            report.Check("the image's .dynsym exports musl's functions, each in its library's version", ExportedSymbols());
        }

        private static bool Strings()
        {
            bool ok = true;
            fixed (byte* hello = "hello, osv\0"u8)
            fixed (byte* help = "help\0"u8)
            {
                ok &= Expect.Equal("strlen(\"hello, osv\")", 10, (long)strlen(hello));
                ok &= Expect.Equal("memcmp(\"hel\", \"hel\")", 0, memcmp(hello, help, 3));
                ok &= Expect.True("memcmp(\"hell\", \"help\") < 0", memcmp(hello, help, 4) < 0);
            }
            return ok;
        }

        private static bool Conversions()
        {
            bool ok = true;
            fixed (byte* number = "3.14159 rest\0"u8)
            fixed (byte* huge = "99999999999999999999\0"u8)
            fixed (byte* hex = "-0x7f\0"u8)
            {
                byte* end;
                ok &= Expect.True("strtod(\"3.14159\") == 3.14159", strtod(number, &end) == 3.14159);
                ok &= Expect.Equal("strtod's end offset", 7, end - number);
                ok &= Expect.Equal("strtol(\"-0x7f\", 16)", -127, strtol(hex, null, 16));
                *__errno_location() = 0;
                ok &= Expect.Equal("strtol overflow clamps", long.MaxValue, strtol(huge, null, 10));
                ok &= Expect.Equal("errno after overflow", ErrnoRange, *__errno_location());
            }
            return ok;
        }

        private static bool Formatting()
        {
            byte* buffer = stackalloc byte[64];
            ulong* slots = stackalloc ulong[5];
            fixed (byte* format = "%d %s %.3f %g %e\0"u8)
            fixed (byte* word = "osv\0"u8)
            fixed (byte* expected = "42 osv 3.142 0.0001 1.234568e+04\0"u8)
            {
                slots[0] = 42;
                slots[1] = (ulong)word;
                ((double*)slots)[2] = 3.14159;
                ((double*)slots)[3] = 0.0001;
                ((double*)slots)[4] = 12345.678;
                VaList arguments = new VaList { GeneralOffset = 48, FloatOffset = 304, Overflow = slots, RegisterSave = null };
                int written = vsnprintf(buffer, 64, format, &arguments);
                bool ok = Expect.Equal("vsnprintf's length", (long)strlen(expected), written);
                ok &= Expect.True("vsnprintf's text is \"42 osv 3.142 0.0001 1.234568e+04\"", memcmp(buffer, expected, strlen(expected) + 1) == 0);
                return ok;
            }
        }

        [UnmanagedCallersOnly]
        private static int CompareIntegers(void* left, void* right)
        {
            int a = *(int*)left, b = *(int*)right;
            return a < b ? -1 : a > b ? 1 : 0;
        }

        private static bool Sorting()
        {
            int* items = stackalloc int[9];
            items[0] = 5; items[1] = -3; items[2] = 9; items[3] = 0; items[4] = 5;
            items[5] = 2; items[6] = -8; items[7] = 7; items[8] = 1;
            qsort(items, 9, sizeof(int), &CompareIntegers);
            bool ok = true;
            for (int i = 1; i < 9; i++)
                ok &= Expect.True("qsort's output is ascending", items[i - 1] <= items[i]);
            ok &= Expect.Equal("qsort's first item", -8, items[0]);
            ok &= Expect.Equal("qsort's last item", 9, items[8]);
            return ok;
        }

        private static bool Math()
        {
            bool ok = Expect.True("sin(0.5) == 0.479425538604203", Close(sin(0.5), 0.479425538604203));
            ok &= Expect.True("pow(2, 10) == 1024", pow(2, 10) == 1024);
            ok &= Expect.True("pow(2, 0.5) == sqrt(2)", Close(pow(2, 0.5), sqrt(2)));
            ok &= Expect.True("sqrt(16) == 4", sqrt(16) == 4);
            return ok;
        }

        private static bool Close(double actual, double expected)
        {
            double difference = actual - expected;
            return difference < 1e-15 && difference > -1e-15;
        }

        private static bool Locale()
        {
            fixed (byte* expected = "No such file or directory\0"u8)
            {
                byte* message = strerror(ErrnoNoEntry);
                bool ok = Expect.True("strerror(ENOENT) is \"No such file or directory\"", memcmp(message, expected, strlen(expected) + 1) == 0);
                ok &= Expect.Equal("MB_CUR_MAX in the C locale", 1, (long)__ctype_get_mb_cur_max());
                return ok;
            }
        }

        /// <summary>Looks symbols up in the loaded image's own PT_DYNAMIC with the ELF core the loader will use, then calls them.</summary>
        private static bool ExportedSymbols()
        {
            AddressSpaceView image = AddressSpaceView.OfMemory((byte*)BootImage.ImageStart, BootImage.ImageStart,
                BootImage.ImageEnd - BootImage.ImageStart, isWritable: false);
            ElfError error = DynamicSection.Decode(image, BootImage.DynamicStart, BootImage.DynamicEnd - BootImage.DynamicStart, out DynamicSection dynamic);
            if (!Expect.True("the image's .dynamic decodes", error.IsOk))
                return false;
            error = DynamicSymbols.Create(dynamic, out DynamicSymbols symbols);
            if (!Expect.True("the image's .dynsym and .gnu.hash decode", error.IsOk) || !Expect.True("the image has DT_GNU_HASH", symbols.HasGnuHash))
                return false;

            bool ok = true;
            ok &= Expect.True("strlen is exported in version libc.so.6", symbols.TryLookup("strlen"u8, "libc.so.6"u8, out ElfSymbol strlenSymbol));
            ok &= Expect.True("qsort is exported", symbols.TryLookup("qsort"u8, default, out _));
            ok &= Expect.True("vsnprintf is exported", symbols.TryLookup("vsnprintf"u8, default, out _));
            ok &= Expect.True("pow is exported in version libm.so.6", symbols.TryLookup("pow"u8, "libm.so.6"u8, out ElfSymbol powSymbol));
            ok &= Expect.True("strlen is not libm.so.6's", !symbols.TryLookup("strlen"u8, "libm.so.6"u8, out _));
            ok &= Expect.True("no symbol 'osv_no_such_symbol'", !symbols.TryLookup("osv_no_such_symbol"u8, default, out _));
            if (!ok)
                return false;

            // Called through the addresses the table gives: what an application bound to the kernel will do.
            fixed (byte* text = "dynamic\0"u8)
                ok &= Expect.Equal("strlen through .dynsym", 7, (long)((delegate* unmanaged<byte*, nuint>)strlenSymbol.Value)(text));
            ok &= Expect.True("pow through .dynsym", ((delegate* unmanaged<double, double, double>)powSymbol.Value)(3, 4) == 81);
            return ok;
        }
    }
}
